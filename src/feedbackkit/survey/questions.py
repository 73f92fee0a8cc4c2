"""The survey's questions as data (``feedbackkit/data/survey_questions.toml``), in Dutch
and English, and the validation of answers into a
:class:`~feedbackkit.models.RelationshipOutcome`."""

from __future__ import annotations

import tomllib
import uuid
from collections.abc import Mapping
from datetime import datetime
from functools import cache
from importlib.resources import files
from typing import Any

import attrs

from feedbackkit.errors import ValidationError
from feedbackkit.models import RelationshipOutcome
from feedbackkit.vocabulary import label

__all__ = ["Question", "outcome_from_answers", "questions"]

MAX_TEXT = 10_000
"""Longest free-text answer kept, in characters."""

_TYPES = ("choice", "scale", "bool", "text")
_FIELDS = frozenset(attrs.fields_dict(RelationshipOutcome)) - {"id", "case_id", "recorded_at"}
_YES = frozenset({"ja", "yes", "true", "1", "j", "y"})
_NO = frozenset({"nee", "no", "false", "0", "n"})


@attrs.frozen
class Question:
    """One question: its key (a field of RelationshipOutcome), type and texts."""

    key: str
    type: str
    nl: str
    en: str
    required: bool = False
    choices: tuple[str, ...] = ()
    min: int | None = None
    max: int | None = None

    def text(self, lang: str = "nl", organisation: str | None = None) -> str:
        """The question in ``lang`` for ``organisation`` (default: "de organisatie")."""
        name = organisation or ("the organisation" if lang == "en" else "de organisatie")
        return (self.en if lang == "en" else self.nl).replace("{organisation}", name)

    def choice_labels(self, lang: str = "nl") -> tuple[tuple[str, str], ...]:
        """``(value, label)`` of every choice, for a form."""
        return tuple((c, label(c, lang)) for c in self.choices)

    def read(self, value: Any) -> Any:
        """The answer as stored (``None`` when empty); ValidationError names the field."""
        field = f"answers.{self.key}"
        if value is None or (isinstance(value, str) and not value.strip()):
            if self.required:
                raise ValidationError(field, "an answer is required")
            return None
        if self.type == "choice":
            if value not in self.choices:
                raise ValidationError(field, f"{value!r} is not one of {', '.join(self.choices)}")
            return value
        if self.type == "scale":
            return self._scale(field, value)
        if self.type == "bool":
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text in _YES | _NO:
                return text in _YES
            raise ValidationError(field, f"{value!r} is not yes or no")
        if not isinstance(value, str):
            raise ValidationError(field, f"expected text, got {value!r}")
        if len(value) > MAX_TEXT:
            raise ValidationError(field, f"longer than {MAX_TEXT} characters")
        return value.strip()

    def _scale(self, field: str, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise ValidationError(field, f"expected a whole number, got {value!r}")
        try:
            number = int(value)
        except ValueError:
            raise ValidationError(field, f"expected a whole number, got {value!r}") from None
        low, high = self.min or 0, self.max or 0  # a scale always has both (checked on load)
        if not low <= number <= high:
            raise ValidationError(field, f"must be between {low} and {high}, got {number}")
        return number


def _question(key: str, data: Mapping[str, Any]) -> Question:
    where = f"survey_questions.toml: questions.{key}"
    if key not in _FIELDS:
        raise ValidationError(where, f"not a RelationshipOutcome field; known: {sorted(_FIELDS)}")
    if data.get("type") not in _TYPES:
        raise ValidationError(f"{where}.type", f"{data.get('type')!r} is not one of {_TYPES}")
    if data["type"] == "scale" and not ("min" in data and "max" in data):
        raise ValidationError(where, "a scale needs min and max")
    return Question(
        key=key,
        type=data["type"],
        nl=data["nl"],
        en=data["en"],
        required=bool(data.get("required", False)),
        choices=tuple(data.get("choices", ())),
        min=data.get("min"),
        max=data.get("max"),
    )


@cache
def questions() -> tuple[Question, ...]:
    """The survey's questions in order."""
    source = files("feedbackkit") / "data" / "survey_questions.toml"
    data = tomllib.loads(source.read_text("utf-8"))
    return tuple(_question(key, body) for key, body in data["questions"].items())


def outcome_from_answers(
    case_id: uuid.UUID, answers: Mapping[str, Any], recorded_at: datetime
) -> RelationshipOutcome:
    """The outcome the answers give; unknown, missing or invalid answers name the field."""
    by_key = {q.key: q for q in questions()}
    for key in answers:
        if key not in by_key:
            raise ValidationError(f"answers.{key}", f"unknown question; known: {', '.join(by_key)}")
    values = {key: q.read(answers.get(key)) for key, q in by_key.items()}
    return RelationshipOutcome(
        case_id=case_id,
        recorded_at=recorded_at,
        **{k: v for k, v in values.items() if v is not None},
    )
