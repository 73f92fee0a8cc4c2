"""Loading plugins and collecting what they register.

Built-in defaults (:data:`DEFAULT_PLUGINS`) are registered exactly like
third-party plugins found under the ``feedbackkit`` entry-point group. Each
entry point is loaded in isolation: one that fails to import is reported in
:attr:`Plugins.failures` (and warned about), never crashing the host, unless
``strict`` is set (tests and CI). ``FEEDBACKKIT_PLUGINS`` (comma-separated
entry-point names) limits which third-party plugins load; an empty value loads none.
"""

from __future__ import annotations

import importlib
import os
import warnings
from collections.abc import Callable, Iterable, Mapping
from importlib.metadata import entry_points
from types import ModuleType
from typing import Any

import attrs
import pluggy

from feedbackkit import hookspecs
from feedbackkit.errors import FeedbackkitWarning, PluginError

__all__ = ["DEFAULT_PLUGINS", "PluginFailure", "PluginInfo", "Plugins", "load_plugins"]

DEFAULT_PLUGINS: tuple[str, ...] = (
    "feedbackkit.builtin.stores",
    "feedbackkit.builtin.procedures",
    "feedbackkit.builtin.deadlines",
    "feedbackkit.builtin.channels",
    "feedbackkit.builtin.intake",
    "feedbackkit.builtin.commands",
    "feedbackkit.builtin.audit",
    "feedbackkit.builtin.renderers",
    "feedbackkit.builtin.text",
    "feedbackkit.builtin.notifiers",
)
"""Modules holding the built-in hook implementations."""

ENTRY_POINT_GROUP = "feedbackkit"


@attrs.frozen
class PluginFailure:
    """A plugin that could not be loaded, and why."""

    name: str
    error: str


@attrs.frozen
class PluginInfo:
    """One loaded plugin as ``feedbackkit plugins`` shows it."""

    name: str
    builtin: bool
    hooks: tuple[str, ...]
    version: str | None = None


class Plugins:
    """The plugin manager and a typed view of everything the plugins registered."""

    def __init__(
        self,
        pm: pluggy.PluginManager,
        failures: Iterable[PluginFailure] = (),
        versions: Mapping[str, str] | None = None,
    ) -> None:
        self.pm = pm
        self.failures: tuple[PluginFailure, ...] = tuple(failures)
        self.versions: Mapping[str, str] = dict(versions or {})
        self._cache: dict[str, Mapping[str, Any]] = {}

    def collect(self, hook_name: str) -> Mapping[str, Any]:
        """Objects registered through ``hook_name``, by their ``name`` attribute.

        A plugin may replace a built-in object of the same name; two non-built-in
        plugins registering one name raise :class:`PluginError` naming both.
        """
        if hook_name in self._cache:
            return self._cache[hook_name]
        found: dict[str, Any] = {}
        owner: dict[str, str] = {}
        hook = getattr(self.pm.hook, hook_name)
        for impl in hook.get_hookimpls():
            plugin_name = self.pm.get_name(impl.plugin) or repr(impl.plugin)
            items: list[Any] = []
            try:
                impl.function(register=items.append)
            except Exception as exc:
                raise PluginError(f"{hook_name} of plugin {plugin_name} failed: {exc!r}") from exc
            for item in items:
                if not isinstance(getattr(item, "name", None), str):
                    raise PluginError(
                        f"{hook_name}: plugin {plugin_name} registered {item!r} without a name"
                    )
                name = item.name
                if name in found and not _is_builtin(owner[name]):
                    if not _is_builtin(plugin_name):
                        raise PluginError(
                            f"{hook_name}: {name!r} is registered by both "
                            f"{owner[name]} and {plugin_name}"
                        )
                    continue  # a built-in never replaces a plugin's object
                found[name] = item
                owner[name] = plugin_name
        self._cache[hook_name] = found
        return found

    def info(self) -> tuple[PluginInfo, ...]:
        """Every loaded plugin with the hooks it implements, built-ins first."""
        rows = []
        for name, plugin in self.pm.list_name_plugin():
            hooks = tuple(sorted(h.name for h in self.pm.get_hookcallers(plugin) or ()))
            rows.append(PluginInfo(name, _is_builtin(name), hooks, self.versions.get(name)))
        return tuple(sorted(rows, key=lambda r: (not r.builtin, r.name)))

    def stores(self) -> Mapping[str, Any]:
        return self.collect("feedbackkit_register_stores")

    def channels(self) -> Mapping[str, Any]:
        return self.collect("feedbackkit_register_channels")

    def procedures(self) -> Mapping[str, Any]:
        return self.collect("feedbackkit_register_procedures")

    def deadline_policies(self) -> Mapping[str, Any]:
        return self.collect("feedbackkit_register_deadline_policies")

    def notifiers(self) -> Mapping[str, Any]:
        return self.collect("feedbackkit_register_notifiers")

    def renderers(self) -> Mapping[str, Any]:
        return self.collect("feedbackkit_register_renderers")

    def scorers(self) -> Mapping[str, Any]:
        return self.collect("feedbackkit_register_scorers")

    def audit_catalogues(self) -> Mapping[str, Any]:
        return self.collect("feedbackkit_register_audit_catalogues")

    def text_analyzers(self) -> Mapping[str, Any]:
        return self.collect("feedbackkit_register_text_analyzers")

    def deadline_calendar(self, settings: Mapping[str, Any] | None = None) -> Any:
        return self.pm.hook.feedbackkit_deadline_calendar(settings=dict(settings or {}))

    def add_commands(self, cli: Any) -> None:
        self.pm.hook.feedbackkit_register_commands(cli=cli)


