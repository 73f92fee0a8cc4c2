"""The synthetic year of feedback of a Dutch municipality, streamed as case records.

:func:`generate` yields ``size`` :class:`~feedbackkit.models.CaseRecord` items in
order of arrival day. Everything, ids included, comes from one seeded random
generator, so the same ``seed``, ``size`` and ``year`` give identical records.
Ids are time-ordered (UUIDv7, as :func:`~feedbackkit.models.new_id` makes them):
case ids by day of receipt, events and outcomes by their moment.
Memory stays bounded: follow-ups (repeat reports, members of same-problem
groups) are planned into later slots and held only until their slot comes.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta

import attrs

from feedbackkit.builtin.procedures import builtin_procedures
from feedbackkit.demo.days import CLOSE_MINUTE, OPEN_MINUTE, Period
from feedbackkit.demo.dice import Dice, Weighted
from feedbackkit.demo.histories import Draft, Timeline, ask_outcome, handle
from feedbackkit.demo.names import (
    AMBASSADORS,
    EMAIL_DOMAINS,
    ORGANISATIONS,
    PEOPLE,
    REPRESENTATIVES,
    STAFF,
    STAFF_EMAIL_DOMAIN,
    slug,
)
from feedbackkit.demo.outcomes import survey
from feedbackkit.demo.places import MUNICIPALITY, NEIGHBOURHOODS, STREETS, WEEKDAYS, dutch_date
from feedbackkit.demo.profiles import CHANNELS, KINDS, ChannelProfile, KindProfile
from feedbackkit.demo.topics import (
    EMOTIONS,
    ESCALATION_TEXTS,
    INTERNAL_TOPICS,
    ORAL_OPENINGS,
    PROBLEMS,
    RECURRENCE_TEXTS,
    SERVICES,
    TOPICS,
    WRITTEN_CLOSINGS,
    WRITTEN_OPENINGS,
    Problem,
    Topic,
)
from feedbackkit.errors import ValidationError
from feedbackkit.models import (
    CaseRecord,
    ExternalCase,
    Feedback,
    Link,
    Party,
    PartyRef,
    RelationshipOutcome,
    Retention,
)
from feedbackkit.vocabulary import (
    Channel,
    ContactPreference,
    Form,
    Initiative,
    Kind,
    LinkType,
    Origin,
    PartyKind,
    PartyRole,
)
from feedbackkit.workflow.procedure import Procedure

__all__ = [
    "COVERAGE",
    "DEFAULT_SEED",
    "DEFAULT_SIZE",
    "DEFAULT_YEAR",
    "GROUP_TAG",
    "MIN_COVERAGE_SIZE",
    "generate",
    "group_of",
    "reference_day",
]

DEFAULT_SIZE = 5000
DEFAULT_SEED = 2026
DEFAULT_YEAR = 2026

GROUP_TAG = "demo-group"
"""Ground truth of same-problem groups: members carry the tag ``demo-group:<n>``."""

COVERAGE: tuple[tuple[Kind, Channel], ...] = (
    (Kind.MELDING, Channel.APP),
    (Kind.SIGNAL, Channel.NEIGHBOURHOOD_TEAM),
    (Kind.COMPLAINT, Channel.LETTER),
    (Kind.DISSATISFACTION, Channel.SOCIAL),
    (Kind.OBJECTION, Channel.WEB_FORM),
    (Kind.REMARK, Channel.COUNTER),
    (Kind.COMPLIMENT, Channel.IN_PERSON),
    (Kind.TIP, Channel.INTERNAL),
    (Kind.QUESTION, Channel.PHONE),
    (Kind.SATISFACTION, Channel.SURVEY),
    (Kind.QUESTION, Channel.EMAIL),
)
"""Items spread evenly over every run, so that each kind and channel occurs at least once."""

MIN_COVERAGE_SIZE = len(COVERAGE)
"""From this size on, every :class:`Kind` and :class:`Channel` occurs in the output."""

_ESCALATION_CHANNELS = (
    (Channel.PHONE, 4),
    (Channel.WEB_FORM, 3),
    (Channel.EMAIL, 2),
    (Channel.SOCIAL, 1),
)
_DIGITAL_HOURS = Weighted(
    (
        (0, 1),
        *((hour, 2) for hour in range(6, 9)),
        *((hour, 6) for hour in range(9, 17)),
        *zip(range(17, 24), (4, 4, 5, 5, 4, 2, 1), strict=True),
    )
)
"""When online feedback arrives; never between 1 and 6 (no moments in a DST gap)."""
_LANGUAGES = Weighted((("nl", 94), ("en", 3), ("pl", 1), ("tr", 1), ("ar", 1)))
_COORDINATOR = {
    "awb_complaint": "Anouk van der Linden",
    "objection": "Willem de Boer",
    "melding": "Marco Brouwer",
    "generic": "Petra van Dijk",
}
"""Who assigns and monitors, per procedure."""
_JURISTS = tuple(s.name for s in STAFF if s.role == "jurist bezwaar")
_NO_RETENTION = Retention()
_GROUP_START = 0.006
"""Chance that a fresh item is the first of a same-problem group."""


def reference_day(year: int = DEFAULT_YEAR) -> date:
    """The demo's "today": the last day of ``year``; nothing happens after it."""
    return date(year, 12, 31)


