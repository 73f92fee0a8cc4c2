"""What the learning loop stores: themes of cases, service recovery per affected customer,
golden complaints and improvement actions with the "you said, we did" notices sent.

Frozen attrs values, validated on construction (a :class:`ValidationError` names the
field); stores persist them beside the cases (see :mod:`feedbackkit.storage.protocol`).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

import attrs

from feedbackkit.clock import AMSTERDAM
from feedbackkit.errors import ValidationError
from feedbackkit.models import enum_member, new_id

__all__ = [
    "ActionStatus",
    "GoldenFlag",
    "ImprovementAction",
    "Notice",
    "Recovery",
    "RecoveryStatus",
    "ThemeAssignment",
    "ThemeSource",
]

_CODE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")


class ThemeSource(StrEnum):
    """Who put a theme on a case: a person, or the analyser's suggestion (which a person
    may reject)."""

    MANUAL = "manual"
    SUGGESTED = "suggested"
    REJECTED = "rejected"
    """A person found the theme does not fit: the case does not count under it, and the
    analyser does not suggest it again."""


class RecoveryStatus(StrEnum):
    """Where service recovery stands for one affected customer."""

    TO_CONTACT = "to_contact"
    CONTACTED = "contacted"
    RECOVERED = "recovered"
    DECLINED = "declined"


class ActionStatus(StrEnum):
    """Where an improvement action stands."""

    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"


def _theme_source(value: ThemeSource | str) -> ThemeSource:
    return enum_member(ThemeSource, value, "source")


def _recovery_status(value: RecoveryStatus | str) -> RecoveryStatus:
    return enum_member(RecoveryStatus, value, "status")


def _action_status(value: ActionStatus | str) -> ActionStatus:
    return enum_member(ActionStatus, value, "status")


def _moment(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValidationError("at", f"must be timezone-aware, got naive {value.isoformat()}")
    return value.astimezone(AMSTERDAM)


def _optional_moment(value: datetime | None) -> datetime | None:
    return None if value is None else _moment(value)


def _filled(instance: object, attribute: attrs.Attribute[Any], value: str | None) -> None:
    if value is not None and not value.strip():
        raise ValidationError(attribute.name, "must not be blank")


def _code(instance: object, attribute: attrs.Attribute[Any], value: str) -> None:
    if not _CODE.match(value):
        raise ValidationError(
            attribute.name, f"{value!r} is not a theme code (lowercase letters, digits, . _ -)"
        )


def _share(instance: object, attribute: attrs.Attribute[Any], value: float | None) -> None:
    if value is not None and not 0.0 <= value <= 1.0:
        raise ValidationError(attribute.name, f"must be between 0 and 1, got {value}")


def _words(values: Iterable[str]) -> tuple[str, ...]:
    if isinstance(values, str):
        raise ValidationError("terms", "must be a list of words, not one string")
    return tuple(values)


def _ids(values: Iterable[uuid.UUID]) -> tuple[uuid.UUID, ...]:
    return tuple(dict.fromkeys(values))


def _codes(values: Iterable[str]) -> tuple[str, ...]:
    if isinstance(values, str):
        raise ValidationError("themes", "must be a list of theme codes, not one string")
    codes = tuple(dict.fromkeys(values))
    for code in codes:
        if not _CODE.match(code):
            raise ValidationError("themes", f"{code!r} is not a theme code")
    return codes


def _notices(values: Iterable[Notice]) -> tuple[Notice, ...]:
    """In the order they were sent (then by case id): how stores give them back."""
    return tuple(sorted(values, key=lambda n: (n.at.astimezone(UTC), str(n.case_id))))


@attrs.frozen
class ThemeAssignment:
    """A theme on a case: set by a person (``manual``) or suggested, with score and reason,
    or a suggestion a person rejected (``rejected``)."""

    case_id: uuid.UUID
    theme: str = attrs.field(validator=_code)
    source: ThemeSource = attrs.field(converter=_theme_source)
    assigned_at: datetime = attrs.field(converter=_moment)
    assigned_by: str = attrs.field(validator=_filled)
    score: float | None = attrs.field(default=None, validator=_share)
    """How well a suggestion fits (0-1); ``None`` for a manual assignment."""
    terms: tuple[str, ...] = attrs.field(default=(), converter=_words)
    """The words of the text that point at the theme: the reason shown."""


@attrs.frozen
class Recovery:
    """Service recovery for one customer likely affected by the problem another case revealed."""

    source_id: uuid.UUID
    """The case that revealed the problem."""
    case_id: uuid.UUID = attrs.field()
    """The affected customer's case (linked to the source as ``same_problem_as``)."""
    updated_at: datetime = attrs.field(converter=_moment)
    updated_by: str = attrs.field(validator=_filled)
    status: RecoveryStatus = attrs.field(
        default=RecoveryStatus.TO_CONTACT, converter=_recovery_status
    )
    score: float | None = attrs.field(default=None, validator=_share)
    """Text similarity to the source case when it was found (``None``: added by hand)."""
    shared: tuple[str, ...] = attrs.field(default=(), converter=_words)
    """Words both texts use: why it was found."""
    note: str | None = attrs.field(default=None, validator=_filled)

    @case_id.validator
    def _not_the_source(self, attribute: attrs.Attribute[Any], value: uuid.UUID) -> None:
        if value == self.source_id:
            raise ValidationError("case_id", "a case cannot be affected by its own problem")