def _is_builtin(plugin_name: str) -> bool:
    return plugin_name.startswith("feedbackkit.builtin.")


def load_plugins(
    *,
    entry_point_plugins: bool = True,
    strict: bool | None = None,
    extra: Iterable[ModuleType | object] = (),
    only: Iterable[str] | None = None,
) -> Plugins:
    """Create a plugin manager with the built-ins, the installed plugins and ``extra``.

    ``strict`` (default: ``FEEDBACKKIT_STRICT_PLUGINS=1``) turns a failing plugin into a
    :class:`PluginError`. ``only`` (default: ``FEEDBACKKIT_PLUGINS`` when set) names the
    entry points to load.
    """
    if strict is None:
        strict = os.environ.get("FEEDBACKKIT_STRICT_PLUGINS", "") == "1"
    if only is None and "FEEDBACKKIT_PLUGINS" in os.environ:
        only = [n.strip() for n in os.environ["FEEDBACKKIT_PLUGINS"].split(",") if n.strip()]
    pm = pluggy.PluginManager("feedbackkit")
    pm.add_hookspecs(hookspecs)
    for module_name in DEFAULT_PLUGINS:
        pm.register(importlib.import_module(module_name), name=module_name)
    failures: list[PluginFailure] = []
    versions: dict[str, str] = {}
    if entry_point_plugins:
        wanted = set(only) if only is not None else None
        for ep in entry_points(group=ENTRY_POINT_GROUP):
            if wanted is not None and ep.name not in wanted:
                continue
            if _register_isolated(pm, ep.name, ep.load, failures, strict) and ep.dist:
                versions[ep.name] = ep.dist.version
    for plugin in extra:
        name = getattr(plugin, "__name__", None) or type(plugin).__name__
        _register_isolated(pm, name, _returning(plugin), failures, strict)
    return Plugins(pm, failures, versions)


def _returning(plugin: object) -> Callable[[], object]:
    return lambda: plugin


def _register_isolated(
    pm: pluggy.PluginManager,
    name: str,
    load: Callable[[], object],
    failures: list[PluginFailure],
    strict: bool,
) -> bool:
    """Load and register one plugin; report a failure instead of raising (unless strict)."""
    try:
        plugin = load()
        pm.register(plugin, name=name)
        try:
            pm.check_pending()  # an implementation of a hook that does not exist (a typo)
        except pluggy.PluginValidationError:
            pm.unregister(plugin)
            raise
    except Exception as exc:
        failure = PluginFailure(name, f"{type(exc).__name__}: {exc}")
        if strict:
            raise PluginError(f"plugin {name} failed to load: {failure.error}") from exc
        failures.append(failure)
        warnings.warn(
            f"feedbackkit plugin {name} was not loaded: {failure.error}",
            FeedbackkitWarning,
            stacklevel=3,
        )
        return False
    return True
