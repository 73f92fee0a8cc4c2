"""Handling histories that follow the built-in procedures, on time or late, open or closed.

A :class:`Timeline` writes one case's events: it keeps the clock on working days
and office hours, checks every action against the procedure as it is recorded
(so a script cannot write an illegal history) and drops everything after the
period's end, which leaves the cases of the last weeks open. One script per
procedure decides what happens; :class:`Draft` carries what it needs to know
about the case and what it decided (the customer's mood after handling).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any, Protocol

import attrs

from feedbackkit.demo.days import CLOSE_MINUTE, OPEN_MINUTE, Period
from feedbackkit.demo.dice import Dice, Weighted
from feedbackkit.demo.names import AMBASSADORS
from feedbackkit.demo.phrases import (
    ADVICE,
    DEFECTS,
    FORWARD_TO,
    HEARING_REPORTS,
    NOTES,
    REJECT_GROUNDS,
    REOPEN_REASONS,
    RESPONSES,
)
from feedbackkit.models import Event, RelationshipOutcome
from feedbackkit.vocabulary import Channel, Form, Judgement, Kind, Relationship
from feedbackkit.workflow.procedure import Procedure

__all__ = ["SCRIPTS", "Draft", "FollowUps", "Timeline", "ask_outcome", "handle"]

OMBUDSMAN = "Nationale ombudsman, binnen een jaar na deze brief"
"""The ombudsman the findings refer to (Awb 9:12 lid 2)."""

_MEDIA = Weighted((("phone", 6), ("email", 2), ("visit", 1), ("counter", 1), ("video", 1)))
_JUDGEMENTS = Weighted(
    (
        (Judgement.GEGROND, 3),
        (Judgement.DEELS_GEGROND, 2.5),
        (Judgement.ONGEGROND, 3.5),
        (Judgement.GEEN_OORDEEL, 1),
    )
)
_DECISIONS = Weighted((("ongegrond", 5.5), ("deels_gegrond", 2), ("gegrond", 2.5)))
_DECLINE = Weighted(
    (
        ("objection_possible", 4),
        ("already_handled", 2),
        ("older_than_a_year", 2),
        ("insufficient_interest", 1),
    )
)
_WEBCARE = (Channel.SOCIAL, Channel.WEB_FORM)
"""Channels whose feedback an ambassador monitors as second handler (Schagen practice)."""
_WAIVE_COMPLAINT = ("clearly_unfounded", "declined", "no_reply")
_WAIVE_OBJECTION = ("clearly_unfounded", "declined", "no_reply", "fully_granted")


@attrs.define
class Draft:
    """What a handling script knows about a case, and the mood it leaves the customer in."""

    kind: Kind
    channel: Channel
    form: Form
    medium: str
    """How the receiving employee talks with the customer."""
    department: str
    coordinator: str
    """Who assigns and monitors: the complaints coordinator, the objections jurist..."""
    handler: str
    receiver: str
    """Who registered the feedback and acknowledges it."""
    beklaagde: bool
    resolutions: tuple[str, ...]
    decision_date: date | None = None
    mood: int = 0
    """-1 dissatisfied, 0 neutral, +1 pleased: drives the relationship outcome."""
    conduct_over_a_year: bool = False
    """Set when the complaint is declined because the conduct was more than a year ago."""


class FollowUps(Protocol):
    """Where a script plans later items: repeats that escalate, problems that come back."""

    def escalate(self, draft: Draft, after: datetime) -> tuple[uuid.UUID, datetime] | None:
        """Plan a repeat report about this unresolved melding; its id and arrival, if any."""
        ...

    def recur(self, draft: Draft, after: datetime) -> None:
        """Plan a new report of the same problem after this melding was closed."""
        ...


class Timeline:
    """The events of one case as they are written, checked against the procedure."""

    def __init__(
        self,
        dice: Dice,
        period: Period,
        procedure: Procedure,
        case_id: uuid.UUID,
        received_at: datetime,
    ) -> None:
        self.dice = dice
        self.period = period
        self.end = period.end
        self.procedure = procedure
        self.table = procedure.table
        self.finished = _done_states(procedure)
        self.case_id = case_id
        self.received_at = received_at
        self.t = received_at
        self.day = period.index(received_at.date())
        self.events: list[Event] = []
        self.state = procedure.initial
        self.done_at: datetime | None = None
        self.late = False
        """A term was deliberately overrun."""

    @property
    def cut(self) -> bool:
        """True once the clock has passed the end of the period: nothing more is recorded."""
        return self.t > self.end

    def wait(self, working_days: int) -> None:
        """Move to office hours ``working_days`` working days later; 0 is later today if
        the office is still open, else the next working day."""
        period = self.period
        if working_days == 0 and period.working[self.day]:
            minute = self.t.hour * 60 + self.t.minute
            if minute < OPEN_MINUTE:
                self._go(self.day)
                return
            if minute < CLOSE_MINUTE - 30:  # later today, still in office hours
                minutes = self.dice.between(5, min(120, CLOSE_MINUTE - minute))
                self.t += timedelta(minutes=minutes)
                return
            working_days = 1
        self._go(period.add_working_days(self.day, working_days))

    def to_date(self, target: date) -> None:
        """Move to office hours on ``target`` (or the next working day), never back in time."""
        day = self.period.index(target)
        if day <= self.day:
            self.wait(0)
        else:
            self._go(self.period.working_day(day))

    def to_moment(self, moment: datetime) -> None:
        """Move to ``moment`` (not before the current time)."""
        if moment > self.t:
            self.t = moment
            self.day = self.period.index(moment.date())

    def later(self, low: int, high: int) -> None:
        """Move ``low`` to ``high`` minutes on."""
        self.t += timedelta(minutes=low + int(self.dice.random() * (high - low + 1)))
        self.day = self.period.index(self.t.date())

    def _go(self, day: int) -> None:
        """Move to a random office-hours moment on ``day`` (a little later if that is past)."""
        minute = OPEN_MINUTE + int(self.dice.random() * (CLOSE_MINUTE - OPEN_MINUTE))
        moment = self.period.moment(day, minute)
        self.t = moment if moment > self.t else self.t + timedelta(minutes=5)
        self.day = day

    def do(
        self,
        action: str,
        actor: str,
        payload: dict[str, Any] | None = None,
        reason: str | None = None,
    ) -> bool:
        """Record ``action`` now; False (nothing recorded) once past the period's end.

        Raises :class:`~feedbackkit.errors.IllegalActionError` for an action the
        procedure does not allow in the current state (payloads are checked when
        the record is replayed, e.g. by ``FeedbackKit.prepare``).
        """
        if self.t > self.end:
            return False
        state = self.table.get((self.state, action))
        if state is None:
            self.procedure.step(self.state, action)  # raises, naming the allowed actions
            return False  # pragma: no cover - step raised
        self.state = state
        events = self.events
        events.append(
            Event(
                self.case_id,
                len(events) + 1,
                action,
                actor,
                self.t,
                reason,
                payload if payload is not None else {},
                self.dice.uuid(self.t),
            )
        )
        if state in self.finished:
            if self.done_at is None:
                self.done_at = self.t
        else:
            self.done_at = None
        return True

    def note(self, actor: str) -> None:
        self.do("note", actor, {"text": self.dice.pick(NOTES)})

    def maybe_note(self, actor: str, probability: float) -> None:
        if self.dice.chance(probability):
            self.note(actor)


SURVEY_ACTOR = "Klantvraag (automatisch)"
_SURVEY_DAYS = 28


def ask_outcome(tl: Timeline, closed_at: datetime, outcome: RelationshipOutcome | None) -> None:
    """The relationship-outcome survey after closing: the request, the answer when it came
    in (``outcome``) and, when the relationship weakened, a task to call the customer."""
    tl.to_moment(closed_at + timedelta(minutes=30))
    survey = tl.case_id.hex  # one survey per demo case: no dice drawn for its id
    expires_at = (tl.t + timedelta(days=_SURVEY_DAYS)).replace(microsecond=0)
    tl.do(
        "survey_requested", SURVEY_ACTOR, {"survey": survey, "expires_at": expires_at.isoformat()}
    )
    if outcome is None:
        return
    tl.to_moment(outcome.recorded_at)
    weaker = outcome.relationship is Relationship.WEAKER
    answer = {
        "survey": survey,
        "relationship": outcome.relationship.value,
        "negative": weaker,
        "outcome": str(outcome.id),
    }
    if tl.do("survey_answered", SURVEY_ACTOR, answer) and weaker:
        tl.do("task", SURVEY_ACTOR, {"text": "Klant terugbellen: relatie zwakker geworden"})


@cache
def _done_states(procedure: Procedure) -> frozenset[str]:
    return frozenset(name for name, state in procedure.states.items() if state.done)


def _melding(tl: Timeline, draft: Draft, follow: FollowUps) -> None:
    """Acknowledge (often automatically), route, carry out, inform the reporter, close;
    some rejected, forgotten or reopened, some late and then reported again."""
    d, handler = tl.dice, draft.handler
    if draft.channel in (Channel.APP, Channel.WEB_FORM) and d.chance(0.8):
        tl.later(1, 3)
        tl.do("acknowledge", "Meldingensysteem (automatisch)")
    else:
        tl.wait(0 if d.chance(0.85) else d.between(2, 4))
        tl.do("acknowledge", draft.receiver)
    tl.wait(d.between(0, 1))
    if d.chance(0.05):
        to_reporter = {"template": "melding_niet_in_behandeling", "to": ["reporter"]}
        tl.do("message_sent", draft.coordinator, to_reporter)
        tl.do("reject", draft.coordinator, {"ground": d.pick(REJECT_GROUNDS)})
        draft.mood = -1 if d.chance(0.5) else 0
        return
    tl.do("assign_handler", draft.coordinator, {"handler": handler})
    if draft.channel in _WEBCARE and d.chance(0.2):
        tl.do("assign_ambassador", draft.coordinator, {"ambassador": d.pick(AMBASSADORS)})
    tl.do("route", draft.coordinator, {"department": draft.department})
    tl.maybe_note(draft.coordinator, 0.1)
    fate = d.random()
    if fate < 0.03:  # work starts and is then forgotten
        tl.wait(d.between(1, 5))
        tl.do("start_work", handler)
        return
    if fate < 0.18:  # late: the reporter chases it, sometimes as a complaint
        tl.late = True
        tl.wait(d.between(3, 8))
        tl.do("start_work", handler)
        if draft.kind is Kind.MELDING and d.chance(0.3) and not tl.cut:
            repeat = follow.escalate(draft, tl.t)
            if repeat is not None:
                tl.to_moment(repeat[1])
                complaint = str(repeat[0])
                tl.do(
                    "repeat_reported", draft.receiver, {"repeat": complaint, "complaint": complaint}
                )
        tl.wait(d.between(4, 15))
        draft.mood = -1
    else:
        tl.wait(d.between(0, 3))
        tl.do("start_work", handler)
        tl.wait(d.between(0, 4))
        draft.mood = 1 if d.chance(0.5) else 0
    if draft.kind is Kind.SIGNAL or d.chance(0.1):  # a signal needs a visit, a melding a call
        tl.do(
            "contact_made", handler, {"medium": "visit" if draft.kind is Kind.SIGNAL else "phone"}
        )
    tl.do("complete", handler, {"resolution": d.pick(draft.resolutions)})
    if d.chance(0.8):
        tl.wait(0 if d.chance(0.92) else d.between(3, 6))
        tl.do("inform_reporter", handler)
    tl.wait(d.between(0, 2))
    tl.do("close", handler)
    if d.chance(0.03):
        tl.wait(d.between(2, 15))
        tl.do("reopen", draft.receiver, {"reason": REOPEN_REASONS[0]})
        tl.wait(d.between(1, 5))
        tl.do("complete", handler, {"resolution": d.pick(draft.resolutions)})
        tl.do("close", handler)
        draft.mood = -1
    elif draft.kind is Kind.MELDING and d.chance(0.03) and not tl.cut:
        follow.recur(draft, tl.t)


def _complaint(tl: Timeline, draft: Draft, follow: FollowUps) -> None:
    """Awb ch. 9: resolved on the spot, or assigned, called and acknowledged; then
    forwarded, declined, withdrawn, resolved informally or handled formally."""
    d, handler = tl.dice, draft.handler
    direct = 0.3 if draft.kind is Kind.DISSATISFACTION else 0.12
    if draft.form is Form.ORAL and d.chance(direct):  # resolved by the employee on the spot
        tl.later(5, 30)
        tl.do("contact_made", draft.receiver, {"medium": draft.medium})
        tl.do("resolve_informally", draft.receiver, reason="Direct opgelost door de medewerker")
        tl.do("close", draft.receiver, {"accepted": True})
        draft.mood = 1 if d.chance(0.6) else 0
        return
    tl.wait(0)
    tl.do("assign_handler", draft.coordinator, {"handler": handler})
    if draft.channel in _WEBCARE and d.chance(0.4):
        tl.do("assign_ambassador", draft.coordinator, {"ambassador": d.pick(AMBASSADORS)})
    route = d.random()
    if route < 0.04:
        tl.wait(d.between(0, 2))
        tl.do("forward", draft.coordinator, {"to": d.pick(FORWARD_TO)})
        return
    _contact_and_acknowledge(tl, draft)
    if route < 0.1:
        ground = _DECLINE.draw(d)
        draft.conduct_over_a_year = ground == "older_than_a_year"
        tl.wait(d.between(5, 15) if d.chance(0.85) else d.between(21, 30))
        tl.do("decline", draft.coordinator, {"ground": ground})
        draft.mood = -1 if d.chance(0.6) else 0
        return
    if draft.beklaagde:
        tl.do("copy_to_beklaagde", handler)
    tl.maybe_note(handler, 0.1)
    if route < 0.15:
        tl.wait(d.between(1, 5))
        tl.do("withdraw", handler, reason="Klager ziet af van verdere behandeling")
        return
    if route < 0.62:
        tl.do("start_informal", handler)
        if d.chance(0.85):
            slow = d.chance(0.1)
            tl.late = tl.late or slow
            tl.wait(d.between(25, 40) if slow else d.between(0, 6))
            tl.do("resolve_informally", handler)
            tl.wait(d.between(0, 2))
            tl.do("close", handler, {"accepted": True})
            draft.mood = 0 if tl.late else 1
            return
        tl.wait(d.between(2, 8))
    tl.do("start_formal", handler)
    _formal_complaint(tl, draft)


def _contact_and_acknowledge(tl: Timeline, draft: Draft) -> None:
    """The handler calls the complainant (service norm: within 3 working days) and the
    receipt is acknowledged in writing, in whichever order their days fall."""
    d = tl.dice
    late_ack, late_contact = d.chance(0.1), d.chance(0.12)
    tl.late = tl.late or late_ack or late_contact
    steps = [(d.between(6, 12) if late_ack else d.between(0, 3), "acknowledge")]
    if d.chance(0.9):
        steps.append((d.between(4, 9) if late_contact else d.between(0, 2), "contact_made"))
    at = 0
    for offset, action in sorted(steps):
        tl.wait(offset - at)
        at = offset
        if action == "acknowledge":
            tl.do(action, draft.coordinator)
        else:
            tl.do(action, draft.handler, {"medium": _MEDIA.draw(d)})


def _formal_complaint(tl: Timeline, draft: Draft) -> None:
    """Committee, hearing, postponement with notice to both parties, findings; a few reopened."""
    d, handler = tl.dice, draft.handler
    weeks = 6
    if d.chance(0.08):
        tl.do("engage_committee", draft.coordinator)
        weeks = 10
    to = ["complainant", "beklaagde"] if draft.beklaagde else ["complainant"]
    _hear(tl, draft, to)
    if d.chance(0.12):
        tl.do("postpone", handler, {"weeks": 4}, reason="Beklaagde langdurig afwezig")
        tl.do("message_sent", handler, {"template": "verdaging", "to": to})
        weeks += 4
    _send_findings(tl, draft, weeks)
    if d.chance(0.03):
        tl.wait(d.between(5, 20))
        tl.do("reopen", draft.coordinator, {"reason": d.pick(REOPEN_REASONS[1:])})
        tl.wait(d.between(5, 15))
        _hear(tl, draft, to)
        tl.wait(d.between(5, 15))
        _send_findings(tl, draft, None)
        draft.mood = -1


def _hear(tl: Timeline, draft: Draft, to: list[str]) -> None:
    """Invite and hear both parties (Awb 9:10), or waive the hearing on a legal ground."""
    d = tl.dice
    tl.wait(d.between(5, 15))
    if d.chance(0.75):
        tl.do("message_sent", draft.handler, {"template": "uitnodiging_horen", "to": to})
        tl.wait(d.between(3, 10))
        tl.do("hold_hearing", draft.handler, {"report": d.pick(HEARING_REPORTS)})
    else:
        tl.do("waive_hearing", draft.handler, {"ground": d.pick(_WAIVE_COMPLAINT)})


def _send_findings(tl: Timeline, draft: Draft, weeks: int | None) -> None:
    """Findings with a judgement (Awb 9:12) around the term of ``weeks`` after receipt
    (right away for a reopened complaint), then close with the complainant's verdict."""
    d = tl.dice
    if weeks is not None:
        due = tl.received_at.date() + timedelta(weeks=weeks)
        late = d.chance(0.2)
        tl.late = tl.late or late
        tl.to_date(due + timedelta(days=d.between(3, 30) if late else -d.between(1, 12)))
    judgement = _JUDGEMENTS.draw(d)
    tl.do("send_findings", draft.handler, {"judgement": judgement, "ombudsman": OMBUDSMAN})
    upheld = judgement in (Judgement.GEGROND, Judgement.DEELS_GEGROND)
    tl.wait(d.between(0, 3))
    tl.do("close", draft.handler, {"accepted": upheld or d.chance(0.3)})
    if upheld:
        draft.mood = 0 if tl.late else 1
    else:
        draft.mood = -1 if d.chance(0.5) else 0


