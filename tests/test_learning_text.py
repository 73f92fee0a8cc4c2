"""Text analysis for the learning loop: the port, the built-in overlap analyser, the
emotion lexicon, the theme taxonomy and the hook that registers analysers."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from feedbackkit import hookimpl
from feedbackkit.clock import AMSTERDAM
from feedbackkit.converter import structure, unstructure
from feedbackkit.errors import PluginError, ValidationError
from feedbackkit.learning.emotion import default_lexicon, load_lexicon, parse_lexicon
from feedbackkit.learning.overlap import OverlapAnalyzer
from feedbackkit.learning.taxonomy import default_taxonomy, load_taxonomy, parse_taxonomy
from feedbackkit.learning.text import (
    Clustering,
    Document,
    EmotionScore,
    LearningDataError,
    Match,
    Scope,
    ThemeSuggestion,
    text_analyzer,
)
from feedbackkit.learning.tokens import content_words, fold, stop_words, word_spans, words
from feedbackkit.models import Feedback
from feedbackkit.plugins import load_plugins
from feedbackkit.testing.text_contract import TextAnalyzerContract, topic_documents
from feedbackkit.testing.text_corpus import TOPICS, LabelledText, labelled_corpus

DAY = date(2026, 5, 12)
DOC = Path(__file__).parent.parent / "docs" / "learning.md"
EXAMPLES = re.findall(r"```python\n(.*?)```", DOC.read_text("utf-8"), re.S)


class TestOverlapAnalyzer(TextAnalyzerContract):
    @pytest.fixture
    def analyzer(self) -> OverlapAnalyzer:
        return OverlapAnalyzer()


# -- the hook and picking an analyser ----------------------------------------------------


def test_hook_feedbackkit_register_text_analyzers() -> None:
    strict = OverlapAnalyzer(name="strict-overlap", threshold=0.6)

    class StrictText:
        @hookimpl
        def feedbackkit_register_text_analyzers(self, register: Callable[[Any], None]) -> None:
            register(strict)

    plugins = load_plugins(extra=[StrictText()], entry_point_plugins=False)
    assert set(plugins.text_analyzers()) == {"overlap", "strict-overlap"}
    assert text_analyzer(plugins) is strict  # a plugin's analyser is preferred
    assert isinstance(text_analyzer(plugins, "overlap"), OverlapAnalyzer)
    assert text_analyzer(plugins, "overlap") is not strict


def test_without_plugins_the_builtin_analyser_answers() -> None:
    plugins = load_plugins(entry_point_plugins=False)
    assert list(plugins.text_analyzers()) == ["overlap"]
    assert text_analyzer(plugins).name == "overlap"


def test_an_unknown_analyser_is_named_with_the_available_ones() -> None:
    plugins = load_plugins(entry_point_plugins=False)
    with pytest.raises(PluginError, match=r"no text analyzer named 'bert'; available: overlap"):
        text_analyzer(plugins, "bert")


# -- documents and scopes ------------------------------------------------------------------


def test_a_document_comes_from_feedback() -> None:
    feedback = Feedback(
        "melding",
        "app",
        datetime(2026, 5, 12, 23, 30, tzinfo=AMSTERDAM),
        "Lantaarnpaal kapot.",
        subject="Openbare verlichting",
        location="Centrum",
    )
    assert Document.from_feedback(feedback) == Document(
        str(feedback.id), "Lantaarnpaal kapot.", "Openbare verlichting", "Centrum", DAY
    )


@pytest.mark.parametrize(
    ("document", "either", "both"),
    [
        (Document("a", "x", "Afval", "Centrum", DAY), True, True),
        (Document("b", "x", "Afval", "Vogelwijk", DAY), True, False),
        (Document("c", "x", None, "Centrum", DAY), True, False),
        (Document("d", "x", "Parkeren", "Vogelwijk", DAY), False, False),
    ],
)
def test_a_scope_with_subject_and_location_admits_either_or_both(
    document: Document, either: bool, both: bool
) -> None:
    assert Scope(subject="Afval", location="Centrum").admits(document) is either
    scope = Scope(subject="Afval", location="Centrum", require_both=True)
    assert scope.admits(document) is both


def test_a_scope_bounds_the_period_and_excludes_ids() -> None:
    query = Document("q", "x", "Afval", "Centrum", DAY)
    scope = Scope.around(query, days=10)
    assert (scope.since, scope.until) == (date(2026, 5, 2), date(2026, 5, 22))
    assert not scope.admits(query)
    assert scope.admits(Document("edge", "x", "Afval", None, date(2026, 5, 22)))
    assert not scope.admits(Document("late", "x", "Afval", None, date(2026, 5, 23)))
    assert not scope.admits(Document("undated", "x", "Afval", "Centrum"))
    assert Scope().admits(Document("undated", "x"))
    anywhere = Scope.around(query, days=10, subject=False, location=False)
    assert anywhere.admits(Document("other", "x", "Parkeren", "Vogelwijk", DAY))


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: Scope(since=DAY, until=date(2026, 5, 1)), "until: 2026-05-01 lies before"),
        (lambda: Scope(min_score=1.5), "min_score: must be between 0 and 1"),
        (lambda: Scope.around(Document("q", "x"), days=-1), "days: must be at least 0"),
        (lambda: Document(" ", "x"), "id: must not be blank"),
        (lambda: Document("a", "x", subject=""), "subject: must not be blank"),
    ],
)
def test_bad_scopes_and_documents_name_the_field(make: Callable[[], object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        make()


def test_results_cross_boundaries_through_the_converter() -> None:
    analyzer = OverlapAnalyzer()
    index = analyzer.index(topic_documents())
    values: list[tuple[object, type[Any]]] = [
        (index.cluster(), Clustering),
        (index.similar(topic_documents()[0], k=1)[0], Match),
        (analyzer.emotion("Ik ben echt boos, maar wel blij met de hulp!"), EmotionScore),
        (analyzer.suggest_themes("De lamp is kapot.", default_taxonomy())[0], ThemeSuggestion),
        (Scope.around(topic_documents()[0], days=3), Scope),
    ]
    for value, kind in values:
        assert structure(unstructure(value), kind) == value


# -- the overlap analyser itself ----------------------------------------------------------


def test_overlap_matches_inflections_and_compounds_through_character_grams() -> None:
    index = OverlapAnalyzer().index(
        [Document("lamp", "Lantaarnpaal doet het niet."), Document("bin", "Kliko niet geleegd.")]
    )
    (best, *_) = index.similar(Document("q", "Straatlantaarnpalen kapot"))
    assert best.id == "lamp"
    assert best.shared == ()  # no word in common: only the character grams matched


def test_a_higher_threshold_gives_more_clusters() -> None:
    documents = topic_documents()
    loose = OverlapAnalyzer(threshold=0.05).index(documents).cluster()
    strict = OverlapAnalyzer(threshold=0.9).index(documents).cluster()
    assert len(loose.clusters) < len(strict.clusters)
    assert len(strict.clusters) == len(documents)  # no two texts are that alike


# -- tokens --------------------------------------------------------------------------------


def test_words_are_folded_to_lowercase_ascii() -> None:
    assert fold("Geërgerd CAFÉ") == "geergerd cafe"
    assert words("Ik ben geërgerd; WOZ-waarde 2026!") == [
        "ik",
        "ben",
        "geergerd",
        "woz",
        "waarde",
        "2026",
    ]
    text = "Wéér een brief!"
    assert [(w, text[s:e]) for w, s, e in word_spans(text)] == [
        ("weer", "Wéér"),
        ("een", "een"),
        ("brief", "brief"),
    ]


def test_content_words_drop_stop_words_and_letter_formulas() -> None:
    assert {"de", "het", "niet", "geachte", "groet"} <= stop_words()
    text = "Geachte heer, de lantaarnpaal is niet gerepareerd. Met vriendelijke groet, K"
    assert content_words(text) == ["lantaarnpaal", "gerepareerd"]


# -- emotion -------------------------------------------------------------------------------


def _triggers(text: str) -> list[tuple[str, str, float, tuple[str, ...]]]:
    return [
        (t.text, t.category, t.intensity, t.modifiers)
        for t in default_lexicon().score(text).triggers
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ik ben boos.", [("boos", "anger", 0.6, ())]),
        ("Ik ben erg boos.", [("boos", "anger", 0.84, ("erg",))]),
        (
            "Ik ben een beetje teleurgesteld.",
            [("teleurgesteld", "disappointment", 0.3, ("beetje",))],
        ),
        ("Ik ben niet boos.", []),
        ("Ik ben niet blij.", [("blij", "disappointment", 0.3, ("niet",))]),
        ("Ik ben boos!", [("boos", "anger", 0.72, ("!",))]),
        ("Ik ben BOOS.", [("BOOS", "anger", 0.78, ("CAPS",))]),
        ("Ik ben geërgerd.", [("geërgerd", "anger", 0.5, ())]),
        ("Wat een teleurstelling.", [("teleurstelling", "disappointment", 0.6, ())]),
        (
            "Ik ben het echt zat.",
            [("het echt zat", "frustration", 0.84, ("echt",))],
        ),
        (
            "Van het kastje naar de muur.",
            [("kastje naar de muur", "frustration", 0.8, ())],
        ),
        ("Ik voel me niet serieus genomen.", [("niet serieus genomen", "injustice", 0.7, ())]),
        ("De lantaarnpaal is kapot.", []),
    ],
)
def test_emotion_words_and_their_modifiers(
    text: str, expected: list[tuple[str, str, float, tuple[str, ...]]]
) -> None:
    assert _triggers(text) == expected


def test_an_emotion_score_combines_categories_and_quotes_the_strongest_sentence() -> None:
    text = "De container is vol. Ik ben teleurgesteld. Ik ben WOEDEND en voel me machteloos!"
    score = default_lexicon().score(text)
    assert score.quote == "Ik ben WOEDEND en voel me machteloos!"
    assert score.dominant == "anger"
    assert set(score.categories) == {"disappointment", "anger", "powerlessness"}
    assert score.valence == -1.0
    assert score.intensity == pytest.approx(1 - (1 - 0.6) * (1 - 1.0) * (1 - 0.96))
    mixed = default_lexicon().score("Eerst was ik boos, nu ben ik dankbaar.")
    assert -1 < mixed.valence < 1
    assert mixed.dominant == "gratitude"
    assert EmotionScore(0.0, 0.0).dominant is None


BAD_LEXICONS = [
    ("name = ", "emotion.toml: toml:"),
    (
        '[categories.anger]\nnl = "boos"\nen = "anger"\nvalence = -1\nwords = { boos = 1.5 }',
        "emotion.toml: categories[anger].words.boos: intensity must be in (0, 1]",
    ),
    (
        '[categories.anger]\nnl = "boos"\nen = "anger"\nvalence = -1\nwords = { boos = 0.5 }\n'
        '[categories.joy]\nnl = "blij"\nen = "joy"\nvalence = 1\nwords = { Boos = 0.5 }',
        "categories.joy.words.Boos: already an entry of category 'anger'",
    ),
    (
        '[categories.anger]\nnl = "boos"\nen = "anger"\nvalence = 2\nwords = { boos = 0.5 }',
        "valence",
    ),
    (
        '[categories.anger]\nnl = "boos"\nen = "anger"\nvalence = -1\nwords = { boos = 0.5 }\n'
        "colour = 'red'",
        "categories[anger].colour: unknown field",
    ),
]


@pytest.mark.parametrize(("body", "message"), BAD_LEXICONS)
def test_a_bad_lexicon_names_the_file_and_field(body: str, message: str) -> None:
    head = (
        'name = "own"\nversion = "1"\n[modifiers]\nintensifiers = {}\ndowntoners = {}\n'
        'negations = ["niet"]\nnegated_positive = "anger"\n'
    )
    with pytest.raises(LearningDataError, match=re.escape(message)):
        parse_lexicon(head + body, "emotion.toml")


def test_an_own_lexicon_loads_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "eigen.toml"
    path.write_text(
        'name = "eigen"\nversion = "1"\n[modifiers]\nintensifiers = { mega = 2.0 }\n'
        'downtoners = {}\nnegations = ["niet"]\nnegated_positive = "gedoe"\n'
        '[categories.gedoe]\nnl = "gedoe"\nen = "hassle"\nvalence = -1\n'
        'words = { "gedoe*" = 0.4, "rompslomp" = 0.5 }\n',
        "utf-8",
    )
    lexicon = load_lexicon(path)
    assert [
        (t.text, t.intensity) for t in lexicon.score("Mega rompslomp en gedoetje.").triggers
    ] == [
        ("rompslomp", 1.0),
        ("gedoetje", 0.4),
    ]
    assert OverlapAnalyzer(lexicon=lexicon).emotion("Wat een gedoe").categories == {"gedoe": 0.4}


# -- themes --------------------------------------------------------------------------------


def test_the_default_taxonomy_has_labelled_themes_with_terms() -> None:
    taxonomy = default_taxonomy()
    assert len(taxonomy.themes) >= 15
    assert taxonomy.theme("verlichting").label("en") == "Street lighting"
    assert taxonomy.theme("verlichting").label() == "Openbare verlichting"
    with pytest.raises(ValidationError, match="gemeente has no theme 'weer'; known: afval"):
        taxonomy.theme("weer")


@pytest.mark.parametrize(
    ("text", "code", "terms"),
    [
        ("De straatverlichting is uitgevallen.", "verlichting", ("straatverlichting",)),
        ("Lantaarnpalen en lampen kapot.", "verlichting", ("lantaarnpalen", "lampen")),
        ("Ik stond 40 minuten in de wacht.", "bereikbaarheid", ("in de wacht",)),
        ("Mijn ID-kaart is verlopen.", "burgerzaken", ("id kaart",)),
        ("De afvalcontainer is vol.", "afval", ("afvalcontainer",)),
    ],
)
def test_themes_are_suggested_from_seed_terms(text: str, code: str, terms: tuple[str, ...]) -> None:
    (first, *_) = default_taxonomy().suggest(text)
    assert (first.code, first.terms) == (code, terms)
    assert first.score == 1 - 0.5 ** len(terms)


def test_theme_suggestions_are_ranked_and_limited() -> None:
    text = "Mijn paspoort is kwijt en de balie was onvriendelijk en onbeschoft tegen mij."
    suggestions = default_taxonomy().suggest(text, limit=2)
    assert [s.code for s in suggestions] == ["bejegening", "burgerzaken"]
    with pytest.raises(ValidationError, match="limit: must be at least 1"):
        default_taxonomy().suggest(text, limit=0)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('name = "x"\nversion = "1"\nthemes = []', "themes.toml: themes: a taxonomy needs"),
        (
            'name = "x"\nversion = "1"\n[[themes]]\ncode = "Afval"\nnl = "A"\nen = "W"\n'
            'terms = ["afval"]',
            r"themes.toml: themes\[0\].code: 'Afval' is not a code",
        ),
        (
            'name = "x"\nversion = "1"\n[[themes]]\ncode = "afval"\nnl = "A"\nen = "W"\nterms = []',
            r"themes\[0\].terms: a theme needs at least one seed term",
        ),
        (
            'name = "x"\nversion = "1"\n[[themes]]\ncode = "a"\nnl = "A"\nen = "W"\nterms = ["x"]\n'
            '[[themes]]\ncode = "a"\nnl = "B"\nen = "V"\nterms = ["y"]',
            r"themes\[1\].code: duplicate code 'a'",
        ),
        (
            'name = "x"\nversion = "1"\n[[themes]]\ncode = "a"\nnl = "A"\nen = "W"\n'
            'terms = ["x"]\nlabel = "?"',
            r"themes\[0\].label: unknown field",
        ),
    ],
)
def test_a_bad_taxonomy_names_the_file_and_field(body: str, message: str) -> None:
    with pytest.raises(LearningDataError, match=message):
        parse_taxonomy(body, "themes.toml")


def test_an_own_taxonomy_loads_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "uwv.toml"
    path.write_text(
        'name = "uitvoering"\nversion = "2026.1"\n'
        '[[themes]]\ncode = "ww"\nnl = "WW-uitkering"\nen = "Unemployment benefit"\n'
        'terms = ["ww", "werkloos"]\n',
        "utf-8",
    )
    taxonomy = load_taxonomy(path)
    suggestion = OverlapAnalyzer().suggest_themes("Ik ben werkloos geworden.", taxonomy)
    assert suggestion == (ThemeSuggestion("ww", 0.5, ("werkloos",)),)


# -- the labelled corpus plugins are measured on --------------------------------------


def test_the_labelled_corpus_is_seeded() -> None:
    corpus = labelled_corpus(300, seed=3)
    assert corpus == labelled_corpus(300, seed=3)
    assert corpus != labelled_corpus(300, seed=4)
    assert len({item.document.id for item in corpus}) == len(corpus) == 300


def test_the_labels_of_the_corpus_hold() -> None:
    corpus = labelled_corpus(1000, seed=8)
    assert {item.topic for item in corpus} == {t.code for t in TOPICS}
    assert {item.theme for item in corpus} <= {t.code for t in default_taxonomy().themes}
    categories = set(default_lexicon().categories)
    assert {item.emotion for item in corpus} - {None} <= categories
    groups: dict[str, list[LabelledText]] = {}
    for item in corpus:
        if item.problem is not None:
            groups.setdefault(item.problem, []).append(item)
    assert 0.1 <= sum(map(len, groups.values())) / len(corpus) <= 0.2
    for members in groups.values():
        assert len({m.topic for m in members}) == 1
        assert len({m.document.location for m in members} - {None}) <= 1
        days = [m.document.day for m in members if m.document.day is not None]
        assert (max(days) - min(days)).days <= 10
    mixed = [ms for ms in groups.values() if len({(m.kind, m.channel) for m in ms}) > 1]
    assert len(mixed) >= len(groups) / 2, "problems are reported across kinds and channels"


# -- docs that cannot rot ------------------------------------------------------------------


@pytest.mark.parametrize("number", range(len(EXAMPLES)))
def test_the_examples_in_the_docs_run(number: int, capsys: pytest.CaptureFixture[str]) -> None:
    exec(compile(EXAMPLES[number], f"{DOC.name}[{number}]", "exec"), {"__name__": "docs"})
    assert capsys.readouterr().out


def test_the_docs_name_the_limits_of_the_lexicon_truthfully() -> None:
    assert default_lexicon().score("Geweldig, wéér niet opgehaald.").dominant == "joy"
    assert default_lexicon().score("Ik heb drie nachten niet geslapen.").intensity == 0
    entries = sum(len(c.words) for c in default_lexicon().categories.values())
    assert 180 <= entries <= 220, entries  # "about 200 entries"
