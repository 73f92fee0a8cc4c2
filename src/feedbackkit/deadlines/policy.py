"""Deadline policies: the terms of one procedure, as data.

A :class:`Term` is a statutory term or a service norm: how long, counted from
what, which actions meet it or make it lapse, and how an advisory committee,
postponement (verdaging) and suspension (opschorting) change it. Invalid values
raise :class:`~feedbackkit.errors.DeadlinePolicyError` naming the term and field.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from enum import StrEnum

import attrs

from feedbackkit.deadlines.atw import AtwArticle
from feedbackkit.deadlines.calendar import Unit
from feedbackkit.errors import DeadlinePolicyError

__all__ = [
    "OBJECTION_TERM_END",
    "RECEIPT",
    "Committee",
    "DeadlinePolicy",
    "OnReopen",
    "Postponement",
    "Suspension",
    "Term",
]

RECEIPT = "receipt"
"""``Term.starts``: count from the day the feedback was received."""
OBJECTION_TERM_END = "objection_term_end"
"""``Term.starts``: count from the end of the objection term (Awb 6:7, 6:8, 7:10)."""

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


class OnReopen(StrEnum):
    """What reopening a closed case does to a term."""

    KEEP = "keep"
    """The term is computed once over the whole history."""
    RESTART = "restart"
    """Each reopening starts a new round of the term, counted from the reopening."""


def _actions(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


def _terms(value: Iterable[Term]) -> tuple[Term, ...]:
    return tuple(value)


def _articles(value: Iterable[str]) -> frozenset[AtwArticle]:
    return frozenset(AtwArticle(a) for a in value)


@attrs.frozen
class Committee:
    """A longer term when an advisory committee is engaged (Awb 9:11 lid 1, 7:13)."""

    actions: tuple[str, ...] = attrs.field(converter=_actions)
    amount: int
    basis: str


@attrs.frozen
class Postponement:
    """Postponement by an action with payload ``weeks`` (and optionally ``consent: true``)."""

    actions: tuple[str, ...] = attrs.field(converter=_actions)
    basis: str
    max_weeks: int | None = None
    """Total weeks allowed without written consent; ``None``: no cap."""
    consent_basis: str | None = None
    """The rule allowing longer postponement with written consent."""


@attrs.frozen
class Suspension:
    """The term stops running between a ``start`` action and an ``end`` action (Awb 6:6)."""

    start: tuple[str, ...] = attrs.field(converter=_actions)
    end: tuple[str, ...] = attrs.field(converter=_actions)
    basis: str


def _fail(term: str, field: str, message: str) -> DeadlinePolicyError:
    return DeadlinePolicyError(f"term {term!r}: field {field!r}: {message}")


@attrs.frozen
class Term:
    """One term of a procedure: a statutory term or an organisation's service norm."""

    id: str
    nl: str
    en: str
    basis: str
    """The legal basis or the norm, e.g. ``Awb 9:11 lid 1`` or ``Servicenorm``."""
    amount: int
    unit: Unit = attrs.field(converter=Unit)
    met_by: tuple[str, ...] = attrs.field(converter=_actions)
    """Actions that meet the term."""
    statutory: bool = False
    starts: str = RECEIPT
    """:data:`RECEIPT`, :data:`OBJECTION_TERM_END` or an action (from its first occurrence)."""
    lapses_by: tuple[str, ...] = attrs.field(default=(), converter=_actions)
    """Actions after which the term no longer applies (missed if they come after the due date)."""
    applies_if: tuple[str, ...] = attrs.field(default=(), converter=_actions)
    """When set, the term applies only if one of these actions is recorded (Awb 9:8 lid 3)."""
    atw: frozenset[AtwArticle] = attrs.field(default=frozenset(), converter=_articles)
    """The Algemene termijnenwet articles applied to the end of this term."""
    on_reopen: OnReopen = attrs.field(default=OnReopen.KEEP, converter=OnReopen)
    committee: Committee | None = None
    postponement: Postponement | None = None
    suspension: Suspension | None = None

    def __attrs_post_init__(self) -> None:
        if not _NAME.match(self.id):
            raise _fail(self.id, "id", "must be lower-case letters, digits and _")
        for field in ("nl", "en", "basis", "starts"):
            if not getattr(self, field).strip():
                raise _fail(self.id, field, "must not be blank")
        amounts = [("amount", self.amount)]
        if self.committee is not None:
            amounts.append(("committee.amount", self.committee.amount))
        if self.postponement is not None and self.postponement.max_weeks is not None:
            amounts.append(("postponement.max_weeks", self.postponement.max_weeks))
        for field, value in amounts:
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise _fail(self.id, field, f"must be a whole number of at least 1, got {value!r}")
        if not self.met_by:
            raise _fail(self.id, "met_by", "must name at least one action")
        for field, actions in self.action_fields():
            for action in actions:
                if not _NAME.match(action):
                    raise _fail(self.id, field, f"{action!r} is not an action name")
        if self.unit is Unit.HOURS:
            if self.starts == OBJECTION_TERM_END:
                raise _fail(self.id, "starts", "a term in hours cannot count from a day")
            if self.suspension is not None:
                raise _fail(self.id, "suspension", "not supported for a term in hours")

    def action_fields(self) -> list[tuple[str, tuple[str, ...]]]:
        """Every field naming actions, with the actions it names."""
        fields = [("met_by", self.met_by), ("lapses_by", self.lapses_by)]
        fields.append(("applies_if", self.applies_if))
        if self.starts not in (RECEIPT, OBJECTION_TERM_END):
            fields.append(("starts", (self.starts,)))
        if self.committee is not None:
            fields.append(("committee.actions", self.committee.actions))
        if self.postponement is not None:
            fields.append(("postponement.actions", self.postponement.actions))
        if self.suspension is not None:
            fields.append(("suspension.start", self.suspension.start))
            fields.append(("suspension.end", self.suspension.end))
        return fields

    def label(self, lang: str = "nl") -> str:
        return self.en if lang == "en" else self.nl


