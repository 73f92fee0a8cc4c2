"""Every hook feedbackkit offers, in one place. Built-in defaults implement them too.

Registration hooks receive a ``register`` callback and call it once per object
they contribute. Names must be unique: two plugins registering the same name is
an error naming both, except that any plugin may replace a built-in default.
A hook implementation is marked with :data:`hookimpl`::

    from feedbackkit import hookimpl

    @hookimpl
    def feedbackkit_register_stores(register):
        register(MyStoreFactory())
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pluggy

__all__ = ["hookimpl", "hookspec"]

hookspec = pluggy.HookspecMarker("feedbackkit")
hookimpl = pluggy.HookimplMarker("feedbackkit")


@hookspec
def feedbackkit_register_stores(register: Callable[[Any], None]) -> None:
    """Register storage backends.

    Each object is a :class:`~feedbackkit.storage.protocol.StoreFactory`: it has a
    ``name``, the URL ``schemes`` it opens (``sqlite``, ``postgresql``, ``memory``) and
    ``open(url) -> Store``.
    """


@hookspec
def feedbackkit_register_channels(register: Callable[[Any], None]) -> None:
    """Register intake channels.

    Each object is a :class:`~feedbackkit.ports.ChannelReader` with a ``name``, the file
    ``suffixes`` it reads and ``read(path)`` yielding case records or rejections.
    """


@hookspec
def feedbackkit_register_procedures(register: Callable[[Any], None]) -> None:
    """Register handling procedures.

    Each object is a :class:`~feedbackkit.workflow.Procedure` (usually loaded from TOML
    with :func:`~feedbackkit.workflow.load_procedure`). A procedure with the name of a
    built-in one replaces it.
    """


@hookspec
def feedbackkit_register_deadline_policies(register: Callable[[Any], None]) -> None:
    """Register deadline policies.

    Each object is a :class:`~feedbackkit.deadlines.DeadlinePolicy` for one procedure:
    its statutory terms and service norms. An organisation's TOML overrides are loaded
    as a policy with the same procedure name.
    """


@hookspec(firstresult=True)
def feedbackkit_deadline_calendar(settings: dict[str, Any]) -> Any:
    """Return the :class:`~feedbackkit.deadlines.Calendar` that counts working days.

    ``settings`` holds the ``[calendar]`` section of the organisation's configuration
    (for example extra bridge days). The first non-``None`` answer wins; the built-in
    Algemene termijnenwet calendar answers last.
    """


@hookspec
def feedbackkit_register_notifiers(register: Callable[[Any], None]) -> None:
    """Register notifiers: :class:`~feedbackkit.ports.Notifier` objects that send messages."""


@hookspec
def feedbackkit_register_renderers(register: Callable[[Any], None]) -> None:
    """Register renderers: :class:`~feedbackkit.ports.Renderer` objects for report formats."""


@hookspec
def feedbackkit_register_scorers(register: Callable[[Any], None]) -> None:
    """Register audit scorers: :class:`~feedbackkit.ports.Scorer` objects."""


@hookspec
def feedbackkit_register_audit_catalogues(register: Callable[[Any], None]) -> None:
    """Register audit catalogues: :class:`~feedbackkit.ports.AuditCatalogue` objects
    supplying frameworks (Gouden Oor, seven shifts, ISO 10002...) as data."""


@hookspec
def feedbackkit_register_text_analyzers(register: Callable[[Any], None]) -> None:
    """Register text analysers for the learning loop.

    Each object is a :class:`~feedbackkit.learning.text.TextAnalyzer` with a ``name``,
    ``index(documents) -> TextIndex`` (similar feedback, clusters, keywords),
    ``emotion(text)`` and ``suggest_themes(text, taxonomy)``. The built-in ``overlap``
    analyser answers last; an analyser from a plugin is preferred when installed.
    """


@hookspec
def feedbackkit_register_commands(cli: Any) -> None:
    """Add commands to the ``feedbackkit`` command line; ``cli`` is the root ``click.Group``.

    On the ``feedbackkit`` command itself it is a ``LazyGroup``
    (``feedbackkit.commands.lazy``): ``cli.add_lazy_command(name, module)`` names a
    command that ``module`` lists in its ``COMMANDS``, imported only when it runs, so
    that other calls do not pay for its imports. ``cli.add_command`` works as ever.
    """
