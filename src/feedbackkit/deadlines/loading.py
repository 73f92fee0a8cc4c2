"""Deadline policy files: the shipped policies and an organisation's overrides.

A policy file holds one table per procedure name (see ``docs/deadlines.md``)::

    [awb_complaint]
    extends = "awb_complaint"          # start from the shipped policy

    [awb_complaint.terms.personal_contact]
    amount = 2                         # only the fields given are replaced

Every error is a :class:`~feedbackkit.errors.DeadlinePolicyError` naming the file,
the policy, the term and the field.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable, Mapping
from enum import StrEnum
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any, TypeVar

from feedbackkit.deadlines.atw import AtwArticle
from feedbackkit.deadlines.calendar import Unit
from feedbackkit.deadlines.policy import (
    Committee,
    DeadlinePolicy,
    OnReopen,
    Postponement,
    Suspension,
    Term,
)
from feedbackkit.errors import DeadlinePolicyError
from feedbackkit.hookspecs import hookimpl

__all__ = [
    "PolicyFilePlugin",
    "builtin_policies",
    "load_policy_file",
    "parse_policies",
    "policy_file_plugin",
]

E = TypeVar("E", bound=StrEnum)

_POLICY_KEYS = frozenset({"extends", "remove", "reopen_actions", "terms"})
_TERM_KEYS = frozenset(
    {
        "nl", "en", "basis", "statutory", "amount", "unit", "starts", "met_by", "lapses_by",
        "applies_if", "atw", "on_reopen", "committee", "postponement", "suspension",
    }
)  # fmt: skip
_NESTED_KEYS = {
    "committee": frozenset({"actions", "amount", "basis"}),
    "postponement": frozenset({"actions", "basis", "max_weeks", "consent_basis"}),
    "suspension": frozenset({"start", "end", "basis"}),
}
_REQUIRED = object()


class _Table:
    """Typed access to one TOML table; errors name the context and the field."""

    def __init__(self, data: Any, where: str, prefix: str = "") -> None:
        self.where = where
        self.prefix = prefix
        if not isinstance(data, dict):
            raise self.fail("", f"expected a table, got {data!r}")
        self.data: dict[str, Any] = data

    def fail(self, key: str, message: str) -> DeadlinePolicyError:
        field = f"field {self.prefix + key!r}: " if key else ""
        return DeadlinePolicyError(f"{self.where}: {field}{message}")

    def only(self, allowed: frozenset[str]) -> None:
        unknown = sorted(set(self.data) - allowed)
        if unknown:
            raise self.fail(unknown[0], f"unknown field; allowed: {', '.join(sorted(allowed))}")

    def _get(self, key: str, default: Any, check: Callable[[Any], bool], expected: str) -> Any:
        if key not in self.data:
            if default is _REQUIRED:
                raise self.fail(key, "is required")
            return default
        value = self.data[key]
        if not check(value):
            raise self.fail(key, f"expected {expected}, got {value!r}")
        return value

    def text(self, key: str, default: Any = _REQUIRED) -> Any:
        return self._get(key, default, lambda v: isinstance(v, str) and bool(v.strip()), "text")

    def integer(self, key: str, default: Any = _REQUIRED) -> Any:
        return self._get(
            key,
            default,
            lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 1,
            "a whole number of at least 1",
        )

    def flag(self, key: str, default: Any = _REQUIRED) -> Any:
        return self._get(key, default, lambda v: isinstance(v, bool), "true or false")

    def names(self, key: str, default: Any = _REQUIRED) -> tuple[str, ...]:
        value = self._get(
            key,
            default,
            lambda v: isinstance(v, list) and all(isinstance(a, str) for a in v),
            "a list of names",
        )
        return tuple(value)

    def choice(self, key: str, kind: type[E], default: Any = _REQUIRED) -> E:
        allowed = ", ".join(m.value for m in kind)
        value = self._get(key, default, lambda v: v in {m.value for m in kind}, f"one of {allowed}")
        return kind(value)

    def choices(self, key: str, kind: type[E]) -> tuple[E, ...]:
        allowed = {m.value for m in kind}
        values = self.names(key)
        for value in values:
            if value not in allowed:
                raise self.fail(key, f"{value!r} is not one of {', '.join(sorted(allowed))}")
        return tuple(kind(v) for v in values)

    def nested(self, key: str) -> _Table | None:
        """The sub-table ``key``; ``false`` or absent means none."""
        value = self.data.get(key, False)
        if value is False:
            return None
        if not isinstance(value, dict):
            raise self.fail(key, f"expected a table or false, got {value!r}")
        table = _Table(value, self.where, f"{self.prefix}{key}.")
        table.only(_NESTED_KEYS[key])
        return table


def _atw(table: _Table, statutory: bool) -> frozenset[AtwArticle]:
    """``atw = true/false`` (both articles or none) or a list of articles; default: statutory."""
    value = table.data.get("atw", statutory)
    if isinstance(value, bool):
        return frozenset(AtwArticle) if value else frozenset()
    return frozenset(table.choices("atw", AtwArticle))


def _term(term_id: str, data: Any, where: str) -> Term:
    table = _Table(data, f"{where}: term {term_id!r}")
    table.only(_TERM_KEYS)
    statutory = table.flag("statutory", False)
    committee = postponement = suspension = None
    if (sub := table.nested("committee")) is not None:
        committee = Committee(sub.names("actions"), sub.integer("amount"), sub.text("basis"))
    if (sub := table.nested("postponement")) is not None:
        postponement = Postponement(
            sub.names("actions"),
            sub.text("basis"),
            max_weeks=sub.integer("max_weeks", None),
            consent_basis=sub.text("consent_basis", None),
        )
    if (sub := table.nested("suspension")) is not None:
        suspension = Suspension(sub.names("start"), sub.names("end"), sub.text("basis"))
    try:
        return Term(
            id=term_id,
            nl=table.text("nl"),
            en=table.text("en"),
            basis=table.text("basis"),
            amount=table.integer("amount"),
            unit=table.choice("unit", Unit),
            met_by=table.names("met_by"),
            statutory=statutory,
            starts=table.text("starts", "receipt"),
            lapses_by=table.names("lapses_by", ()),
            applies_if=table.names("applies_if", ()),
            atw=_atw(table, statutory),
            on_reopen=table.choice("on_reopen", OnReopen, OnReopen.KEEP.value),
            committee=committee,
            postponement=postponement,
            suspension=suspension,
        )
    except DeadlinePolicyError as exc:
        raise DeadlinePolicyError(f"{where}: {exc}") from None


def _merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """``base`` with ``override`` laid over it, sub-tables merged key by key."""
    merged = dict(base)
    for key, value in override.items():
        below = merged.get(key)
        if isinstance(value, dict) and isinstance(below, dict):
            merged[key] = _merge(below, value)
        else:
            merged[key] = value
    return merged


def _policy(name: str, data: Any, source: str) -> DeadlinePolicy:
    table = _Table(data, f"{source}: policy {name!r}")
    table.only(_POLICY_KEYS)
    terms = table.data.get("terms", {})
    if not isinstance(terms, dict):
        raise table.fail("terms", f"expected a table, got {terms!r}")
    reopen: tuple[str, ...] = ("reopen",)
    if "extends" in table.data:
        extends = table.text("extends")
        shipped = _shipped_tables()
        if extends not in shipped:
            known = ", ".join(sorted(shipped))
            raise table.fail("extends", f"no built-in policy {extends!r}; built-in: {known}")
        base = shipped[extends]
        reopen = tuple(base.get("reopen_actions", reopen))
        merged = dict(base.get("terms", {}))
        for term_id in table.names("remove", ()):
            if term_id not in merged:
                raise table.fail("remove", f"{extends!r} has no term {term_id!r}")
            del merged[term_id]
        for term_id, term in terms.items():
            below = merged.get(term_id)
            if isinstance(below, dict) and isinstance(term, dict):
                term = _merge(below, term)
            merged[term_id] = term
        terms = merged
    elif "remove" in table.data:
        raise table.fail("remove", "only allowed together with 'extends'")
    if not terms:
        raise table.fail("terms", "no terms defined")
    built = tuple(_term(term_id, term, table.where) for term_id, term in terms.items())
    reopen = table.names("reopen_actions", reopen)
    try:
        return DeadlinePolicy(name=name, terms=built, reopen_actions=reopen, source=source)
    except DeadlinePolicyError as exc:
        raise DeadlinePolicyError(f"{source}: {exc}") from None


def parse_policies(data: Mapping[str, Any], source: str) -> tuple[DeadlinePolicy, ...]:
    """The policies in parsed TOML ``data`` (one table per procedure); ``source`` names it."""
    if not data:
        raise DeadlinePolicyError(f"{source}: no policies; expected one table per procedure")
    return tuple(_policy(name, table, source) for name, table in data.items())


def _read_toml(text: str, source: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DeadlinePolicyError(f"{source}: invalid TOML: {exc}") from None


def load_policy_file(path: str | os.PathLike[str]) -> tuple[DeadlinePolicy, ...]:
    """The deadline policies in the TOML file at ``path``."""
    path = Path(path)
    try:
        text = path.read_text("utf-8")
    except OSError as exc:
        raise DeadlinePolicyError(f"{path}: cannot read the policy file: {exc.strerror}") from None
    return parse_policies(_read_toml(text, str(path)), str(path))


@cache
def _shipped_tables() -> Mapping[str, Any]:
    """The raw tables of the shipped policy files, by procedure name."""
    folder = files("feedbackkit") / "data" / "deadlines" / "policies"
    tables: dict[str, Any] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            tables.update(_read_toml(entry.read_text("utf-8"), f"policies/{entry.name}"))
    return tables


@cache
def builtin_policies() -> tuple[DeadlinePolicy, ...]:
    """The policies shipped in ``feedbackkit/data/deadlines/policies/``."""
    return parse_policies(_shipped_tables(), "builtin")


class PolicyFilePlugin:
    """A plugin registering the policies of TOML files, read when the policies are first asked for.

    Its policies replace the built-in ones of the same procedure name.
    """

    def __init__(self, *paths: str | os.PathLike[str]) -> None:
        if not paths:
            raise DeadlinePolicyError("policy_file_plugin needs at least one policy file")
        self.paths = tuple(Path(p) for p in paths)
        self.__name__ = "deadline-policies:" + ",".join(str(p) for p in self.paths)

    @hookimpl
    def feedbackkit_register_deadline_policies(self, register: Callable[[Any], None]) -> None:
        for path in self.paths:
            for policy in load_policy_file(path):
                register(policy)


def policy_file_plugin(*paths: str | os.PathLike[str]) -> PolicyFilePlugin:
    """A plugin for ``load_plugins(extra=[...])`` or an entry point: the policies in ``paths``."""
    return PolicyFilePlugin(*paths)
