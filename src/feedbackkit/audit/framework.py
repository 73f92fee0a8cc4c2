"""Audit frameworks as versioned data: criteria, the dimensions that group them, scales
and recognition schemes.

A framework is one TOML file (see ``feedbackkit/data/frameworks``) structured through
the shared converter, so a misspelt key or a blank translation names its place. Cross
references (criterion → group, criterion → scale, recognition basis → group kind) are
checked when the :class:`Framework` is built.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from enum import StrEnum
from pathlib import Path
from typing import Any

import attrs

from feedbackkit.converter import structure
from feedbackkit.errors import ValidationError

__all__ = [
    "LANGUAGES",
    "Criterion",
    "Dimension",
    "EvidenceHint",
    "Framework",
    "FrameworkError",
    "Group",
    "Level",
    "RecognitionLevel",
    "RecognitionScheme",
    "Scale",
    "Source",
    "Text",
    "check_lang",
    "load_framework",
    "parse_framework",
]

LANGUAGES = ("nl", "en")
"""Languages every text of a framework is given in; Dutch first."""

ALL = "all"
"""The recognition basis summing every weighted group."""

_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


class FrameworkError(ValidationError):
    """A framework file is invalid; names the file and the field."""

    def __init__(self, source: str, field: str, message: str) -> None:
        super().__init__(field, message)
        self.source = source
        self.args = (f"{source}: {field}: {message}",)


def check_lang(lang: str) -> str:
    """Return ``lang`` when it is one of :data:`LANGUAGES`, else raise :class:`ValidationError`."""
    if lang not in LANGUAGES:
        raise ValidationError("lang", f"unknown language {lang!r}; allowed: {', '.join(LANGUAGES)}")
    return lang


def _slug(instance: object, attribute: attrs.Attribute[Any], value: str) -> None:
    if not _ID.match(value):
        raise ValidationError(
            attribute.name, f"{value!r} is not an identifier (lowercase letters, digits, . _ -)"
        )


def _filled(instance: object, attribute: attrs.Attribute[Any], value: str) -> None:
    if not value.strip():
        raise ValidationError(attribute.name, f"the {attribute.name} text must not be blank")


def _unique(what: str, ids: Iterable[str]) -> None:
    seen: set[str] = set()
    for identifier in ids:
        if identifier in seen:
            raise ValidationError(what, f"duplicate id {identifier!r}")
        seen.add(identifier)


@attrs.frozen
class Text:
    """A text in Dutch and English; :meth:`get` picks one."""

    nl: str = attrs.field(validator=_filled)
    en: str = attrs.field(validator=_filled)

    def get(self, lang: str = "nl") -> str:
        return self.en if check_lang(lang) == "en" else self.nl


@attrs.frozen
class Level:
    """One step of a scale: the number entered and what it means."""

    value: int
    label: Text


@attrs.frozen
class Scale:
    """An ordered rating scale; a level's score is its distance from the bottom, 0..1."""

    id: str = attrs.field(validator=_slug)
    title: Text
    levels: tuple[Level, ...]

    def __attrs_post_init__(self) -> None:
        values = [level.value for level in self.levels]
        if len(values) < 2 or values != sorted(set(values)):
            raise ValidationError("levels", "needs two or more levels with ascending values")

    def fraction(self, value: int) -> float:
        """The score of ``value`` between 0 (lowest level) and 1 (highest)."""
        if value not in {level.value for level in self.levels}:
            raise ValidationError(
                "level", f"{value!r} is not on scale {self.id!r}: {self.legend()}"
            )
        low, high = self.levels[0].value, self.levels[-1].value
        return (value - low) / (high - low)

    def parse(self, raw: str) -> int:
        """The level written as ``raw``: its number or its Dutch or English label."""
        text = raw.strip()
        for level in self.levels:
            if text.casefold() in (
                str(level.value),
                level.label.nl.casefold(),
                level.label.en.casefold(),
            ):
                return level.value
        raise ValidationError("level", f"{text!r} is not on scale {self.id!r}: {self.legend()}")

    def legend(self, lang: str = "nl") -> str:
        """The levels as ``0 = ... | 1 = ...`` for a form or an error message."""
        return " | ".join(f"{level.value} = {level.label.get(lang)}" for level in self.levels)


@attrs.frozen
class Group:
    """A principle, area, shift, competency...: one group along a dimension.

    ``weight`` makes the group worth points (Gouden Oor areas); ``kind`` names the set
    it counts towards in recognition schemes (``organisation`` or ``result``).
    """

    id: str = attrs.field(validator=_slug)
    title: Text
    description: Text | None = None
    weight: float | None = attrs.field(default=None)
    kind: str | None = attrs.field(default=None)

    @weight.validator
    def _check_weight(self, attribute: attrs.Attribute[Any], value: float | None) -> None:
        if value is not None and value <= 0:
            raise ValidationError("weight", f"group {self.id!r}: must be positive, got {value}")

    @kind.validator
    def _check_kind(self, attribute: attrs.Attribute[Any], value: str | None) -> None:
        if value is not None:
            _slug(self, attribute, value)
            if value == ALL:
                raise ValidationError("kind", f"group {self.id!r}: {ALL!r} is reserved")