@attrs.frozen
class DeadlinePolicy:
    """The terms of one procedure; ``name`` is the procedure's name."""

    name: str
    terms: tuple[Term, ...] = attrs.field(converter=_terms)
    reopen_actions: tuple[str, ...] = attrs.field(default=("reopen",), converter=_actions)
    """Actions that reopen a closed case (terms with ``on_reopen = "restart"`` start again)."""
    source: str = "builtin"
    """Where the policy came from: ``builtin`` or a file path."""

    def __attrs_post_init__(self) -> None:
        if not self.name.strip():
            raise DeadlinePolicyError("policy name must not be blank")
        seen: set[str] = set()
        for term in self.terms:
            if term.id in seen:
                raise DeadlinePolicyError(
                    f"policy {self.name!r}: term {term.id!r} is defined twice"
                )
            seen.add(term.id)

    def check(self, actions: Collection[str]) -> None:
        """Raise :class:`DeadlinePolicyError` for a term naming an action not in ``actions``.

        Pass the procedure's actions (``procedure.actions``): a misspelt action would
        otherwise never meet the term.
        """
        for name in self.reopen_actions:
            if name not in actions:
                raise DeadlinePolicyError(
                    f"policy {self.name!r}: field 'reopen_actions': unknown action {name!r}"
                )
        for term in self.terms:
            for field, names in term.action_fields():
                for name in names:
                    if name not in actions:
                        raise DeadlinePolicyError(
                            f"policy {self.name!r}: term {term.id!r}: field {field!r}: "
                            f"procedure {self.name!r} has no action {name!r}"
                        )

    def term(self, term_id: str) -> Term:
        """The term called ``term_id``; :class:`KeyError` when there is none."""
        for term in self.terms:
            if term.id == term_id:
                return term
        raise KeyError(term_id)
