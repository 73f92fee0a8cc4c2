"""Signalen statuses onto the melding procedure (the table is ``signalen.toml``).

A status names the melding states it means; :class:`StatusReplay` takes the shortest
path of melding actions from the case's current state to the first of them it can
reach, recording the steps in between as implied. When no path exists the status is
kept as a note, and when the case is done (a done state takes no note) it is listed
as not recorded. Payloads the actions require come from the status: its text is the
resolution, ground or reason; the department is the melding's.
"""

from __future__ import annotations

import tomllib
from collections import deque
from collections.abc import Mapping
from datetime import datetime
from functools import cache
from importlib.resources import files
from typing import Any

import attrs

from feedbackkit.vocabulary import Channel
from feedbackkit.workflow.procedure import Procedure

__all__ = ["SignalenMapping", "StateSpec", "Status", "StatusReplay", "Step", "default_mapping"]


@attrs.frozen
class StateSpec:
    """One Signalen status and the melding states it means, in order of preference."""

    code: str
    nl: str
    targets: tuple[str, ...]
    interim_note: bool = False
    """Kept as a note when a later, different status undoes it (a cancellation reopened)."""


@attrs.frozen
class SignalenMapping:
    """Signalen statuses and sources, as ``signalen.toml`` defines them."""

    states: Mapping[str, StateSpec] = attrs.field(hash=False)
    sources: tuple[tuple[str, Channel], ...]

    def by_label(self, label: str) -> StateSpec | None:
        """The status whose Dutch name is ``label`` (ignoring case), as the history shows it."""
        wanted = label.strip().lower()
        return next((s for s in self.states.values() if s.nl.lower() == wanted), None)

    def channel_for(self, source: str | None) -> Channel:
        """The channel of a Signalen ``source`` such as ``Telefoon – ASC``; else a web form."""
        text = (source or "").strip().lower()
        return next((c for prefix, c in self.sources if text.startswith(prefix)), Channel.WEB_FORM)


@cache
def default_mapping() -> SignalenMapping:
    """The mapping shipped with feedbackkit (``signalen.toml``)."""
    data = tomllib.loads((files("feedbackkit.channels") / "signalen.toml").read_text("utf-8"))
    states = {
        code: StateSpec(code, s["nl"], tuple(s["targets"]), bool(s.get("interim_note", False)))
        for code, s in data["states"].items()
    }
    sources = tuple((s["prefix"].lower(), Channel(s["channel"])) for s in data["sources"])
    return SignalenMapping(states, sources)


@attrs.frozen
class Status:
    """One status a signal had: its code, when, the text sent with it, and by whom."""

    code: str
    at: datetime
    text: str | None = None
    actor: str | None = None


@attrs.frozen
class Step:
    """One melding event planned from the Signalen history."""

    action: str
    at: datetime
    payload: Mapping[str, Any] = attrs.field(hash=False)
    actor: str | None = None


_Route = list[tuple[str, dict[str, Any]]]


@attrs.define
class StatusReplay:
    """Follows a signal's history through the melding procedure, planning its events."""

    procedure: Procedure
    state: str
    department: str | None = None
    steps: list[Step] = attrs.Factory(list)
    not_recorded: list[str] = attrs.Factory(list)

    def status(self, status: Status, spec: StateSpec, *, interim: bool) -> None:
        """Plan the events for ``status`` (``interim``: a later, different status follows)."""
        label = f"{spec.nl} ({spec.code})"
        info = {"state": spec.code, "label": spec.nl, "text": status.text}
        text = f"Signalen-status {label}" + (f": {status.text}" if status.text else "")
        targets = () if interim and spec.interim_note else spec.targets
        receipt = not self.steps and self.state == self.procedure.initial and not status.text
        if self.state in targets:
            if not receipt:  # a first "Gemeld" without text is the receipt itself
                self.note(status.at, text, info, status.actor)
            return
        for target in targets:
            path = self._path(target, status, spec)
            if path is not None:
                for i, (action, payload) in enumerate(path):
                    extra = info if i == 0 else {**info, "implied": True}
                    self._add(Step(action, status.at, {**payload, "signalen": extra}, status.actor))
                return
        self.note(status.at, text, info, status.actor)

    def note(self, at: datetime, text: str, info: Mapping[str, Any], actor: str | None) -> None:
        """A note while the case is open; a done case takes none, so it is listed instead."""
        if (self.state, "note") in self.procedure.table:
            self._add(Step("note", at, {"text": text, "signalen": dict(info)}, actor))
        else:
            self.not_recorded.append(f"{at.isoformat()}: {text}")

    def _add(self, step: Step) -> None:
        self.state = self.procedure.step(self.state, step.action, step.payload)
        self.steps.append(step)

    def _path(self, target: str, status: Status, spec: StateSpec) -> _Route | None:
        """The shortest list of state-changing actions (with payloads) to ``target``."""
        said = status.text or f"Signalen: {spec.nl}"
        values = {"department": self.department, "resolution": said, "ground": said, "reason": said}
        queue: deque[tuple[str, _Route]] = deque([(self.state, [])])
        seen = {self.state}
        while queue:
            state, path = queue.popleft()
            for (source, action), next_state in sorted(self.procedure.table.items()):
                payload = _payload(self.procedure, action, values)
                if source != state or next_state in seen or payload is None:
                    continue
                if next_state == target:
                    return [*path, (action, payload)]
                seen.add(next_state)
                queue.append((next_state, [*path, (action, payload)]))
        return None


def _payload(
    procedure: Procedure, action: str, values: Mapping[str, str | None]
) -> dict[str, Any] | None:
    """The payload ``action`` requires, from ``values``; ``None`` when one is unknown."""
    spec = procedure.actions[action]
    payload = {key: values.get(key) for key in spec.requires}
    if any(v is None for v in payload.values()):
        return None
    if any(key in payload and payload[key] not in ok for key, ok in spec.choices.items()):
        return None
    return payload
