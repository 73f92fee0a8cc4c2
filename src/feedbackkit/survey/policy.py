"""When the relationship-outcome survey is asked and what a negative answer does, per
procedure and kind, as data (``feedbackkit/data/survey.toml``)."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from enum import StrEnum
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import attrs

from feedbackkit.errors import ValidationError
from feedbackkit.models import Feedback, RelationshipOutcome
from feedbackkit.vocabulary import Relationship

__all__ = ["OnNegative", "SurveyPolicies", "SurveyPolicy", "default_policies", "load_policies"]


class OnNegative(StrEnum):
    """What a negative answer does."""

    REOPEN = "reopen"
    """Reopen the case where its procedure allows it (else a task)."""
    TASK = "task"
    """Record a task to follow the customer up."""
    NONE = "none"


def _relationships(values: Any) -> frozenset[Relationship]:
    return frozenset(Relationship(v) for v in values)


@attrs.frozen
class SurveyPolicy:
    """The survey settings of one case."""

    ask: bool = True
    expires_days: int = 28
    negative_relationship: frozenset[Relationship] = attrs.field(
        default=frozenset({Relationship.WEAKER}), converter=_relationships
    )
    negative_satisfaction_at_most: int | None = None
    on_negative: OnNegative = attrs.field(default=OnNegative.REOPEN, converter=OnNegative)

    def is_negative(self, outcome: RelationshipOutcome) -> bool:
        """Whether ``outcome`` counts as negative under this policy."""
        if outcome.relationship in self.negative_relationship:
            return True
        limit = self.negative_satisfaction_at_most
        scores = (outcome.satisfaction_solution, outcome.satisfaction_handling)
        return limit is not None and any(s is not None and s <= limit for s in scores)


_KEYS = frozenset(attrs.fields_dict(SurveyPolicy))


@attrs.frozen
class SurveyPolicies:
    """The default policy with its overrides by procedure and by kind."""

    default: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    procedure: Mapping[str, Mapping[str, Any]] = attrs.field(factory=dict, hash=False)
    kind: Mapping[str, Mapping[str, Any]] = attrs.field(factory=dict, hash=False)

    def for_case(self, feedback: Feedback, procedure: str) -> SurveyPolicy:
        """The policy of a case: default, then its procedure's, then its kind's settings."""
        merged = {
            **self.default,
            **self.procedure.get(procedure, {}),
            **self.kind.get(feedback.kind.value, {}),
        }
        return SurveyPolicy(**merged)


def parse_policies(data: Mapping[str, Any], source: str) -> SurveyPolicies:
    """Policies from parsed TOML; unknown sections, keys and values name where they are."""
    sections: dict[str, Any] = {"default": {}, "procedure": {}, "kind": {}}
    for name, body in data.items():
        if name not in sections:
            raise ValidationError(
                f"{source}: {name}", "unknown section; known: default, procedure, kind"
            )
        tables = {"": body} if name == "default" else dict(body)
        for sub, table in tables.items():
            where = f"{source}: {name}{'.' + sub if sub else ''}"
            for key in table:
                if key not in _KEYS:
                    known = ", ".join(sorted(_KEYS))
                    raise ValidationError(f"{where}.{key}", f"unknown key; known: {known}")
            try:
                SurveyPolicy(**table)
            except (ValueError, TypeError) as exc:
                raise ValidationError(where, str(exc)) from None
        sections[name] = body
    return SurveyPolicies(sections["default"], sections["procedure"], sections["kind"])


def load_policies(path: Path) -> SurveyPolicies:
    """Policies from a TOML file such as ``feedbackkit/data/survey.toml``."""
    return parse_policies(tomllib.loads(path.read_text("utf-8")), path.name)


@cache
def default_policies() -> SurveyPolicies:
    """The built-in policies."""
    source = files("feedbackkit") / "data" / "survey.toml"
    return parse_policies(tomllib.loads(source.read_text("utf-8")), "survey.toml")