def group_of(feedback: Feedback) -> int | None:
    """The same-problem group ``feedback`` belongs to (ground truth), or ``None``."""
    prefix = f"{GROUP_TAG}:"
    for tag in feedback.tags:
        number = tag.removeprefix(prefix)
        if number != tag and number.isdigit():
            return int(number)
    return None


def generate(
    size: int, *, seed: int = DEFAULT_SEED, year: int = DEFAULT_YEAR
) -> Iterator[CaseRecord]:
    """Stream ``size`` synthetic case records of ``year``, deterministic for ``seed``.

    Every record passes :meth:`FeedbackKit.prepare <feedbackkit.service.FeedbackKit.prepare>`
    with the built-in procedures. From :data:`MIN_COVERAGE_SIZE` items on, every
    kind and channel occurs. Raises :class:`ValidationError` for a negative size
    or a year outside 1900-2999.
    """
    if isinstance(size, bool) or not isinstance(size, int) or size < 0:
        raise ValidationError("size", f"must be a whole number of at least 0, got {size!r}")
    if not 1900 <= year <= 2999:
        raise ValidationError("year", f"must be between 1900 and 2999, got {year!r}")
    return _Generator(size, seed, year).records()


@attrs.frozen
class _Planned:
    """A coverage item: this kind through this channel."""

    kind: Kind
    channel: Channel


@attrs.frozen
class _Repeat:
    """A later report about an earlier melding: a complaint if it escalates, else a melding."""

    original: uuid.UUID
    first_reported: date
    subject: str
    department: str
    resolutions: tuple[str, ...]
    street: str
    wijk: str
    nr: str
    reporter: Party | None
    escalation: bool
    case_id: uuid.UUID | None = None
    received_at: datetime | None = None
    channel: Channel | None = None


@attrs.frozen
class _Member:
    """A report of a same-problem group's problem."""

    group: int
    problem: Problem
    wijk: str | None
    leader: uuid.UUID
    decision_date: date
    link: bool


@attrs.define
class _Plan:
    """Everything decided about an item before its parties, text and history are written."""

    case_id: uuid.UUID
    kind: Kind
    channel: Channel
    day: int
    subject: str
    department: str
    templates: tuple[str, ...]
    slots: dict[str, str]
    resolutions: tuple[str, ...]
    location: str | None = None
    staff: bool = False
    vulnerable: float = 0.03
    remedies: tuple[str, ...] = ()
    links: tuple[Link, ...] = ()
    tags: tuple[str, ...] = ()
    customer: Party | None = None
    received_at: datetime | None = None
    decision_date: date | None = None


_DRAWN_SLOTS: dict[str, Callable[[Dice], str]] = {
    "n": lambda d: str(d.between(2, 6)),
    "weken": lambda d: str(d.between(2, 9)),
    "minuten": lambda d: str(d.between(15, 55)),
    "emotie": lambda d: d.pick(EMOTIONS),
    "dienst": lambda d: d.pick(SERVICES),
    "medewerker": lambda d: d.pick(STAFF).name.split()[0],
    "dag": lambda d: d.pick(WEEKDAYS[:5]),
}
"""Template slots drawn only when a template uses them."""


