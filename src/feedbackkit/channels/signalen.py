"""Signalen: signals (meldingen) from the Signalen API, with their status history and the
reporter's satisfaction answers.

A file holds one signal, a list of signals, or an API page (``{"results": [...]}``).
A signal may carry its history (the ``/history`` endpoint's list) under ``history``
and satisfaction form answers under ``feedback``. Statuses become melding events as
:mod:`feedbackkit.channels.signalen_states` maps them. A satisfaction answer becomes a
case of its own: a (dis)satisfaction expressed in a survey the organisation asked for,
linked to the melding. Signalen asks no relationship question, so no
:class:`~feedbackkit.models.RelationshipOutcome` is ever made up from it.
See ``docs/channels.md``.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from feedbackkit.builtin.procedures import builtin_procedures
from feedbackkit.channels.ids import case_id, content_key, part_id
from feedbackkit.channels.jsonnode import Node, NodeError
from feedbackkit.channels.records import History, role_for
from feedbackkit.channels.routing import Item, Sinks, check_options, deliver
from feedbackkit.channels.signalen_states import (
    SignalenMapping,
    Status,
    StatusReplay,
    default_mapping,
)
from feedbackkit.clock import Clock, SystemClock
from feedbackkit.errors import ValidationError
from feedbackkit.models import CaseRecord, ExternalCase, Feedback, Link, Party, PartyRef
from feedbackkit.ports import Rejected, Skipped
from feedbackkit.vocabulary import (
    Channel,
    ContactPreference,
    Form,
    Initiative,
    Kind,
    LinkType,
    Origin,
)
from feedbackkit.workflow.procedure import Procedure

if TYPE_CHECKING:
    from feedbackkit.channels.quarantine import Quarantine
    from feedbackkit.service import CaseView, FeedbackKit

__all__ = ["Categories", "SignalenChannel", "apply_update", "load_categories", "signalen_units"]

_ORAL = frozenset({Channel.PHONE, Channel.COUNTER, Channel.IN_PERSON})


@attrs.frozen
class Categories:
    """Signalen's category tree: ``(main name, sub name)`` by ``(main slug, sub slug)``."""

    names: Mapping[tuple[str, str], tuple[str, str]] = attrs.field(hash=False)


def load_categories(path: Path) -> Categories:
    """The category tree from a Signalen ``categories.json`` fixture (Django dump format)."""
    try:
        rows = json.loads(path.read_text("utf-8"))
        by_pk = {row["pk"]: row["fields"] for row in rows if row.get("model") == "signals.category"}
        names = {
            (by_pk[f["parent"]]["slug"], f["slug"]): (by_pk[f["parent"]]["name"], f["name"])
            for f in by_pk.values()
            if f.get("parent") in by_pk
        }
    except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
        reason = f"{path} is not a Signalen category tree ({type(exc).__name__}: {exc})"
        raise ValidationError("option categories", reason) from None
    return Categories(names)


@attrs.frozen
class _Answer:
    """A satisfaction answer: when, satisfied or not, the answer as text, its details."""

    at: datetime
    satisfied: bool
    text: str
    details: Mapping[str, Any] = attrs.field(hash=False)


