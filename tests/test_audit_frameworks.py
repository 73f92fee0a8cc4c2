"""The framework files shipped as data: each loads and validates, and the validation
catches what a hand-edited framework gets wrong, naming the file and the field."""

from __future__ import annotations

import json
import tomllib
from importlib.resources import files
from pathlib import Path

import pytest

from feedbackkit.audit import Framework, FrameworkError, load_framework, parse_framework
from feedbackkit.builtin.audit import builtin_frameworks
from feedbackkit.converter import structure, unstructure

FOLDER = Path(str(files("feedbackkit") / "data" / "frameworks"))
FILES = sorted(p for p in FOLDER.glob("*.toml") if not p.name.startswith("_"))
COMMON = tomllib.loads((FOLDER / "_common.toml").read_text("utf-8"))


def by_name(name: str) -> Framework:
    return next(f for f in builtin_frameworks() if f.name == name)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_framework_file_loads_and_validates(path: Path) -> None:
    framework = load_framework(path, COMMON)
    for what, ids in (
        ("criteria", [c.id for c in framework.criteria]),
        ("dimensions", [d.id for d in framework.dimensions]),
        *((d.id, [g.id for g in d.groups]) for d in framework.dimensions),
    ):
        assert len(ids) == len(set(ids)), what
    for criterion in framework.criteria:
        for text in (criterion.title, criterion.description):
            assert text.nl.strip(), criterion.id
            assert text.en.strip(), criterion.id
        assert criterion.evidence, criterion.id
        assert framework.scale_of(criterion).levels
        for dimension_id, group_ids in criterion.groups.items():
            groups = {g.id for g in framework.dimension(dimension_id).groups}
            assert set(group_ids) <= groups, criterion.id
    assert framework.notice is not None
    assert not framework.official


def test_the_built_in_catalogue_holds_every_file() -> None:
    assert sorted(f.name for f in builtin_frameworks()) == [
        "awb-compliance",
        "behoorlijkheidswijzer",
        "gouden-oor",
        "ictu-maturity-scan",
        "iso-10002",
        "seven-shifts",
    ]
    assert len(builtin_frameworks()) == len(FILES)


def test_gouden_oor_weights_are_70_organisation_and_30_result_points() -> None:
    gouden_oor = by_name("gouden-oor")
    areas = gouden_oor.dimension("area").groups
    weight = {g.id: g.weight for g in areas}
    assert weight == {
        "stem-van-de-klant": 10,
        "sturing": 20,
        "medewerkers": 20,
        "middelen": 10,
        "leren-ontwikkelen": 10,
        "vertrouwen-reputatie": 10,
        "proces-productverbetering": 10,
        "verbonden-medewerkers": 5,
        "retentie-meerwaarde": 5,
    }
    assert sum(g.weight or 0 for g in areas if g.kind == "organisation") == 70
    assert sum(g.weight or 0 for g in areas if g.kind == "result") == 30
    assert len(gouden_oor.dimension("principle").groups) == 6
    assert gouden_oor.bases() == ("organisation", "result", "all")


def test_gouden_oor_has_both_recognition_schemes() -> None:
    schemes = {s.id: s for s in by_name("gouden-oor").recognition}
    assert [(lv.id, lv.threshold, lv.basis) for lv in schemes["a"].levels] == [
        ("gecommitteerd", 25, "organisation"),
        ("niveau-1", 50, "organisation"),
        ("niveau-2", 70, "all"),
        ("niveau-3", 90, "all"),
    ]
    assert [lv.threshold for lv in schemes["b"].levels] == [20, 30, 50, 70, 80, 90]
    assert schemes["a"].valid_years == schemes["b"].valid_years == 3


def test_shifts_competencies_and_norm_groups() -> None:
    assert len(by_name("seven-shifts").dimension("shift").groups) == 7
    assert [g.id for g in by_name("ictu-maturity-scan").dimension("competency").groups] == [
        "ontvankelijk",
        "klantgevoelig",
        "lerend",
    ]
    wijzer = by_name("behoorlijkheidswijzer")
    assert len(wijzer.criteria) == 22
    assert [len(wijzer.members("group", g.id)) for g in wijzer.dimension("group").groups] == [
        4,
        6,
        5,
        7,
    ]
    iso = by_name("iso-10002")
    assert len(iso.members("part", "principles")) == 14


def test_awb_compliance_covers_the_statutory_duties() -> None:
    references = {c.reference for c in by_name("awb-compliance").criteria}
    assert references >= {
        "Awb 9:6",
        "Awb 9:8 lid 3",
        "Awb 9:9",
        "Awb 9:10",
        "Awb 9:11 lid 1",
        "Awb 9:11 lid 2",
        "Awb 9:12",
        "Awb 9:12a",
        "Awb 7:10",
    }
    assert by_name("awb-compliance").default_scale == "compliance"


# -- what validation catches ---------------------------------------------------------