class _Slots(dict[str, str]):
    """Template slots: the item's own values, the rest drawn when a template asks."""

    def __init__(self, dice: Dice, fixed: dict[str, str]) -> None:
        super().__init__(fixed)
        self.dice = dice

    def __missing__(self, key: str) -> str:
        value = self[key] = _DRAWN_SLOTS[key](self.dice)
        return value


class _Generator:
    """One run: the dice, the year, the staff, and the follow-ups planned ahead."""

    def __init__(self, size: int, seed: int, year: int) -> None:
        self.dice = d = Dice(seed)
        self.period = Period(year, size)
        start = self.period.moment(0, 0)
        self.size = size
        self.year = year
        self.slot = 0
        self.reserved: dict[int, _Repeat | _Member] = {}
        self.planned: dict[int, _Planned] = {
            k * size // len(COVERAGE): _Planned(kind, channel)
            for k, (kind, channel) in enumerate(COVERAGE)
        }
        self.numbers: dict[Kind, int] = dict.fromkeys(Kind, 0)
        """Case numbers issued per kind."""
        self.groups = 0
        self.zaken = 0
        self.plan: _Plan | None = None
        """The item being written (follow-ups refer to it)."""
        self.customer: Party | None = None
        """Its customer."""
        self.procedures = _procedures()
        self.staff = {s.name: self._employee(s.name, start) for s in STAFF}
        self.representatives = tuple(
            Party(
                id=d.uuid(start),
                kind=PartyKind.ORGANISATION,
                name=name,
                email=f"info@{slug(name)}.example.org",
            )
            for name in REPRESENTATIVES
        )
        departments: dict[str, list[str]] = {}
        for s in STAFF:
            if s.name not in AMBASSADORS:
                departments.setdefault(s.department, []).append(s.name)
        self.by_department = {name: tuple(staff) for name, staff in departments.items()}
        kcc = self.by_department["Klantcontactcentrum"]
        self.receivers = dict.fromkeys(Channel, kcc) | {
            Channel.COUNTER: self.by_department["Burgerzaken"],
            Channel.NEIGHBOURHOOD_TEAM: self.by_department["Wijkteam"],
            Channel.SOCIAL: AMBASSADORS,
            Channel.INTERNAL: AMBASSADORS,
        }
        """Who receives and registers feedback per channel (ambassadors: webcare, internal)."""
        self.kinds = Weighted((kind, profile.weight) for kind, profile in KINDS.items())
        self.channels = {
            (kind, working, internal): Weighted(
                (c, w)
                for c, w in profile.channels
                if (working or not CHANNELS[c].office_hours)
                and (internal or c is not Channel.INTERNAL)
            )
            for kind, profile in KINDS.items()
            for working in (True, False)
            for internal in (True, False)
        }
        """Channel choice per kind, working day or not, internal channel allowed or not."""
        self.topics = {
            (kind, month): Weighted(
                (t, t.weight) for t in topics if not t.months or month in t.months
            )
            for kind, topics in TOPICS.items()
            for month in range(1, 13)
        }
        self.internal_topics = {
            kind: Weighted((t, t.weight) for t in topics)
            for kind, topics in INTERNAL_TOPICS.items()
        }
        self.problem_kinds = {
            p.subject: Weighted((k, KINDS[k].group_weight) for k in p.texts) for p in PROBLEMS
        }

    def _employee(self, name: str, start: datetime) -> Party:
        first, *rest = name.split()
        return Party(
            id=self.dice.uuid(start),
            kind=PartyKind.EMPLOYEE,
            name=name,
            email=f"{slug(first)}.{slug(''.join(rest))}@{STAFF_EMAIL_DOMAIN}",
        )

    # -- the stream ---------------------------------------------------------------

    def records(self) -> Iterator[CaseRecord]:
        for slot in range(self.size):
            self.slot = slot
            yield self._record(self._plan_for(slot))

    def _plan_for(self, slot: int) -> _Plan:
        day = self.period.day_of(slot)
        spec = self.reserved.pop(slot, None)
        if isinstance(spec, _Repeat):
            return self._repeat(spec, day)
        if isinstance(spec, _Member):
            return self._member(spec, day, self._case_id(day))
        planned = self.planned.get(slot)
        if planned is not None:
            day = self.period.working_day_within_year(day)
            return self._fresh(day, planned.kind, planned.channel)
        if self.dice.chance(_GROUP_START):
            return self._start_group(day)
        return self._fresh(day)

    def _case_id(self, day: int) -> uuid.UUID:
        """A case id of arrival ``day``: case ids sort by day of receipt (UUIDv7 of its
        midnight), so a batch of cases goes to the end of the id indexes."""
        return self.dice.uuid(self.period.moment(day, 0))

    def _free_slot(self, day: int) -> int | None:
        """The first unplanned slot on ``day`` or later, after the current one."""
        slot = max(self.period.first_slot(day), self.slot + 1)
        while slot in self.reserved or slot in self.planned:
            slot += 1
        return slot if slot < self.size else None

    # -- plans --------------------------------------------------------------------

    def _fresh(self, day: int, kind: Kind | None = None, channel: Channel | None = None) -> _Plan:
        d = self.dice
        kind = kind or self.kinds.draw(d)
        channel = channel or self.channels[kind, self.period.working[day], True].draw(d)
        internal = channel is Channel.INTERNAL
        if internal:
            topic: Topic = self.internal_topics[kind].draw(d)
        else:
            topic = self.topics[kind, self.period.dates[day].month].draw(d)
        street, wijk = d.pick(STREETS)
        nr = str(d.between(1, 180))
        plan = _Plan(
            case_id=self._case_id(day),
            kind=kind,
            channel=channel,
            day=day,
            subject=topic.subject,
            department=topic.org_unit,
            templates=topic.texts,
            slots={"straat": street, "wijk": wijk, "nr": nr},
            resolutions=topic.resolutions,
            staff=topic.staff,
            vulnerable=topic.vulnerable,
            remedies=topic.remedies,
        )
        if kind in (Kind.MELDING, Kind.SIGNAL) and not internal:
            plan.location = f"{street} {nr}, {wijk}"
        elif kind is Kind.OBJECTION:
            ago = d.between(50, 120) if d.chance(0.06) else d.between(3, 40)  # 6%: too late
            plan.decision_date = self.period.dates[day] - timedelta(days=ago)
            plan.slots["besluitdatum"] = dutch_date(plan.decision_date)
        return plan

    def _start_group(self, day: int) -> _Plan:
        d = self.dice
        self.groups += 1
        problem = d.pick(PROBLEMS)
        wijk = d.pick(tuple(NEIGHBOURHOODS)) if problem.local else None
        leader = self._case_id(day)
        decided = self.period.dates[day] - timedelta(days=d.between(3, 10))
        span = d.between(4, 21)
        for _ in range(d.between(2, 8) if d.chance(0.85) else d.between(9, 14)):
            slot = self._free_slot(day + d.below(span + 1))
            if slot is not None:
                self.reserved[slot] = _Member(
                    self.groups, problem, wijk, leader, decided, link=d.chance(0.3)
                )
        return self._member(
            _Member(self.groups, problem, wijk, leader, decided, False), day, leader
        )

    def _member(self, spec: _Member, day: int, case_id: uuid.UUID) -> _Plan:
        d = self.dice
        problem = spec.problem
        kind = self.problem_kinds[problem.subject].draw(d)
        channel = self.channels[kind, self.period.working[day], False].draw(d)
        if spec.wijk is None:
            street, wijk = d.pick(STREETS)
        else:
            wijk = spec.wijk
            street = d.pick(NEIGHBOURHOODS[wijk])
        nr = str(d.between(1, 180))
        return _Plan(
            case_id=case_id,
            kind=kind,
            channel=channel,
            day=day,
            subject=problem.subject,
            department=problem.org_unit,
            templates=problem.texts[kind],
            slots={
                "straat": street,
                "wijk": wijk,
                "nr": nr,
                "besluitdatum": dutch_date(spec.decision_date),
            },
            resolutions=problem.resolutions,
            location=(f"{street} {nr}, {wijk}" if spec.wijk else None),
            links=(Link(LinkType.SAME_PROBLEM_AS, spec.leader),) if spec.link else (),
            tags=(f"{GROUP_TAG}:{spec.group}",),
            decision_date=spec.decision_date if kind is Kind.OBJECTION else None,
        )

    def _repeat(self, spec: _Repeat, day: int) -> _Plan:
        d = self.dice
        links: tuple[Link, ...] = (Link(LinkType.REPEAT_OF, spec.original),)
        if spec.escalation:
            links += (Link(LinkType.ESCALATED_FROM, spec.original),)
        melding_channels = self.channels[Kind.MELDING, self.period.working[day], False]
        channel = spec.channel or melding_channels.draw(d)
        return _Plan(
            case_id=spec.case_id or self._case_id(day),
            kind=Kind.COMPLAINT if spec.escalation else Kind.MELDING,
            channel=channel,
            day=day,
            subject="Melding niet opgelost" if spec.escalation else spec.subject,
            department=spec.department,
            templates=ESCALATION_TEXTS if spec.escalation else RECURRENCE_TEXTS,
            slots={
                "straat": spec.street,
                "wijk": spec.wijk,
                "nr": spec.nr,
                "datum": dutch_date(spec.first_reported),
                "onderwerp": spec.subject.lower(),
            },
            resolutions=spec.resolutions,
            location=f"{spec.street} {spec.nr}, {spec.wijk}",
            links=links,
            customer=spec.reporter,
            received_at=spec.received_at,
        )

    # -- follow-ups (called by the handling scripts) ---------------------------------

    def _follow_up(self, after: datetime, low: int, high: int) -> tuple[int, int] | None:
        """A free slot ``low`` to ``high`` days after ``after``, and its day."""
        day = self.period.index(after.date()) + self.dice.between(low, high)
        slot = self._free_slot(day)
        return None if slot is None else (slot, self.period.day_of(slot))

    def _repeat_of(self, plan: _Plan, *, escalation: bool, reporter: Party | None) -> _Repeat:
        return _Repeat(
            original=plan.case_id,
            first_reported=self.period.dates[plan.day],
            subject=plan.subject,
            department=plan.department,
            resolutions=plan.resolutions,
            street=plan.slots["straat"],
            wijk=plan.slots["wijk"],
            nr=plan.slots["nr"],
            reporter=reporter,
            escalation=escalation,
        )

    def escalate(self, draft: Draft, after: datetime) -> tuple[uuid.UUID, datetime] | None:
        assert self.plan is not None
        found = self._follow_up(after, 1, 4)
        if found is None:
            return None
        slot, day = found
        working = self.period.working[day]
        channel = Weighted(
            (c, w) for c, w in _ESCALATION_CHANNELS if working or not CHANNELS[c].office_hours
        ).draw(self.dice)
        received_at = self._arrival(day, channel)
        case_id = self._case_id(day)
        repeat = self._repeat_of(self.plan, escalation=True, reporter=self.customer)
        self.reserved[slot] = attrs.evolve(
            repeat, case_id=case_id, received_at=received_at, channel=channel
        )
        return case_id, received_at

    def recur(self, draft: Draft, after: datetime) -> None:
        assert self.plan is not None
        found = self._follow_up(after, 10, 60)
        if found is not None:
            reporter = self.customer if self.dice.chance(0.5) else None
            self.reserved[found[0]] = self._repeat_of(
                self.plan, escalation=False, reporter=reporter
            )

    # -- writing one record -----------------------------------------------------------

    def _arrival(self, day: int, channel: Channel) -> datetime:
        d = self.dice
        if channel is Channel.LETTER:
            minute = 9 * 60 + d.below(150)  # the morning post
        elif CHANNELS[channel].office_hours:
            minute = OPEN_MINUTE + d.below(CLOSE_MINUTE - OPEN_MINUTE)
        else:
            minute = _DIGITAL_HOURS.draw(d) * 60 + d.below(60)
        return self.period.moment(day, minute)

    def _customer(self, plan: _Plan, kind: KindProfile, channel: ChannelProfile) -> Party | None:
        d = self.dice
        chance = d.random
        if not kind.named and chance() < channel.anonymous:
            return None
        party_kind = PartyKind.PERSON
        if chance() < (0.12 if plan.kind is Kind.OBJECTION else 0.03):
            name = d.pick(ORGANISATIONS)
            email: str | None = f"info@{slug(name)}.{d.pick(EMAIL_DOMAINS)}"
            party_kind = PartyKind.ORGANISATION
        else:
            person = d.pick(PEOPLE)
            name = person.name
            number = str(d.between(1, 99)) if chance() < 0.4 else ""
            email = f"{person.local_part}{number}@{d.pick(EMAIL_DOMAINS)}"
        if channel.form is Form.ORAL and chance() < 0.5:
            email = None
        preference = channel.contact
        phone = None
        if preference is ContactPreference.PHONE or email is None or chance() < 0.5:
            phone = f"06-0000{d.below(10000):04d}"
            if email is None and preference is ContactPreference.EMAIL:
                preference = ContactPreference.PHONE
        street, _ = d.pick(STREETS)
        return Party(
            id=d.uuid(self.period.moment(plan.day, 0)),
            kind=party_kind,
            name=name,
            email=email,
            phone=phone,
            address=f"{street} {d.between(1, 180)}, {MUNICIPALITY}",
            contact_preference=preference,
            language=_LANGUAGES.draw(d),
            vulnerable=chance() < plan.vulnerable,
        )

    def _text(self, plan: _Plan, channel: ChannelProfile, proactive: bool) -> str:
        d = self.dice
        text = d.pick(plan.templates).format_map(_Slots(d, plan.slots)).rstrip()
        if proactive and plan.channel is not Channel.SURVEY:
            return f"Bij het nabellen na afhandeling: {text}"
        if channel.form is Form.ORAL:
            return d.pick(ORAL_OPENINGS) + text
        if plan.channel in (Channel.EMAIL, Channel.LETTER):
            return d.pick(WRITTEN_OPENINGS) + text + d.pick(WRITTEN_CLOSINGS)
        return text

    def _handler(self, procedure: str, department: str, beklaagde: str | None) -> str:
        if procedure == "objection":
            return self.dice.pick(_JURISTS)
        staff = [s for s in self.by_department.get(department, ()) if s != beklaagde]
        return self.dice.pick(staff) if staff else _COORDINATOR[procedure]

    def _record(self, plan: _Plan) -> CaseRecord:
        d = self.dice
        self.plan = plan
        kind, channel = plan.kind, plan.channel
        kp, cp = KINDS[kind], CHANNELS[channel]
        received_at = plan.received_at or self._arrival(plan.day, channel)
        internal = channel is Channel.INTERNAL
        proactive = channel is Channel.SURVEY or (
            kp.asked and cp.form is Form.ORAL and d.chance(0.15)
        )
        if plan.customer is not None:
            customer: Party | None = plan.customer
        elif internal:
            customer = self.staff[d.pick(STAFF).name]
        else:
            customer = self._customer(plan, kp, cp)
        self.customer = customer
        parties: list[Party] = []
        roles: list[PartyRef] = []
        if customer is not None:
            parties.append(customer)
            roles.append(PartyRef(customer.id, kp.role))
        beklaagde = None
        if plan.staff and kind is Kind.COMPLAINT and d.chance(0.7):
            beklaagde = d.pick(self.by_department.get(plan.department, AMBASSADORS))
            parties.append(self.staff[beklaagde])
            roles.append(PartyRef(self.staff[beklaagde].id, PartyRole.BEKLAAGDE))
        elif kind is Kind.OBJECTION and d.chance(0.15):
            representative = d.pick(self.representatives)
            parties.append(representative)
            roles.append(PartyRef(representative.id, PartyRole.REPRESENTATIVE))

        procedure = self.procedures[kind]
        receiver = d.pick(self.receivers[channel])
        draft = Draft(
            kind=kind,
            channel=channel,
            form=cp.form,
            medium=cp.medium,
            department=plan.department,
            coordinator=_COORDINATOR[procedure.name],
            handler=self._handler(procedure.name, plan.department, beklaagde),
            receiver=receiver,
            beklaagde=beklaagde is not None,
            resolutions=plan.resolutions,
            decision_date=plan.decision_date,
        )
        timeline = Timeline(d, self.period, procedure, plan.case_id, received_at)
        handle(timeline, draft, self)
        outcomes: tuple[RelationshipOutcome, ...] = ()
        if timeline.done_at is not None and customer is not None and d.chance(kp.surveyed):
            mood = draft.mood - 1 if timeline.late else draft.mood
            outcome = survey(d, plan.case_id, timeline.done_at, mood, self.period.end)
            outcomes = (outcome,) if outcome is not None else ()
            ask_outcome(timeline, timeline.done_at, outcome)

        conduct = None
        if kind is Kind.COMPLAINT:
            ago = d.between(400, 700) if draft.conduct_over_a_year else d.between(0, 20)
            conduct = received_at.date() - timedelta(days=ago)
        external = None
        if kp.named and d.chance(0.4):
            self.zaken += 1
            external = ExternalCase(
                f"ZAAK-{self.year}-{self.zaken:06d}", system="Zaaksysteem (demo)"
            )
        self.numbers[kind] += 1
        feedback = Feedback(
            kind=kind,
            channel=channel,
            received_at=received_at,
            text=self._text(plan, cp, proactive) + _personal_data(plan, customer),
            id=plan.case_id,
            initiative=Initiative.PROACTIVE if proactive else Initiative.REACTIVE,
            origin=Origin.INTERNAL if internal else Origin.EXTERNAL,
            form=cp.form,
            reference=f"{kp.prefix}-{self.year}-{self.numbers[kind]:05d}",
            subject=plan.subject,
            org_unit=plan.department,
            location=plan.location,
            remedy_sought=d.pick(plan.remedies) if plan.remedies and d.chance(0.6) else None,
            conduct_date=conduct,
            decision_date=plan.decision_date,
            tags=plan.tags,
            links=plan.links,
            external_case=external,
            parties=tuple(roles),
            received_by=receiver if cp.staffed else None,
            retention=_NO_RETENTION,
        )
        return CaseRecord(feedback, tuple(parties), tuple(timeline.events), outcomes)


