"""Procedures as data: an explicit transition table ``(state, action) → state``.

A :class:`Procedure` is loaded from a TOML file (see ``feedbackkit/data/procedures``).
Actions marked ``keeps_state`` (assigning a handler, acknowledging, postponing...)
are expanded into self-transitions of every state that is not ``done`` (and of the
done states too when marked ``after_done``: messages and surveys after handling), so
the table stays explicit while the files stay short.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

import attrs

from feedbackkit.errors import IllegalActionError, ValidationError

__all__ = ["Action", "Procedure", "State", "load_procedure"]


@attrs.frozen
class State:
    """A state of a procedure. ``done`` means handling has ended (terms stop running)."""

    name: str
    nl: str
    en: str
    done: bool = False

    def label(self, lang: str = "nl") -> str:
        return self.en if lang == "en" else self.nl


@attrs.frozen
class Action:
    """An action a handler can take; ``requires`` and ``choices`` constrain its payload."""

    name: str
    nl: str
    en: str
    article: str | None = None
    """The legal basis or norm, e.g. ``Awb 9:6``."""
    requires: tuple[str, ...] = ()
    choices: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict, hash=False)
    types: Mapping[str, str] = attrs.field(factory=dict, hash=False)
    """Payload field types: ``int``, ``bool``, ``str`` or ``date`` (ISO text)."""
    keeps_state: bool = False

    def label(self, lang: str = "nl") -> str:
        return self.en if lang == "en" else self.nl

    def check_payload(self, payload: Mapping[str, Any]) -> None:
        """Raise :class:`ValidationError` when the payload lacks a field or has a wrong choice."""
        for key in self.requires:
            if payload.get(key) in (None, ""):
                raise ValidationError(f"payload.{key}", f"action {self.name!r} requires {key!r}")
        for key, options in self.choices.items():
            if key in payload and payload[key] not in options:
                raise ValidationError(
                    f"payload.{key}",
                    f"{payload[key]!r} is not one of {', '.join(options)} (action {self.name!r})",
                )
        for key, type_name in self.types.items():
            if key in payload and not _PAYLOAD_TYPES[type_name](payload[key]):
                raise ValidationError(
                    f"payload.{key}",
                    f"expected {type_name}, got {payload[key]!r} (action {self.name!r})",
                )


def _is_iso_date(value: Any) -> bool:
    try:
        date.fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return True


_PAYLOAD_TYPES: dict[str, Callable[[Any], bool]] = {
    "int": lambda v: isinstance(v, int) and not isinstance(v, bool) and v > 0,
    "bool": lambda v: isinstance(v, bool),
    "str": lambda v: isinstance(v, str),
    "date": _is_iso_date,
}


@attrs.frozen
class Procedure:
    """A handling procedure: states, actions and the explicit transition table."""

    name: str
    nl: str
    en: str
    kinds: tuple[str, ...]
    initial: str
    states: Mapping[str, State] = attrs.field(hash=False)
    actions: Mapping[str, Action] = attrs.field(hash=False)
    table: Mapping[tuple[str, str], str] = attrs.field(hash=False)

    def __attrs_post_init__(self) -> None:
        if self.initial not in self.states:
            raise ValidationError("initial", f"{self.name}: unknown initial state {self.initial!r}")
        for (source, action), target in self.table.items():
            for what, value, known in (
                ("state", source, self.states),
                ("state", target, self.states),
                ("action", action, self.actions),
            ):
                if value not in known:
                    raise ValidationError("transitions", f"{self.name}: unknown {what} {value!r}")

    def label(self, lang: str = "nl") -> str:
        return self.en if lang == "en" else self.nl

    def allowed(self, state: str) -> tuple[str, ...]:
        """The actions allowed in ``state``, sorted."""
        return tuple(sorted(a for (s, a) in self.table if s == state))

    def is_terminal(self, state: str) -> bool:
        """True when no action at all is allowed in ``state`` (it absorbs)."""
        return not self.allowed(state)

    def step(self, state: str, action: str, payload: Mapping[str, Any] | None = None) -> str:
        """The state after ``action``; raises :class:`IllegalActionError` or a ValidationError."""
        target = self.table.get((state, action))
        if target is None:
            raise IllegalActionError(self.name, state, action, self.allowed(state))
        self.actions[action].check_payload(payload or {})
        return target

    def replay(self, actions: Iterable[tuple[str, Mapping[str, Any]]]) -> str:
        """The state reached from ``initial`` by the given ``(action, payload)`` pairs."""
        state = self.initial
        for action, payload in actions:
            state = self.step(state, action, payload)
        return state

    def mermaid(self, lang: str = "nl") -> str:
        """A Mermaid state diagram generated from the table (docs that cannot rot)."""
        lines = ["stateDiagram-v2", f"    [*] --> {self.initial}"]
        for (source, action), target in sorted(self.table.items()):
            if source != target:
                lines.append(f"    {source} --> {target}: {self.actions[action].label(lang)}")
        for name, state in sorted(self.states.items()):
            leaves = any(t != name for (s, _), t in self.table.items() if s == name)
            if state.done and not leaves:
                lines.append(f"    {name} --> [*]")
        return "\n".join(lines) + "\n"

    @classmethod
    def from_dict(
        cls, data: Mapping[str, Any], common: Mapping[str, Any] | None = None
    ) -> Procedure:
        """Build a procedure from parsed TOML; ``common`` holds actions shared by all procedures."""
        name = str(data["name"])
        states = {
            key: State(name=key, nl=s["nl"], en=s["en"], done=bool(s.get("done", False)))
            for key, s in data["states"].items()
        }
        raw_actions = {**(common or {}).get("actions", {}), **data["actions"]}
        actions = {
            key: Action(
                name=key,
                nl=a["nl"],
                en=a["en"],
                article=a.get("article"),
                requires=tuple(a.get("requires", ())),
                choices={k: tuple(v) for k, v in a.get("choices", {}).items()},
                types=dict(a.get("types", {})),
                keeps_state=bool(a.get("keeps_state", False)),
            )
            for key, a in raw_actions.items()
        }
        for action in actions.values():
            for key, type_name in action.types.items():
                if type_name not in _PAYLOAD_TYPES:
                    raise ValidationError(
                        f"actions.{action.name}.types.{key}", f"unknown type {type_name!r}"
                    )
        table: dict[tuple[str, str], str] = {}
        for t in data.get("transitions", ()):
            for source in t["from"]:
                pair = (source, t["action"])
                if pair in table:
                    raise ValidationError("transitions", f"{name}: duplicate transition {pair}")
                table[pair] = t["to"]
        for action in actions.values():
            if action.keeps_state:
                only = set(raw_actions[action.name].get("in", states))
                after_done = bool(raw_actions[action.name].get("after_done", False))
                for state in states.values():
                    if (after_done or not state.done) and state.name in only:
                        table.setdefault((state.name, action.name), state.name)
        return cls(
            name=name,
            nl=data["nl"],
            en=data["en"],
            kinds=tuple(data.get("kinds", ())),
            initial=data["initial"],
            states=states,
            actions=actions,
            table=table,
        )


def load_procedure(path: Path, common: Mapping[str, Any] | None = None) -> Procedure:
    """Load one procedure TOML file."""
    with path.open("rb") as fh:
        return Procedure.from_dict(tomllib.load(fh), common)