@attrs.frozen
class _Reader:
    """Reads one signal (a JSON value) into its melding and satisfaction answers."""

    mapping: SignalenMapping
    procedure: Procedure
    categories: Categories | None
    instance: str
    clock: Clock

    def read(self, raw: bytes, source: str, position: int) -> list[Item]:
        try:
            data = json.loads(raw)
        except (UnicodeDecodeError, ValueError) as exc:
            return [Rejected(source, position, "json", f"not valid JSON: {exc}", _shown(raw))]
        try:
            return self._read(Node(data, ""), raw, source, position)
        except NodeError as exc:
            return [Rejected(source, position, exc.field or "signal", exc.reason, _shown(raw))]
        except ValidationError as exc:
            return [Rejected(source, position, exc.field, exc.message, _shown(raw))]

    def _read(self, signal: Node, raw: bytes, source: str, position: int) -> list[Item]:
        if _is_history(signal.value):
            hint = "put it under the signal's 'history' key"
            raise NodeError("history", f"a Signalen history without its signal; {hint}")
        if not isinstance(signal.value, dict):
            raise NodeError("signal", "expected a Signalen signal (a JSON object)")
        if signal.has("is_satisfied") and not signal.keys() & _SIGNAL_KEYS:
            reason = "a Signalen standard satisfaction answer (reference data), not a signal"
            return [Skipped(source, position, reason)]
        if signal.keys() == {"status"}:
            raise NodeError(
                "status",
                "a status update without its signal; apply it to the stored melding "
                "with feedbackkit.channels.signalen.apply_update",
            )
        return self._signal(signal, raw)

    def _signal(self, signal: Node, raw: bytes) -> list[Item]:
        warnings: list[str] = []
        key = self._key(signal, raw)
        case = case_id("signalen", key)
        text = signal["text"].text()
        if text is None:
            raise NodeError("text", "required: the reporter's description of the problem")
        extra = signal["text_extra"].text()
        reporter = signal["reporter"]
        received_at = (
            signal["created_at"].moment(warnings)
            or signal["status"]["created_at"].moment(warnings)
            or reporter["created_at"].moment(warnings)
        )
        if received_at is None:
            warnings.append("no created_at; receipt taken from the time of import")
            received_at = self.clock.now()
        origin = signal["source"].text()
        channel = self.mapping.channel_for(origin)
        party = _party(case, reporter, warnings)
        identifier = signal["id"].text()
        url = signal["_links"]["self"]["href"].text()
        feedback = Feedback(
            kind=Kind.MELDING,
            channel=channel,
            received_at=received_at,
            text=f"{text}\n\n{extra}" if extra else text,
            id=case,
            origin=Origin.INTERNAL if channel is Channel.INTERNAL else Origin.EXTERNAL,
            form=Form.ORAL if channel in _ORAL else Form.WRITTEN,
            subject=self._subject(signal["category"]),
            org_unit=_department(signal),
            location=_location(signal["location"]),
            external_case=ExternalCase(identifier, url, "Signalen") if identifier else None,
            parties=(PartyRef(party.id, role_for(Kind.MELDING)),) if party else (),
        )
        replay = StatusReplay(self.procedure, self.procedure.initial, feedback.org_unit)
        answers = self._history(signal, feedback.received_at, replay, warnings)
        details = {
            "signalen": {
                "key": key,
                "source": origin,
                "category": {k: signal["category"][k].text() for k in _CATEGORY_KEYS},
                "incident_date_start": signal["incident_date_start"].text(),
                "sharing_allowed": reporter["sharing_allowed"].flag(),
            },
            "warnings": warnings,
            "not_recorded": replay.not_recorded,
        }
        history = History(case, "signalen")
        history.intake_note(feedback.received_at, "Geregistreerd uit Signalen", details)
        for step in replay.steps:
            history.add(step.action, step.at, step.payload, actor=step.actor)
        melding = CaseRecord(feedback, (party,) if party else (), history.events)
        kto = [_answer_case(feedback, party, key, n, a) for n, a in enumerate(answers, start=1)]
        return [melding, *kto]

    def _key(self, signal: Node, raw: bytes) -> str:
        """What identifies the signal: its UUID, else its URL, else its number, else its bytes."""
        signal_id = signal["signal_id"].text()
        if signal_id:
            return f"signal_id:{signal_id}"
        url = signal["_links"]["self"]["href"].text()
        if url:
            return f"url:{url}"
        identifier = signal["id"].text()
        return f"{self.instance}:{identifier}" if identifier else content_key(raw)

    def _subject(self, category: Node) -> str | None:
        """``Main: Sub`` category names; from the URL's slugs when only a URL is given."""
        names = (category["main"].text(), category["sub"].text())
        if names == (None, None):
            url = category["sub_category"].text() or category["category_url"].text() or ""
            parts = url.rstrip("/").split("/")
            if len(parts) >= 3 and parts[-2] == "sub_categories":
                slugs = (parts[-3], parts[-1])
                names = self.categories.names.get(slugs, slugs) if self.categories else slugs
        return ": ".join(n for n in names if n) or None

    def _history(
        self, signal: Node, received_at: datetime, replay: StatusReplay, warnings: list[str]
    ) -> list[_Answer]:
        """Replay the statuses and other history in time order; the satisfaction answers."""
        timeline = self._timeline(signal, received_at, warnings)
        codes = [value.code for _, value in timeline if isinstance(value, Status)]
        answers: list[_Answer] = []
        moment = received_at
        seen = 0
        for at, value in timeline:
            if at < received_at:
                warnings.append(f"{at.isoformat()} lies before receipt; recorded at receipt")
            moment = max(moment, at)
            if isinstance(value, Status):
                seen += 1
                interim = any(code != value.code for code in codes[seen:])
                spec = self.mapping.states[value.code]
                replay.status(attrs.evolve(value, at=moment), spec, interim=interim)
            elif isinstance(value, Node):
                try:
                    answers.append(_satisfaction(value, moment))
                except NodeError as exc:
                    warnings.append(f"satisfaction answer not recorded: {exc}")
            else:
                text, info, actor = value
                replay.note(moment, text, info, actor)
        return answers

    def _timeline(
        self, signal: Node, received_at: datetime, warnings: list[str]
    ) -> list[tuple[datetime, Any]]:
        """Statuses, answers (as nodes) and notes ``(text, info, actor)``, oldest first."""
        timeline: list[tuple[datetime, Any]] = []
        entries = list(signal["history"])
        for entry in reversed(entries):  # the API lists the newest first; keep ties in order
            timeline.append(self._entry(entry, warnings))
        if not entries:
            status = signal["status"]
            code = status["state"].text()
            if code is not None:
                at = status["created_at"].moment(warnings) or received_at
                text, user = status["text"].text(), status["user"].text()
                timeline.append((at, self._status(code, at, text, user, status["state"].path)))
        for answer in signal["feedback"]:
            given = answer["submitted_at"].moment(warnings) or answer["created_at"].moment(warnings)
            timeline.append((given or received_at, answer))
        return sorted(timeline, key=lambda item: item[0])

    def _entry(self, entry: Node, warnings: list[str]) -> tuple[datetime, Any]:
        at = entry["when"].moment(warnings)
        if at is None:
            raise NodeError(entry["when"].path, "required")
        what = entry["what"].text() or ""
        action = entry["action"].text() or what
        description = entry["description"].text()
        who = entry["who"].text()
        if what == "UPDATE_STATUS":
            label = action.partition(":")[2].strip()
            spec = self.mapping.by_label(label)
            if spec is None:
                raise NodeError(entry["action"].path, f"unknown Signalen state {label!r}")
            return at, Status(spec.code, at, description, who)
        if what == "RECEIVE_FEEDBACK":
            return at, entry
        text = f"Signalen: {action} {description}" if description else f"Signalen: {action}"
        return at, (text, {"what": what, "identifier": entry["identifier"].text()}, who)

    def _status(
        self, code: str, at: datetime, text: str | None, who: str | None, path: str
    ) -> Status:
        if code not in self.mapping.states:
            known = ", ".join(self.mapping.states)
            raise NodeError(path, f"unknown Signalen state {code!r}; known: {known}")
        return Status(code, at, text, who)