@attrs.frozen
class Dimension:
    """A way of grouping criteria: principles, areas, shifts, competencies, norm groups."""

    id: str = attrs.field(validator=_slug)
    title: Text
    groups: tuple[Group, ...]

    @property
    def weighted(self) -> bool:
        """True when the groups carry points."""
        return any(group.weight is not None for group in self.groups)

    def group(self, group_id: str) -> Group:
        for group in self.groups:
            if group.id == group_id:
                return group
        raise ValidationError("group", f"dimension {self.id!r} has no group {group_id!r}")


class Source(StrEnum):
    """Where an auditor finds evidence for a criterion."""

    DOCUMENT = "document"
    INTERVIEW = "interview"
    CASE_SAMPLE = "case-sample"
    INDICATOR = "indicator"
    QUESTIONNAIRE = "questionnaire"


@attrs.frozen
class EvidenceHint:
    """A source of evidence for a criterion; ``indicator`` names the computed indicator."""

    kind: Source
    text: Text
    indicator: str | None = None

    def __attrs_post_init__(self) -> None:
        if (self.kind is Source.INDICATOR) != (self.indicator is not None):
            raise ValidationError(
                "indicator", "an indicator hint names its indicator; other hints do not"
            )


@attrs.frozen
class Criterion:
    """What is assessed: an aspect, a norm, a statutory duty, a maturity statement."""

    id: str = attrs.field(validator=_slug)
    title: Text
    description: Text
    groups: Mapping[str, tuple[str, ...]] = attrs.field(hash=False)
    """Dimension id → the ids of the groups this criterion belongs to."""
    evidence: tuple[EvidenceHint, ...]
    scale: str | None = None
    """The scale it is rated on; ``None`` means the framework's default scale."""
    weight: float = attrs.field(default=1.0, validator=attrs.validators.gt(0))
    """Its weight within each of its groups."""
    reference: str | None = None
    """A legal or normative reference, e.g. ``Awb 9:6``."""


@attrs.frozen
class RecognitionLevel:
    """A level reached at ``threshold`` points on ``basis``: a group kind or ``all``."""

    id: str = attrs.field(validator=_slug)
    title: Text
    threshold: float
    basis: str


@attrs.frozen
class RecognitionScheme:
    """Ordered recognition levels. A level is reached when its threshold and those of
    every lower level are met."""

    id: str = attrs.field(validator=_slug)
    title: Text
    levels: tuple[RecognitionLevel, ...]
    description: Text | None = None
    valid_years: int | None = None

    def __attrs_post_init__(self) -> None:
        _unique("levels", (level.id for level in self.levels))
        thresholds = [level.threshold for level in self.levels]
        if not thresholds or thresholds != sorted(thresholds):
            raise ValidationError("levels", "needs levels with non-decreasing thresholds")

    def attained(self, points: Mapping[str, float]) -> RecognitionLevel | None:
        """The highest level reached with ``points`` per basis, or ``None``."""
        reached = None
        for level in self.levels:
            if points[level.basis] < level.threshold:
                break
            reached = level
        return reached

    def next_level(self, current: RecognitionLevel | None) -> RecognitionLevel | None:
        """The level after ``current`` (the first one when ``current`` is ``None``)."""
        index = 0 if current is None else self.levels.index(current) + 1
        return self.levels[index] if index < len(self.levels) else None