def _personal_data(plan: _Plan, customer: Party | None) -> str:
    """What customers write about themselves in letters and e-mails: a signature, contact
    details, a BSN. Chosen from the case id (no dice), so the rest of the data stays the same;
    the learning report's privacy test looks for it."""
    if (
        customer is None
        or customer.kind is not PartyKind.PERSON
        or plan.channel not in (Channel.EMAIL, Channel.LETTER)
    ):
        return ""
    pick = plan.case_id.int % 7
    contact = customer.phone or customer.email
    if pick == 0 and customer.name and contact:
        return f"\n\nMet vriendelijke groet,\n{customer.name}\n{contact}"
    if pick == 1 and customer.email:
        return f" U kunt mij mailen op {customer.email}."
    if pick == 2 and customer.phone:
        return f" Bel me gerust op {customer.phone}."
    if pick == 3 and plan.kind in (Kind.OBJECTION, Kind.COMPLAINT, Kind.QUESTION):
        return f" Mijn BSN is {_bsn(plan.case_id.int)}."
    return ""


def _bsn(number: int) -> str:
    """A made-up BSN that passes the eleven-test (elfproef), derived from ``number``."""
    digits = [int(d) for d in f"{number % 10**8:08d}"]
    digits[0] = digits[0] or 1
    while (check := sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True)) % 11) == 10:
        digits[7] = (digits[7] + 1) % 10
    return "".join(map(str, digits)) + str(check)


def _procedures() -> dict[Kind, Procedure]:
    """The built-in procedure handling each kind by default (as the facade chooses it)."""
    by_kind: dict[Kind, Procedure] = {}
    for procedure in builtin_procedures():
        for kind in procedure.kinds:
            by_kind.setdefault(Kind(kind), procedure)
    return by_kind
