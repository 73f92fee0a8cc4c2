"""Benchmark: cluster N Dutch feedback texts with a text analyser and report the figures.

    python bench/learn.py --size 100000            # the tfidf analyser (feedbackkit-textmining)
    python bench/learn.py --size 5000 --analyzer overlap
    python bench/learn.py --size 20000 --source demo

Texts come from the labelled synthetic corpus (``feedbackkit.testing.text_corpus``,
labels: topic and same-problem group) or from the demo generator (``feedbackkit.demo``,
labels: the subject and the ground-truth same-problem group). The clusters are scored
against the labels (V-measure, adjusted Rand index) and the service-recovery search
against the groups: the share of a group's other reports among 10 results, searched
from its first report within 30 days and the same subject or location. The timed part
is indexing plus clustering; generating the texts and measuring quality are not.
The last line is ``seconds=X.XX``.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10_000, help="number of texts")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--source", choices=("corpus", "demo"), default="corpus")
    parser.add_argument("--analyzer", choices=("tfidf", "overlap"), default="tfidf")
    parser.add_argument(
        "--threads", type=int, default=1, help="numeric threads (tfidf); 0: the libraries' default"
    )
    args = parser.parse_args()

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