@attrs.frozen
class Framework:
    """A versioned audit framework. ``official`` is false for paraphrased texts."""

    name: str = attrs.field(validator=_slug)
    version: str = attrs.field(validator=_filled)
    title: Text
    description: Text
    default_scale: str
    scales: tuple[Scale, ...]
    dimensions: tuple[Dimension, ...]
    criteria: tuple[Criterion, ...]
    recognition: tuple[RecognitionScheme, ...] = ()
    official: bool = False
    notice: Text | None = None
    """What the texts are based on and what they are not (e.g. paraphrases)."""
    sources: tuple[str, ...] = ()

    def __attrs_post_init__(self) -> None:
        _unique("scales", (s.id for s in self.scales))
        _unique("dimensions", (d.id for d in self.dimensions))
        _unique("criteria", (c.id for c in self.criteria))
        _unique("recognition", (r.id for r in self.recognition))
        for dimension in self.dimensions:
            _unique(f"dimensions[{dimension.id}].groups", (g.id for g in dimension.groups))
        self.scale(self.default_scale, field="default_scale")
        for criterion in self.criteria:
            self._check_criterion(criterion)
        for dimension in self.dimensions:
            for group in dimension.groups:
                if not self.members(dimension.id, group.id):
                    raise ValidationError(
                        f"dimensions[{dimension.id}].groups[{group.id}]",
                        "no criterion belongs to it",
                    )
        self._check_points()

    def _check_criterion(self, criterion: Criterion) -> None:
        where = f"criteria[{criterion.id}]"
        if not criterion.evidence:
            raise ValidationError(f"{where}.evidence", "names no source of evidence")
        if criterion.scale is not None and criterion.scale not in {s.id for s in self.scales}:
            raise ValidationError(f"{where}.scale", f"unknown scale {criterion.scale!r}")
        for dimension_id, group_ids in criterion.groups.items():
            dimension = self.dimension(dimension_id, field=f"{where}.groups")
            for group_id in group_ids:
                if group_id not in {g.id for g in dimension.groups}:
                    raise ValidationError(
                        f"{where}.groups.{dimension_id}", f"unknown group {group_id!r}"
                    )
        points = self.points_dimension
        if points is not None and len(criterion.groups.get(points.id, ())) != 1:
            raise ValidationError(
                f"{where}.groups.{points.id}", "must name exactly one group of the points dimension"
            )

    def _check_points(self) -> None:
        weighted = [d for d in self.dimensions if d.weighted]
        if len(weighted) > 1:
            raise ValidationError("dimensions", "only one dimension may carry weights")
        if weighted and any(g.weight is None for g in weighted[0].groups):
            raise ValidationError(f"dimensions[{weighted[0].id}]", "every group needs a weight")
        if self.recognition and not weighted:
            raise ValidationError("recognition", "needs a dimension whose groups carry weights")
        bases = {ALL, *(g.kind for g in weighted[0].groups if g.kind)} if weighted else set()
        for scheme in self.recognition:
            for level in scheme.levels:
                if level.basis not in bases:
                    raise ValidationError(
                        f"recognition[{scheme.id}].levels[{level.id}].basis",
                        f"unknown basis {level.basis!r}; allowed: {', '.join(sorted(bases))}",
                    )

    @property
    def points_dimension(self) -> Dimension | None:
        """The dimension whose groups carry points, if any."""
        return next((d for d in self.dimensions if d.weighted), None)

    def bases(self) -> tuple[str, ...]:
        """Point totals this framework reports: each group kind, then ``all``."""
        points = self.points_dimension
        if points is None:
            return ()
        kinds = dict.fromkeys(g.kind for g in points.groups if g.kind is not None)
        return (*kinds, ALL)

    def criterion(self, criterion_id: str) -> Criterion:
        for criterion in self.criteria:
            if criterion.id == criterion_id:
                return criterion
        raise ValidationError("criterion", f"{self.name} has no criterion {criterion_id!r}")

    def has_criterion(self, criterion_id: str) -> bool:
        return any(c.id == criterion_id for c in self.criteria)

    def scale(self, scale_id: str, field: str = "scale") -> Scale:
        for scale in self.scales:
            if scale.id == scale_id:
                return scale
        raise ValidationError(field, f"{self.name} has no scale {scale_id!r}")

    def scale_of(self, criterion: Criterion) -> Scale:
        """The scale ``criterion`` is rated on."""
        return self.scale(criterion.scale or self.default_scale)

    def dimension(self, dimension_id: str, field: str = "dimension") -> Dimension:
        for dimension in self.dimensions:
            if dimension.id == dimension_id:
                return dimension
        raise ValidationError(field, f"{self.name} has no dimension {dimension_id!r}")

    def members(self, dimension_id: str, group_id: str) -> tuple[Criterion, ...]:
        """The criteria in one group, in framework order."""
        return tuple(c for c in self.criteria if group_id in c.groups.get(dimension_id, ()))

    def scheme(self, scheme_id: str | None = None) -> RecognitionScheme | None:
        """The recognition scheme ``scheme_id``; ``None`` picks the first, if there is one."""
        if scheme_id is None:
            return self.recognition[0] if self.recognition else None
        for scheme in self.recognition:
            if scheme.id == scheme_id:
                return scheme
        available = ", ".join(s.id for s in self.recognition) or "none"
        raise ValidationError(
            "scheme", f"{self.name} has no recognition scheme {scheme_id!r}; available: {available}"
        )


def parse_framework(text: str, source: str, common: Mapping[str, Any] | None = None) -> Framework:
    """Build a framework from TOML text; errors are :class:`FrameworkError` naming ``source``.

    ``common`` holds ``scales`` shared by several files; a scale of the file itself wins.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise FrameworkError(source, "toml", str(exc)) from exc
    own = data.get("scales", [])
    if common and isinstance(own, list):
        ids = {scale.get("id") for scale in own if isinstance(scale, dict)}
        data["scales"] = [*own, *(s for s in common.get("scales", ()) if s["id"] not in ids)]
    try:
        return structure(data, Framework)
    except ValidationError as exc:
        raise FrameworkError(source, exc.field, exc.message) from exc


def load_framework(path: Path, common: Mapping[str, Any] | None = None) -> Framework:
    """Load one framework TOML file (a licensed auditor's official texts, for instance)."""
    return parse_framework(path.read_text("utf-8"), path.name, common)