MINIMAL = """
name = "toy"
version = "1"
default_scale = "yes-no"
title = { nl = "Speelgoed", en = "Toy" }
description = { nl = "Een raamwerk", en = "A framework" }

[[scales]]
id = "yes-no"
title = { nl = "Ja/nee", en = "Yes/no" }
levels = [
  { value = 0, label = { nl = "Nee", en = "No" } },
  { value = 1, label = { nl = "Ja", en = "Yes" } },
]

[[dimensions]]
id = "area"
title = { nl = "Gebied", en = "Area" }
groups = [{ id = "a", title = { nl = "A", en = "A" }, weight = 10, kind = "organisation" }]

[[criteria]]
id = "c1"
groups = { area = ["a"] }
title = { nl = "Eén", en = "One" }
description = { nl = "Eerste", en = "First" }
evidence = [{ kind = "document", text = { nl = "Stuk", en = "Paper" } }]
"""


def test_the_minimal_framework_is_valid() -> None:
    framework = parse_framework(MINIMAL, "toy.toml")
    assert framework.criterion("c1").title.get("en") == "One"


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (('en = "One"', 'en = " "'), "criteria[0].title.en", "must not be blank"),
        (
            ('groups = { area = ["a"] }', 'groups = { area = ["b"] }'),
            "criteria[c1].groups.area",
            "'b'",
        ),
        (('groups = { area = ["a"] }', 'groups = { aera = ["a"] }'), "criteria[c1].groups", "aera"),
        (
            ('evidence = [{ kind = "document"', 'evidence = [{ kind = "rumour"'),
            "criteria[0].evidence[0].kind",
            "unknown value 'rumour'",
        ),
        (('default_scale = "yes-no"', 'default_scale = "likert"'), "default_scale", "likert"),
        (
            ('description = { nl = "Eerste"', 'descripton = { nl = "Eerste"'),
            "criteria[0]",
            "missing",
        ),
        (('id = "c1"\n', 'id = "c1"\nweigth = 2\n'), "criteria[0].weigth", "unknown field"),
        (("{ value = 1, label", "{ value = 0, label"), "scales[0].levels", "ascending"),
        (("weight = 10", "weight = -1"), "dimensions[0].groups[0].weight", "positive"),
    ],
)
def test_validation_names_the_field(change: tuple[str, str], field: str, message: str) -> None:
    old, new = change
    assert old in MINIMAL
    with pytest.raises(FrameworkError) as caught:
        parse_framework(MINIMAL.replace(old, new), "toy.toml")
    assert caught.value.source == "toy.toml"
    assert caught.value.field.startswith(field), caught.value.field
    assert message in str(caught.value)
    assert str(caught.value).startswith("toy.toml: ")


def test_duplicate_criterion_ids_are_rejected() -> None:
    second = MINIMAL[MINIMAL.index("[[criteria]]") :]
    with pytest.raises(FrameworkError, match="criteria: duplicate id 'c1'"):
        parse_framework(MINIMAL + second, "toy.toml")


def test_a_group_without_criteria_is_rejected() -> None:
    text = MINIMAL.replace(
        'kind = "organisation" }]',
        'kind = "organisation" }, { id = "b", title = { nl = "B", en = "B" }, weight = 5 }]',
    )
    with pytest.raises(FrameworkError, match=r"groups\[b\]: no criterion belongs to it"):
        parse_framework(text, "toy.toml")


def test_recognition_basis_must_be_a_group_kind_or_all() -> None:
    scheme = """
[[recognition]]
id = "r"
title = { nl = "Erkenning", en = "Recognition" }
levels = [{ id = "one", threshold = 5, basis = "results", title = { nl = "Een", en = "One" } }]
"""
    with pytest.raises(FrameworkError, match="unknown basis 'results'; allowed: all, organisation"):
        parse_framework(MINIMAL + scheme, "toy.toml")
    assert parse_framework(MINIMAL + scheme.replace('"results"', '"all"'), "toy.toml").recognition


def test_a_toml_syntax_error_names_the_file() -> None:
    with pytest.raises(FrameworkError, match=r"^broken.toml: toml: .*line 3"):
        parse_framework('name = "x"\nversion = "1"\ntitle = = 3\nfoo = 1', "broken.toml")


def test_a_file_without_common_scales_needs_its_own(tmp_path: Path) -> None:
    text = (FOLDER / "gouden_oor.toml").read_text("utf-8")
    path = tmp_path / "gouden_oor.toml"
    path.write_text(text, "utf-8")
    with pytest.raises(FrameworkError, match=r"gouden_oor\.toml: scales: required field missing"):
        load_framework(path)
    assert load_framework(path, COMMON) == by_name("gouden-oor")


@pytest.mark.parametrize("framework", builtin_frameworks(), ids=lambda f: f.name)
def test_a_framework_round_trips_through_the_converter(framework: Framework) -> None:
    assert structure(json.loads(json.dumps(unstructure(framework))), Framework) == framework