_CATEGORY_KEYS = ("main", "sub", "main_slug", "sub_slug", "sub_category")
_SIGNAL_KEYS = frozenset({"status", "category", "reporter", "location", "created_at"})


def _party(case: uuid.UUID, reporter: Node, warnings: list[str]) -> Party | None:
    email, phone = reporter["email"].text(), reporter["phone"].text()
    if email and (any(c.isspace() for c in email) or email.count("@") != 1):
        warnings.append(f"reporter e-mail {email[:80]!r} is not usable")
        email = None
    if not email and not phone:
        return None
    return Party(
        id=part_id(case, "party", "reporter"),
        email=email,
        phone=phone,
        contact_preference=ContactPreference.EMAIL if email else ContactPreference.PHONE,
    )


def _department(signal: Node) -> str | None:
    """The departments the signal is routed to, else those of its category."""
    routed = [d["name"].text() or d["code"].text() for d in signal["routing_departments"]]
    names = [n for n in routed if n]
    return ", ".join(names) if names else signal["category"]["departments"].text()


def _location(location: Node) -> str | None:
    """The address as text, else the coordinates."""
    text = location["address_text"].text()
    if text:
        return text
    address = location["address"]
    street = " ".join(
        p for p in (address[k].text() for k in ("openbare_ruimte", "huisnummer", "huisletter")) if p
    )
    addition = address["huisnummer_toevoeging"].text()
    street = f"{street}-{addition}" if street and addition else street
    place = " ".join(p for p in (address[k].text() for k in ("postcode", "woonplaats")) if p)
    if street or place:
        return ", ".join(p for p in (street, place) if p)
    point = location["geometrie"]["coordinates"].value
    if isinstance(point, list) and len(point) == 2:
        lon, lat = point
        if all(isinstance(c, int | float) and not isinstance(c, bool) for c in point):
            return f"{lat:.6f} N, {lon:.6f} E"
    return None


