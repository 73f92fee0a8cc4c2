"""Audit catalogues and scorers as plugins register them, behind a typed lookup."""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from feedbackkit.audit.framework import Framework
from feedbackkit.errors import NotFoundError, PluginError

if TYPE_CHECKING:
    from feedbackkit.plugins import Plugins
    from feedbackkit.ports import Scorer

__all__ = ["DEFAULT_SCORER", "FrameworkCatalogue", "registered_framework", "registered_scorer"]

DEFAULT_SCORER = "maturity"


@attrs.frozen
class FrameworkCatalogue:
    """An :class:`~feedbackkit.ports.AuditCatalogue` supplying one loaded framework.

    A licensed auditor's plugin registers one with the name of a built-in framework
    to replace it::

        @hookimpl
        def feedbackkit_register_audit_catalogues(register):
            register(FrameworkCatalogue(load_framework(Path("gouden-oor-2022.toml"))))
    """

    framework: Framework

    @property
    def name(self) -> str:
        return self.framework.name

    @property
    def version(self) -> str:
        return self.framework.version

    def load(self) -> Framework:
        return self.framework


def registered_framework(plugins: Plugins, name: str) -> Framework:
    """The framework the plugins register as ``name``; checks what the catalogue returns."""
    catalogue = plugins.audit_catalogues().get(name)
    if catalogue is None:
        raise NotFoundError("audit framework", name)
    framework = catalogue.load()
    if not isinstance(framework, Framework):
        raise PluginError(f"audit catalogue {name}: load() returned {type(framework).__name__}")
    if (framework.name, framework.version) != (catalogue.name, catalogue.version):
        raise PluginError(
            f"audit catalogue {name} {catalogue.version}: load() returned "
            f"{framework.name} {framework.version}"
        )
    return framework


def registered_scorer(plugins: Plugins, name: str = DEFAULT_SCORER) -> Scorer:
    """The scorer the plugins register as ``name``."""
    scorer = plugins.scorers().get(name)
    if scorer is None:
        raise NotFoundError("audit scorer", name)
    found: Scorer = scorer
    return found