@attrs.frozen
class GoldenFlag:
    """A golden complaint: rare feedback that shows what the organisation must learn."""

    case_id: uuid.UUID
    flagged_by: str = attrs.field(validator=_filled)
    flagged_at: datetime = attrs.field(converter=_moment)
    reason: str = attrs.field(validator=_filled)


@attrs.frozen
class Notice:
    """A "you said, we did" message about a finished action to the customer of one case.

    ``via`` is the notifier that sent it, with its delivery ``reference``; ``task`` when
    no notifier was configured and a person has to tell the customer.
    """

    case_id: uuid.UUID
    via: str = attrs.field(validator=_filled)
    at: datetime = attrs.field(converter=_moment)
    reference: str | None = None


@attrs.frozen
class ImprovementAction:
    """An improvement decided from feedback: who does what for whom by when, and what changed."""

    title: str = attrs.field(validator=_filled)
    owner: str = attrs.field(validator=_filled)
    target_group: str = attrs.field(validator=_filled)
    """Who has to learn or change (the *leerdoelgroep*): a team, a role, the board."""
    created_at: datetime = attrs.field(converter=_moment)
    created_by: str = attrs.field(validator=_filled)
    id: uuid.UUID = attrs.field(factory=new_id)
    due: date | None = None
    status: ActionStatus = attrs.field(default=ActionStatus.OPEN, converter=_action_status)
    description: str | None = attrs.field(default=None, validator=_filled)
    change_made: str | None = attrs.field(default=None, validator=_filled)
    """What was actually changed: the "we did" of "you said, we did"."""
    done_at: datetime | None = attrs.field(default=None, converter=_optional_moment)
    origin: str | None = attrs.field(default=None, validator=_filled)
    """Where it was decided, e.g. ``verbeteroverleg 2026-04-02``."""
    cases: tuple[uuid.UUID, ...] = attrs.field(default=(), converter=_ids)
    """The feedback it answers."""
    themes: tuple[str, ...] = attrs.field(default=(), converter=_codes)
    notices: tuple[Notice, ...] = attrs.field(default=(), converter=_notices)

    def __attrs_post_init__(self) -> None:
        if self.status is ActionStatus.DONE and (self.change_made is None or self.done_at is None):
            raise ValidationError("change_made", "a done action needs the change made and done_at")
        if self.done_at is not None and self.done_at < self.created_at:
            raise ValidationError("done_at", "lies before the action was created")
        for notice in self.notices:
            if notice.case_id not in self.cases:
                raise ValidationError("notices", f"case {notice.case_id} is not one of the cases")

    def overdue(self, today: date) -> bool:
        """Open or in progress with a due date before ``today``."""
        open_ = self.status in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)
        return open_ and self.due is not None and self.due < today