def _satisfaction(answer: Node, at: datetime) -> _Answer:
    """A satisfaction answer from a history entry ("Ja, de melder is tevreden / Waarom: ...")
    or from a form answer (``is_satisfied``, ``text_list``, ``text_extra``, ``allows_contact``)."""
    if answer.has("what"):
        text = answer["description"].text() or ""
        first = text.split("\n", 1)[0].strip().lower()
        if not first.startswith(("ja", "nee")):
            raise NodeError(answer["description"].path, f"no 'Ja' or 'Nee' in {text[:80]!r}")
        source = {"from": "history", "identifier": answer["identifier"].text()}
        return _Answer(at, first.startswith("ja"), text, source)
    satisfied = answer["is_satisfied"].flag()
    if satisfied is None:
        raise NodeError(answer["is_satisfied"].path, "required")
    reasons = [t.text() for t in answer["text_list"]]
    reasons += [answer["text"].text(), answer["text_extra"].text()]
    said = "Ja, ik ben tevreden" if satisfied else "Nee, ik ben niet tevreden"
    form = {"from": "form", "allows_contact": answer["allows_contact"].flag()}
    return _Answer(at, satisfied, "\n".join([said, *(r for r in reasons if r)]), form)


def _answer_case(
    melding: Feedback, party: Party | None, key: str, number: int, answer: _Answer
) -> CaseRecord:
    """The satisfaction answer as a case of its own, linked to the melding."""
    kind = Kind.SATISFACTION if answer.satisfied else Kind.DISSATISFACTION
    case = case_id("signalen-kto", f"{key}:{number}")
    feedback = Feedback(
        kind=kind,
        channel=Channel.SURVEY,
        received_at=answer.at,
        text=answer.text,
        id=case,
        initiative=Initiative.PROACTIVE,
        subject=melding.subject,
        location=melding.location,
        links=(Link(LinkType.ESCALATED_FROM, melding.id),),
        external_case=melding.external_case,
        parties=(PartyRef(party.id, role_for(kind)),) if party else (),
    )
    history = History(case, "signalen")
    details = {"signalen": {"key": key, "answer": dict(answer.details)}}
    history.intake_note(answer.at, "Tevredenheidsreactie uit Signalen", details)
    return CaseRecord(feedback, (party,) if party else (), history.events)


def _is_history(value: Any) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(e, dict) and "what" in e and "when" in e for e in value)
    )


def _shown(raw: bytes) -> str:
    return raw.decode("utf-8", "replace")


