"""The text-analyser contract: the tests every :class:`~feedbackkit.learning.text.TextAnalyzer`
passes, whatever its method.

Subclass :class:`TextAnalyzerContract` in a test module and override its ``analyzer``
fixture; pytest then runs every contract test on it::

    import pytest
    from feedbackkit.testing.text_contract import TextAnalyzerContract

    class TestMyAnalyzer(TextAnalyzerContract):
        @pytest.fixture
        def analyzer(self):
            return MyAnalyzer()

The contract checks behaviour (ids, scopes, ordering, labels, explanations), not
quality; measure quality on :func:`feedbackkit.testing.text_corpus.labelled_corpus`.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest

from feedbackkit.errors import NotFoundError, ValidationError
from feedbackkit.learning.taxonomy import default_taxonomy
from feedbackkit.learning.text import Document, Scope, TextAnalyzer
from feedbackkit.learning.tokens import words
from feedbackkit.testing.text_corpus import labelled_corpus

__all__ = ["TOPIC_TEXTS", "TextAnalyzerContract", "topic_documents"]

TOPIC_TEXTS: dict[str, tuple[str, ...]] = {
    "lamp": (
        "De lantaarnpaal in de Kerkstraat doet het niet meer.",
        "Straatlantaarn kapot in de Kerkstraat, het is daar 's avonds donker.",
        "Al drie avonden brandt de lantaarnpaal bij ons niet.",
        "De straatverlichting is uitgevallen, de lantaarnpalen zijn donker.",
        "Kapotte lantaarnpaal op de hoek, graag repareren want het is donker.",
        "Wanneer wordt de lantaarnpaal gerepareerd? Het is aardedonker.",
    ),
    "waste": (
        "De container voor restafval zit propvol, er staan vuilniszakken naast.",
        "Vuilniszakken naast de volle container, de meeuwen trekken ze open.",
        "De ondergrondse container is al een week niet geleegd.",
        "Container vol en afval ernaast, graag legen.",
        "De restafvalcontainer is vol, overal vuilniszakken.",
        "Wanneer wordt de volle container geleegd? De vuilniszakken stapelen zich op.",
    ),
    "phone": (
        "Ik heb een uur in de wacht gestaan bij het klantcontactcentrum.",
        "Telefonisch is de gemeente onbereikbaar, ik sta steeds in de wacht.",
        "Niemand belt terug, ik hang telkens een half uur in de wacht.",
        "Lange wachttijd aan de telefoon en daarna niet teruggebeld.",
        "Ik werd drie keer doorverbonden en stond steeds in de wacht.",
        "De wachttijd van het klantcontactcentrum is veel te lang.",
    ),
}
"""Three topics, six short texts each: any analyser should keep them apart."""


def topic_documents() -> list[Document]:
    """The :data:`TOPIC_TEXTS` as documents ``lamp-0`` … ``phone-5``, a day apart."""
    day = date(2026, 3, 2)
    return [
        Document(f"{topic}-{i}", text, subject=topic, location="Centrum", day=day + timedelta(i))
        for topic, texts in TOPIC_TEXTS.items()
        for i, text in enumerate(texts)
    ]


class TextAnalyzerContract:
    """Behaviour every text analyser shares; override the ``analyzer`` fixture."""

    @pytest.fixture
    def analyzer(self) -> TextAnalyzer:
        raise NotImplementedError("override the analyzer fixture")

    # -- the index --------------------------------------------------------------------

    def test_the_index_keeps_every_document_in_order(self, analyzer: TextAnalyzer) -> None:
        documents = topic_documents()
        assert tuple(analyzer.index(documents).documents) == tuple(documents)

    def test_a_repeated_id_is_rejected_naming_it(self, analyzer: TextAnalyzer) -> None:
        documents = topic_documents()
        with pytest.raises(ValidationError, match="'lamp-0' occurs twice"):
            analyzer.index([*documents, documents[0]])

    def test_an_empty_index_finds_and_clusters_nothing(self, analyzer: TextAnalyzer) -> None:
        index = analyzer.index([])
        assert index.similar(Document("q", "De lantaarnpaal is kapot.")) == ()
        clustering = index.cluster()
        assert (clustering.labels, clustering.clusters) == ((), ())

    def test_texts_without_content_words_still_index(self, analyzer: TextAnalyzer) -> None:
        index = analyzer.index([Document("a", "Het is niet zo."), Document("b", "?!")])
        assert index.similar(Document("q", "De lantaarnpaal is kapot.")) == ()
        assert len(index.cluster().labels) == 2

    # -- similar feedback ---------------------------------------------------------------

    def test_a_new_text_finds_the_texts_about_its_topic(self, analyzer: TextAnalyzer) -> None:
        index = analyzer.index(topic_documents())
        query = Document("new", "Lantaarnpalen in de Kerkstraat kapot, het is er donker.")
        matches = index.similar(query, k=4)
        assert len(matches) == 4
        assert all(m.id.startswith("lamp-") for m in matches)
        assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)
        assert all(0 < m.score <= 1 for m in matches)
        best = next(d for d in topic_documents() if d.id == matches[0].id)
        assert matches[0].shared, "the best match shows the words both texts use"
        for shared in matches[0].shared:
            assert set(words(shared)) & (set(words(best.text)) | set(words(query.text))), shared

    def test_an_indexed_document_is_not_its_own_match(self, analyzer: TextAnalyzer) -> None:
        documents = topic_documents()
        index = analyzer.index(documents)
        assert documents[0].id not in {m.id for m in index.similar(documents[0], k=20)}
        (itself, *_) = index.similar(documents[0], k=1, scope=Scope())
        assert itself.id == documents[0].id
        assert itself.score == pytest.approx(1.0, abs=1e-4)

    def test_results_respect_the_scope_and_agree_across_k(self, analyzer: TextAnalyzer) -> None:
        corpus = labelled_corpus(240, seed=5)
        documents = [item.document for item in corpus]
        index = analyzer.index(documents)
        by_id = {d.id: d for d in documents}
        subjects = Counter(d.subject for d in documents if d.subject).most_common(2)
        locations = Counter(d.location for d in documents if d.location).most_common(2)
        for query in documents[:12]:
            scopes = [
                Scope.around(query, days=60),
                Scope(subject=subjects[0][0], location=locations[0][0]),
                Scope(subject=subjects[1][0], location=locations[1][0], require_both=True),
                Scope(since=date(2026, 3, 1), until=date(2026, 6, 30), exclude={query.id}),
                Scope(min_score=0.2, exclude={query.id}),
            ]
            for scope in scopes:
                every = index.similar(query, k=len(documents), scope=scope)
                assert all(scope.admits(by_id[m.id]) for m in every), scope
                assert all(m.score >= scope.min_score for m in every), scope
                assert len({m.id for m in every}) == len(every)
                top = index.similar(query, k=3, scope=scope)
                assert [m.score for m in top] == [m.score for m in every[:3]], scope

    @pytest.mark.parametrize("k", [0, -1])
    def test_k_must_be_positive(self, analyzer: TextAnalyzer, k: int) -> None:
        index = analyzer.index(topic_documents())
        with pytest.raises(ValidationError, match="k: must be at least 1"):
            index.similar(Document("q", "lantaarnpaal"), k=k)
        with pytest.raises(ValidationError, match="k: must be at least 1"):
            index.keywords(["lamp-0"], k=k)

    # -- clusters and keywords ------------------------------------------------------------

    def test_clusters_keep_distinct_topics_apart(self, analyzer: TextAnalyzer) -> None:
        documents = topic_documents()
        clustering = analyzer.index(documents).cluster()
        majority = {}
        for topic in TOPIC_TEXTS:
            labels = Counter(
                label
                for d, label in zip(documents, clustering.labels, strict=True)
                if d.id.startswith(topic)
            )
            majority[topic], count = labels.most_common(1)[0]
            assert count >= 4, f"{topic} is spread over clusters {labels}"
        assert len(set(majority.values())) == len(TOPIC_TEXTS), majority

    def test_a_clustering_labels_every_document(self, analyzer: TextAnalyzer) -> None:
        documents = [item.document for item in labelled_corpus(300, seed=2)]
        clustering = analyzer.index(documents).cluster()
        assert len(clustering.labels) == len(documents)
        assert [c.label for c in clustering.clusters] == list(range(len(clustering.clusters)))
        assert set(clustering.labels) == {c.label for c in clustering.clusters}
        sizes = [c.size for c in clustering.clusters]
        assert sizes == sorted(sizes, reverse=True)
        assert sum(sizes) == len(documents)
        used = {w for d in documents for w in words(d.text)}
        for cluster in clustering.clusters:
            members = clustering.members(cluster.label)
            assert len(members) == cluster.size
            assert cluster.exemplar in {documents[p].id for p in members}
            assert cluster.keywords, f"cluster {cluster.label} has no keywords"
            assert all(set(words(k)) <= used for k in cluster.keywords), cluster

    def test_clustering_is_deterministic(self, analyzer: TextAnalyzer) -> None:
        documents = [item.document for item in labelled_corpus(200, seed=3)]
        assert analyzer.index(documents).cluster() == analyzer.index(documents).cluster()

    def test_keywords_name_what_a_group_is_about(self, analyzer: TextAnalyzer) -> None:
        index = analyzer.index(topic_documents())
        lamp = index.keywords([f"lamp-{i}" for i in range(6)], k=3)
        assert 1 <= len(lamp) <= 3
        assert any(w.startswith(("lantaarn", "donker")) for w in lamp), lamp
        waste = index.keywords([f"waste-{i}" for i in range(6)])
        assert any(w.startswith(("container", "vuilniszak")) for w in waste), waste
        with pytest.raises(NotFoundError, match="document nope not found"):
            index.keywords(["nope"])

    # -- emotion and themes ---------------------------------------------------------------

    def test_emotion_points_at_the_words_that_carry_it(self, analyzer: TextAnalyzer) -> None:
        text = "De lamp is kapot. Ik ben hier echt woedend over en voel me machteloos!"
        score = analyzer.emotion(text)
        assert score.intensity > 0.5
        assert score.valence < 0
        assert {"anger", "powerlessness"} <= set(score.categories)
        for trigger in score.triggers:
            assert text[trigger.start : trigger.end] == trigger.text
        assert score.quote == "Ik ben hier echt woedend over en voel me machteloos!"
        assert analyzer.emotion("De lamp is kapot.").intensity == 0

    def test_themes_come_with_the_words_that_point_at_them(self, analyzer: TextAnalyzer) -> None:
        text = "De straatverlichting is kapot en de container is vol."
        suggestions = analyzer.suggest_themes(text, default_taxonomy(), limit=2)
        assert {s.code for s in suggestions} == {"verlichting", "afval"}
        for suggestion in suggestions:
            assert suggestion.terms
            assert all(term in words(text) for term in suggestion.terms)
        assert analyzer.suggest_themes("Goedemorgen.", default_taxonomy()) == ()