def _objection(tl: Timeline, draft: Draft, follow: FollowUps) -> None:
    """Awb ch. 6-7: acknowledgement, admissibility (repair, filed too late), informal
    resolution, hearing, committee advice, postponement, notice of default, decision."""
    d, handler = tl.dice, draft.handler
    received = tl.t.date()
    late_ack = d.chance(0.12)
    tl.late = late_ack
    tl.wait(d.between(6, 12) if late_ack else d.between(1, 5))
    tl.do("acknowledge", draft.receiver)
    tl.do("assign_handler", draft.coordinator, {"handler": handler})
    tl.maybe_note(handler, 0.15)
    decided = draft.decision_date or received
    term_end = decided + timedelta(weeks=6)
    if received > term_end:
        tl.wait(d.between(5, 20))
        tl.do("declare_inadmissible", handler, {"ground": "Bezwaar te laat ingediend (Awb 6:7)"})
        draft.mood = -1
        return
    route = d.random()
    resumed = False
    if route < 0.1:
        tl.wait(d.between(0, 3))
        tl.do("request_repair", handler, {"defect": d.pick(DEFECTS)})
        if d.chance(0.25):
            tl.wait(d.between(15, 25))
            tl.do("declare_inadmissible", handler, {"ground": "Verzuim niet hersteld (Awb 6:6)"})
            draft.mood = -1
            return
        tl.wait(d.between(3, 10))
        tl.do("repair_received", handler)
    elif route < 0.14:
        tl.wait(d.between(2, 15))
        tl.do("withdraw", handler)
        return
    elif route < 0.3:
        tl.wait(d.between(0, 5))
        tl.do("contact_made", handler, {"medium": "phone"})
        tl.wait(d.between(1, 10))
        tl.do("resolve_informally", handler)
        if d.chance(0.8):
            tl.wait(d.between(1, 10))
            tl.do("withdraw", handler, reason="Ingetrokken na informeel gesprek")
            draft.mood = 1
            return
        tl.wait(d.between(2, 8))
        tl.do("resume", handler, reason="Bezwaarmaker wil toch een beslissing")
        resumed = True
    if not resumed:
        tl.wait(d.between(1, 8))
        tl.do("declare_admissible", handler)
    weeks = 6
    if d.chance(0.25):
        tl.do("refer_to_committee", handler)
        weeks = 12
    tl.wait(d.between(10, 25))
    ground = None if d.chance(0.85) else d.pick(_WAIVE_OBJECTION)
    if ground is None:
        tl.do("message_sent", handler, {"template": "uitnodiging_horen", "to": ["objector"]})
        tl.wait(d.between(5, 10))
        tl.do("hold_hearing", handler, {"report": d.pick(HEARING_REPORTS)})
    else:
        tl.do("waive_hearing", handler, {"ground": ground})
    if weeks == 12:
        tl.wait(d.between(10, 20))
        tl.do("receive_advice", handler, {"advice": d.pick(ADVICE)})
    due = term_end + timedelta(weeks=weeks)
    if d.chance(0.1):
        tl.do("postpone", handler, {"weeks": 6})
        tl.do("message_sent", handler, {"template": "verdaging", "to": ["objector"]})
        due += timedelta(weeks=6)
    late = d.chance(0.18)
    tl.late = tl.late or late
    if late and d.chance(0.25):
        tl.to_date(due + timedelta(days=d.between(5, 15)))
        tl.do("notice_of_default", draft.coordinator, reason="Ingebrekestelling ontvangen")
        tl.wait(d.between(3, 12))
    else:
        tl.to_date(due + timedelta(days=d.between(5, 40) if late else -d.between(1, 14)))
    outcome = "gegrond" if ground == "fully_granted" else _DECISIONS.draw(d)
    tl.do("decide", handler, {"outcome": outcome})
    draft.mood = -1 if late else {"gegrond": 1, "deels_gegrond": 0, "ongegrond": -1}[outcome]


