"""Benchmark: cluster N Dutch feedback texts with a text analyser and report the figures.

    python bench/learn.py --size 100000            # the tfidf analyser (feedbackkit-textmining)
    python bench/learn.py --size 5000 --analyzer overlap
    python bench/learn.py --size 20000 --source demo
    python bench/learn.py --loop --size 20000       # the learning loop on a stored demo year

Texts come from the labelled synthetic corpus (``feedbackkit.testing.text_corpus``,
labels: topic and same-problem group) or from the demo generator (``feedbackkit.demo``,
labels: the subject and the ground-truth same-problem group). The clusters are scored
against the labels (V-measure, adjusted Rand index) and the service-recovery search
against the groups: the share of a group's other reports among 10 results, searched
from its first report within 30 days and the same subject or location. The timed part
is indexing plus clustering; generating the texts and measuring quality are not.
The last line is ``seconds=X.XX``.

``--loop`` measures the learning loop on a store instead: a demo year of ``--size`` cases
in a new SQLite file, then theme suggestions stored for all of them, service recovery from
the first report of every same-problem group (recall against the ground truth), the
improvement-meeting agenda of a month and the learning report of a quarter (internal and
public); ``seconds`` is the time of the whole loop (the ingest not included).
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time
import uuid
from collections.abc import Callable

from feedbackkit_textmining import TfidfAnalyzer
from sklearn.metrics import adjusted_rand_score, v_measure_score

from feedbackkit.learning.overlap import OverlapAnalyzer
from feedbackkit.learning.text import Document, Scope, TextAnalyzer, TextIndex

Labelled = tuple[list[Document], list[str], list[str | None]]
"""Documents, their cluster label and their same-problem group."""


def corpus_texts(size: int, seed: int) -> Labelled:
    from feedbackkit.testing.text_corpus import labelled_corpus

    corpus = labelled_corpus(size, seed=seed)
    return (
        [item.document for item in corpus],
        [item.topic for item in corpus],
        [item.problem for item in corpus],
    )


def demo_texts(size: int, seed: int) -> Labelled:
    from feedbackkit.demo import generate, group_of

    records = list(generate(size, seed=seed))
    groups = [group_of(r.feedback) for r in records]
    return (
        [Document.from_feedback(r.feedback) for r in records],
        [r.feedback.subject or "-" for r in records],
        [None if g is None else str(g) for g in groups],
    )


def recovery_recall(index: TextIndex, documents: list[Document], groups: list[str | None]) -> float:
    """Mean share of a group's other reports found from its first report."""
    members: dict[str, list[Document]] = {}
    for document, group in zip(documents, groups, strict=True):
        if group is not None:
            members.setdefault(group, []).append(document)
    recalls = []
    for reports in members.values():
        if len(reports) < 2:
            continue
        query, others = reports[0], {d.id for d in reports[1:]}
        found = {m.id for m in index.similar(query, 10, Scope.around(query, days=30))}
        recalls.append(len(others & found) / len(others))
    return statistics.mean(recalls) if recalls else float("nan")