def signalen_units(path: Path) -> Iterator[tuple[int, bytes]]:
    """The signals in ``path`` as raw JSON, numbered from 1: the items of a list or of an
    API page's ``results``, else the whole file (one signal, a history, or bad input)."""
    raw = path.read_bytes()
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, ValueError):
        yield 1, raw
        return
    if isinstance(data, dict) and isinstance(data.get("results"), list):
        data = data["results"]
    if not isinstance(data, list) or _is_history(data):
        yield 1, raw
        return
    for position, item in enumerate(data, start=1):
        yield position, _dump(item)


def _dump(value: Any) -> bytes:
    """``value`` as UTF-8 JSON; escaped where it holds lone surrogates (broken input)."""
    try:
        return json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(value).encode("ascii")


OPTION_HELP: Mapping[str, str] = {
    "categories": "Signalen categories.json, to name categories given only by their URL",
    "instance": "name of the Signalen installation, for ids of signals known only by number "
    "(default: signalen)",
}


def _melding_procedure() -> Procedure:
    return next(p for p in builtin_procedures() if p.name == "melding")


@attrs.frozen
class SignalenChannel:
    """The ``signalen`` channel: Signalen API signals as JSON (``*.signalen.json``)."""

    name = "signalen"
    suffixes = (".signalen.json",)
    option_help = OPTION_HELP

    options: Mapping[str, str] = attrs.field(factory=dict)
    mapping: SignalenMapping = attrs.field(factory=default_mapping)
    procedure: Procedure = attrs.field(factory=_melding_procedure)
    categories: Categories | None = None
    sinks: Sinks = attrs.field(factory=Sinks)
    clock: Clock = attrs.field(factory=SystemClock)

    def configure(
        self,
        options: Mapping[str, str],
        *,
        quarantine: Quarantine | None = None,
        on_skip: Callable[[Skipped], None] | None = None,
    ) -> SignalenChannel:
        check_options(self.name, options, OPTION_HELP)
        path = options.get("categories")
        return attrs.evolve(
            self,
            options=dict(options),
            categories=load_categories(Path(path)) if path else None,
            sinks=Sinks(quarantine, on_skip),
        )

    def read_raw(self, raw: bytes, source: str, position: int) -> list[Item]:
        """Everything one signal yields: the melding and a case per satisfaction answer."""
        instance = self.options.get("instance", "signalen")
        reader = _Reader(self.mapping, self.procedure, self.categories, instance, self.clock)
        return reader.read(raw, source, position)

    def read(self, path: Path) -> Iterator[CaseRecord | Rejected]:
        return deliver(self, str(path), signalen_units(path), ".json")


def apply_update(
    kit: FeedbackKit,
    case: uuid.UUID,
    update: Mapping[str, Any],
    *,
    at: datetime | None = None,
    actor: str = "Signalen",
    mapping: SignalenMapping | None = None,
) -> CaseView:
    """Apply a Signalen status update (``{"status": {"state": "b", "text": ...}}``) to the
    stored melding ``case``: the melding actions it maps to, recorded through ``kit``.

    Raises :class:`~feedbackkit.errors.ValidationError` for an unknown state, or when the
    melding cannot record it (a closed melding takes nothing but a reopening).
    """
    mapping = mapping or default_mapping()
    status = Node(update, "")["status"]
    try:
        code, text = status["state"].text(), status["text"].text()
    except NodeError as exc:
        raise ValidationError(exc.field, exc.reason) from None
    if code is None or code not in mapping.states:
        known = ", ".join(mapping.states)
        raise ValidationError("status.state", f"unknown Signalen state {code!r}; known: {known}")
    view = kit.view(case)
    replay = StatusReplay(view.procedure, view.state.state, view.feedback.org_unit)
    replay.status(
        Status(code, at or kit.clock.now(), text, actor), mapping.states[code], interim=False
    )
    if replay.not_recorded:
        reason = f"a melding in state {view.state.state!r} cannot record {replay.not_recorded[0]}"
        raise ValidationError("status.state", reason)
    for step in replay.steps:
        view = kit.act(
            case, step.action, actor=step.actor or actor, payload=step.payload, at=step.at
        )
    return view