def _generic(tl: Timeline, draft: Draft, follow: FollowUps) -> None:
    """Answered on the spot, registered only, or acknowledged and answered; a few reopened."""
    d, handler = tl.dice, draft.handler
    kind = draft.kind
    if draft.form is Form.ORAL and kind in (Kind.QUESTION, Kind.REMARK, Kind.SATISFACTION):
        tl.later(2, 15)
        tl.do("respond", draft.receiver, {"response": RESPONSES[0]})
        tl.do("close", draft.receiver)
        draft.mood = 1
        return
    if kind in (Kind.REMARK, Kind.SATISFACTION) and d.chance(0.5):
        tl.wait(d.between(0, 4))
        tl.note(handler)
        tl.do("close", handler)
        return
    if draft.channel is Channel.SOCIAL and d.chance(0.5):
        tl.do("assign_ambassador", draft.receiver, {"ambassador": d.pick(AMBASSADORS)})
    if d.chance(0.5 if kind is Kind.QUESTION else 0.7):
        tl.wait(d.between(0, 3))
        tl.do("acknowledge", draft.receiver)
    if d.chance(0.04):  # never answered
        return
    slow = d.chance(0.12 if kind is Kind.QUESTION else 0.15)
    tl.late = slow
    tl.wait(d.between(11, 30) if slow else d.between(0, 7))
    tl.do("assign_handler", draft.receiver, {"handler": handler})
    _respond(tl, draft)
    tl.wait(d.between(0, 2))
    tl.do("close", handler)
    draft.mood = -1 if slow else (1 if d.chance(0.4) else 0)
    if kind is Kind.QUESTION and d.chance(0.03):
        tl.wait(d.between(1, 10))
        tl.do("reopen", draft.receiver, {"reason": "Klant belde terug: antwoord niet duidelijk"})
        tl.wait(d.between(0, 2))
        _respond(tl, draft)
        tl.do("close", handler)
        draft.mood = 0


def _respond(tl: Timeline, draft: Draft) -> None:
    """Answer in writing, or call the customer back first."""
    d, kind = tl.dice, draft.kind
    if kind is Kind.QUESTION and d.chance(0.2):
        tl.do("contact_made", draft.handler, {"medium": "phone"})
    elif d.chance(0.2):
        tl.do("message_sent", draft.handler, {"template": "antwoord", "to": ["reporter"]})
    response = {
        Kind.COMPLIMENT: RESPONSES[3],
        Kind.TIP: RESPONSES[4],
        Kind.REMARK: RESPONSES[5],
    }.get(kind) or d.pick(RESPONSES[1:3])
    tl.do("respond", draft.handler, {"response": response})


Script = Callable[[Timeline, Draft, FollowUps], None]

SCRIPTS: dict[str, Script] = {
    "melding": _melding,
    "awb_complaint": _complaint,
    "objection": _objection,
    "generic": _generic,
}
"""The handling script per built-in procedure name."""


def handle(tl: Timeline, draft: Draft, follow: FollowUps) -> None:
    """Write the case's history with the script of its procedure."""
    SCRIPTS[tl.procedure.name](tl, draft, follow)