def loop(size: int, seed: int, analyzer: TextAnalyzer) -> None:
    """The learning loop on a stored demo year (see the module docs)."""
    import tempfile
    from pathlib import Path

    from feedbackkit.demo import generate, group_of
    from feedbackkit.learning.agenda import agenda
    from feedbackkit.learning.loop import Learning
    from feedbackkit.learning.period import parse_period
    from feedbackkit.learning.report import learning_report
    from feedbackkit.reports import render
    from feedbackkit.service import FeedbackKit

    with (
        tempfile.TemporaryDirectory() as folder,
        FeedbackKit.open(Path(folder) / "bench.sqlite") as kit,
    ):
        started = time.perf_counter()
        kit.ingest(generate(size, seed=seed))
        print(
            f"cases:              {size} demo cases stored in {time.perf_counter() - started:.2f} s"
        )
        learning = Learning(kit, analyzer=analyzer)
        timings: dict[str, float] = {}

        def timed(name: str, call: Callable[[], object]) -> object:
            begin = time.perf_counter()
            result = call()
            timings[name] = time.perf_counter() - begin
            return result

        suggested = timed("themes", learning.assign_suggested)
        groups: dict[int, list[uuid.UUID]] = {}
        for record in kit.store.records():
            group = group_of(record.feedback)
            if group is not None:
                groups.setdefault(group, []).append(record.feedback.id)
        searched = [members for members in groups.values() if len(members) > 1]
        recalls: list[float] = []

        def recover() -> None:
            for first, *others in searched:
                found = {a.case_id for a in learning.affected(first, k=10)}
                recalls.append(len(found & set(others)) / len(others))

        timed("recovery", recover)
        month, quarter = parse_period("2026-09"), parse_period("2026-Q3")
        renderers = kit.plugins.renderers()
        timed("agenda", lambda: render(renderers, agenda(learning, month), "html"))
        timed("report", lambda: render(renderers, learning_report(learning, quarter), "html"))
        timed(
            "public",
            lambda: render(renderers, learning_report(learning, quarter, public=True), "html"),
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"analyzer:           {analyzer.name}")
    print(f"themes suggested:   {suggested} cases in {timings['themes']:.2f} s")
    print(
        f"service recovery:   {len(searched)} searches in {timings['recovery']:.2f} s "
        f"({1000 * timings['recovery'] / max(len(searched), 1):.0f} ms each), "
        f"recall@10 {statistics.mean(recalls) if recalls else float('nan'):.3f}"
    )
    print(f"agenda (a month):   {timings['agenda']:.2f} s")
    print(
        f"report (a quarter): {timings['report']:.2f} s internal, {timings['public']:.2f} s public"
    )
    print(f"peak RSS:           {peak:,.0f} MiB")
    print(f"seconds={sum(timings.values()):.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10_000, help="number of texts")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--source", choices=("corpus", "demo"), default="corpus")
    parser.add_argument("--analyzer", choices=("tfidf", "overlap"), default="tfidf")
    parser.add_argument(
        "--threads", type=int, default=1, help="numeric threads (tfidf); 0: the libraries' default"
    )
    parser.add_argument("--loop", action="store_true", help="the learning loop on a store")
    args = parser.parse_args()
    if args.loop:
        chosen: TextAnalyzer = (
            TfidfAnalyzer(threads=args.threads or None)
            if args.analyzer == "tfidf"
            else OverlapAnalyzer()
        )
        loop(args.size, args.seed, chosen)
        return

    started = time.perf_counter()
    texts = corpus_texts if args.source == "corpus" else demo_texts
    documents, labels, groups = texts(args.size, args.seed)
    generated = time.perf_counter() - started
    analyzer: TextAnalyzer = (
        TfidfAnalyzer(threads=args.threads or None)
        if args.analyzer == "tfidf"
        else OverlapAnalyzer()
    )

    started = time.perf_counter()
    index = analyzer.index(documents)
    indexed = time.perf_counter() - started
    clustering = index.cluster()
    seconds = time.perf_counter() - started

    searched = time.perf_counter()
    recall = recovery_recall(index, documents, groups)
    searched = time.perf_counter() - searched
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"analyzer:           {analyzer.name}")
    print(f"texts:              {len(documents)} from {args.source} (made in {generated:.2f} s)")
    print(f"index:              {indexed:.2f} s")
    print(f"index + cluster:    {seconds:.2f} s ({len(documents) / seconds:,.0f} texts/s)")
    print(f"clusters:           {len(clustering.clusters)} (labels: {len(set(labels))})")
    print(f"V-measure:          {v_measure_score(labels, clustering.labels):.3f}")
    print(f"adjusted Rand:      {adjusted_rand_score(labels, clustering.labels):.3f}")
    print(f"recovery recall@10: {recall:.3f} (searches took {searched:.2f} s)")
    print(f"peak RSS:           {peak:,.0f} MiB")
    for cluster in clustering.clusters[:5]:
        print(f"  cluster {cluster.label}: {cluster.size} texts, {', '.join(cluster.keywords)}")
    print(f"seconds={seconds:.2f}")


if __name__ == "__main__":
    main()
