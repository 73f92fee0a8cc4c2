"""The package as a feedbackkit plugin, and what its feature space adds."""

from __future__ import annotations

from importlib.metadata import entry_points

import feedbackkit_textmining
import pytest
from feedbackkit_textmining import TfidfAnalyzer

from feedbackkit.errors import ValidationError
from feedbackkit.learning.text import Document, text_analyzer
from feedbackkit.plugins import load_plugins


def test_the_package_registers_the_tfidf_analyser_under_the_feedbackkit_group() -> None:
    (entry,) = [ep for ep in entry_points(group="feedbackkit") if ep.name == "textmining"]
    assert entry.load() is feedbackkit_textmining
    plugins = load_plugins(extra=[feedbackkit_textmining], entry_point_plugins=False)
    assert set(plugins.text_analyzers()) == {"overlap", "tfidf"}
    assert isinstance(text_analyzer(plugins), TfidfAnalyzer)  # preferred over the built-in
    assert text_analyzer(plugins, "overlap").name == "overlap"


def test_words_outside_the_vocabulary_match_through_stems_and_character_grams() -> None:
    index = TfidfAnalyzer().index(
        [
            Document("lamp", "De lantaarnpaal in de Kerkstraat is kapot."),
            Document("bin", "De container in de Molenweg is niet geleegd."),
            Document("tax", "De aanslag van de belastingen is te hoog."),
        ]
    )
    # "lantaarnpalen" and "straatlantaarnpaal" are not in the vocabulary
    (best, *_) = index.similar(Document("q", "Lantaarnpalen en straatlantaarnpaal stuk"))
    assert best.id == "lamp"
    assert best.shared == ("lantaarnpaal",)  # the stem both use, shown as written
    (bin_first, *_) = index.similar(Document("q2", "Containers niet geleegd"))
    assert (bin_first.id, bin_first.shared[:1]) == ("bin", ("container",))


def test_more_weight_on_character_grams_tolerates_typos() -> None:
    documents = [
        Document("lamp", "De lantaarnpaal is kapot."),
        Document("other", "De vuilniswagen is niet gekomen."),
    ]
    typo = Document("q", "De lantarnpaal is kaput.")
    words_only = TfidfAnalyzer(char_share=0.0).index(documents).similar(typo)
    with_grams = TfidfAnalyzer(char_share=0.5).index(documents).similar(typo)
    assert words_only == ()  # no word or stem in common
    assert [m.id for m in with_grams] == ["lamp"]


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"char_share": 1.0}, "char_share: must be at least 0 and below 1"),
        ({"dims": 0}, "dims: must be above 0"),
        ({"threshold": 0}, "threshold: must be above 0"),
        ({"micro": -1.0}, "micro: must be above 0"),
    ],
)
def test_bad_settings_name_the_field(settings: dict[str, float], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        TfidfAnalyzer(**settings)  # type: ignore[arg-type]


def test_a_lower_merge_threshold_gives_more_clusters() -> None:
    from feedbackkit.testing.text_corpus import labelled_corpus

    documents = [item.document for item in labelled_corpus(600, seed=4)]
    index = TfidfAnalyzer().index(documents)
    fine = TfidfAnalyzer(threshold=0.4).index(documents).cluster()
    assert len(fine.clusters) > len(index.cluster().clusters)
