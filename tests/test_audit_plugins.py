"""Frameworks and scorers come from plugins: the built-ins register like any other, a
licensed auditor's catalogue replaces a built-in framework, a custom scorer is used."""

from __future__ import annotations

from collections.abc import Callable
from importlib.resources import files
from pathlib import Path
from typing import Any

import attrs
import pytest

from feedbackkit import hookimpl
from feedbackkit.audit import (
    CriterionRef,
    Evidence,
    EvidenceKind,
    Facet,
    Framework,
    FrameworkCatalogue,
    MaturityScorer,
    Observation,
    ObservationKind,
    QuestionnaireAnswer,
    load_framework,
    registered_framework,
    registered_scorer,
    run,
)
from feedbackkit.builtin.audit import builtin_frameworks
from feedbackkit.errors import NotFoundError, PluginError
from feedbackkit.plugins import Plugins, load_plugins

FOLDER = files("feedbackkit") / "data" / "frameworks"
BUILTIN = {f.name: f for f in builtin_frameworks()}


def plugins_with(*extra: object) -> Plugins:
    return load_plugins(extra=extra, entry_point_plugins=False)


def registering(hook: str, *objects: object) -> object:
    """A plugin object implementing one registration hook."""

    def implementation(register: Callable[[Any], None]) -> None:
        for obj in objects:
            register(obj)

    implementation.__name__ = hook
    plugin = type("TestPlugin", (), {hook: staticmethod(hookimpl(implementation))})
    return plugin()


def test_the_built_in_frameworks_and_scorer_are_registered() -> None:
    plugins = plugins_with()
    assert set(plugins.audit_catalogues()) >= set(BUILTIN)
    for name, framework in BUILTIN.items():
        assert registered_framework(plugins, name) == framework
        assert plugins.audit_catalogues()[name].version == framework.version
    assert isinstance(registered_scorer(plugins), MaturityScorer)


def licensed_gouden_oor(tmp_path: Path) -> Framework:
    """The Gouden Oor file as a licensed auditor would ship it: own scales, official texts."""
    text = (FOLDER / "gouden_oor.toml").read_text("utf-8")
    text = text.replace('version = "2012+feedbackkit.1"', 'version = "2022.1"')
    text = text.replace("official = false", "official = true")
    text = text.replace('"Laagdrempelig feedback geven"', '"Officiële aspecttekst 1.1"')
    text += (FOLDER / "_common.toml").read_text("utf-8")
    path = tmp_path / "gouden-oor-2022.toml"
    path.write_text(text, "utf-8")
    return load_framework(path)


def test_a_licensed_catalogue_replaces_the_built_in_framework(tmp_path: Path) -> None:
    official = licensed_gouden_oor(tmp_path)
    plugin = registering("feedbackkit_register_audit_catalogues", FrameworkCatalogue(official))
    plugins = plugins_with(plugin)
    framework = registered_framework(plugins, "gouden-oor")
    assert framework == official
    assert (framework.version, framework.official) == ("2022.1", True)
    assert framework.criterion("svk-laagdrempelig").title.nl == "Officiële aspecttekst 1.1"
    assert registered_framework(plugins, "iso-10002") == BUILTIN["iso-10002"]
    assert registered_framework(plugins_with(), "gouden-oor") == BUILTIN["gouden-oor"]


def test_an_unknown_framework_or_scorer() -> None:
    plugins = plugins_with()
    with pytest.raises(NotFoundError, match="audit framework gouden-oog not found"):
        registered_framework(plugins, "gouden-oor".replace("r", "g"))
    with pytest.raises(NotFoundError, match="audit scorer lenient not found"):
        registered_scorer(plugins, "lenient")


@attrs.frozen
class Mislabelled:
    """A catalogue announcing one version and loading another."""

    name: str = "gouden-oor"
    version: str = "2022.1"

    def load(self) -> Framework:
        return BUILTIN["gouden-oor"]


def test_a_catalogue_must_load_what_it_announces() -> None:
    plugins = plugins_with(registering("feedbackkit_register_audit_catalogues", Mislabelled()))
    with pytest.raises(PluginError, match=r"gouden-oor 2022\.1: load\(\) returned gouden-oor 2012"):
        registered_framework(plugins, "gouden-oor")


class AuditorOnly(MaturityScorer):
    """An accredited auditor's scorer: only the auditor's own ratings count."""

    name = "auditor-only"
    precedence = (EvidenceKind.OBSERVATION,)


EVIDENCE = Evidence(
    answers=(
        QuestionnaireAnswer(CriterionRef("gouden-oor", "stu-visie"), Facet.DESIGN, 4, "mt"),
        QuestionnaireAnswer(CriterionRef("gouden-oor", "mdw-sensor"), Facet.DESIGN, 4, "mt"),
    ),
    observations=(
        Observation(
            id="O-1",
            criteria=(CriterionRef("gouden-oor", "stu-visie"),),
            kind=ObservationKind.FINDING,
            text="Visie vastgesteld, nog niet uitgedragen.",
            facet=Facet.DESIGN,
            level=2,
        ),
    ),
)


def test_a_custom_scorer_swapped_in_through_the_hook_is_used() -> None:
    plugins = plugins_with(registering("feedbackkit_register_scorers", AuditorOnly()))
    gouden_oor = registered_framework(plugins, "gouden-oor")
    custom = run(gouden_oor, EVIDENCE, registered_scorer(plugins, "auditor-only"))
    assert custom.scorer == "auditor-only"
    assert [(c.criterion, c.score) for c in custom.scoring.criteria if c.score is not None] == [
        ("stu-visie", 0.5)
    ]
    default = run(gouden_oor, EVIDENCE, registered_scorer(plugins))
    assert default.scorer == "maturity"
    assert default.scoring.criterion("mdw-sensor").score == 1.0


def test_a_plugin_may_replace_the_default_scorer() -> None:
    class Replacement(AuditorOnly):
        name = "maturity"

    plugins = plugins_with(registering("feedbackkit_register_scorers", Replacement()))
    scorer = registered_scorer(plugins)
    assert isinstance(scorer, Replacement)
    result = run(BUILTIN["gouden-oor"], EVIDENCE, scorer)
    assert result.scoring.criterion("mdw-sensor").score is None
