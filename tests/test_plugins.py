"""The plugin system: every hook documented and tested, replacing built-ins, name clashes,
broken plugins isolated (or fatal in strict mode), entry points of installed distributions."""

from __future__ import annotations

import ast
import functools
import importlib
import inspect
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import attrs
import click
import pytest
from click.testing import CliRunner

from feedbackkit import hookimpl, hookspecs
from feedbackkit.builtin.procedures import builtin_procedures
from feedbackkit.cli import Context
from feedbackkit.clock import AMSTERDAM
from feedbackkit.commands.interchange import import_command
from feedbackkit.commands.plugins import hook_reference, plugins_command
from feedbackkit.deadlines import AtwCalendar, parse_policies
from feedbackkit.errors import FeedbackkitWarning, PluginError
from feedbackkit.models import CaseRecord, Feedback
from feedbackkit.plugins import Plugins, load_plugins
from feedbackkit.ports import Message, Rejected
from feedbackkit.service import FeedbackKit

TESTS = Path(__file__).parent
DOCS = TESTS.parent / "docs" / "plugins.md"
HOOKS = [name for name in vars(hookspecs) if name.startswith("feedbackkit_")]
RECEIVED = datetime(2026, 3, 2, 10, 0, tzinfo=AMSTERDAM)


def plugins_with(*extra: object) -> Plugins:
    """The built-ins plus ``extra``, never what happens to be installed."""
    return load_plugins(extra=extra, entry_point_plugins=False)


@attrs.frozen
class Named:
    """A registered object that only needs a name (notifier, renderer, scorer...)."""

    name: str


# -- rules every hook follows ------------------------------------------------------------


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hookspec_has_a_docstring(hook: str) -> None:
    doc = inspect.getdoc(getattr(hookspecs, hook))
    assert doc, f"{hook} has no docstring"
    assert len(doc.split()) >= 5, f"{hook}: document what is registered or returned"


@functools.cache
def _tested_hooks() -> frozenset[str]:
    """Hook names implemented by an in-test plugin inside a ``test_hook_*`` function."""
    found = set()
    for path in TESTS.rglob("test_*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_hook_"):
                found |= {
                    inner.name
                    for inner in ast.walk(node)
                    if isinstance(inner, ast.FunctionDef) and inner.name in HOOKS
                }
    return frozenset(found)


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hookspec_has_a_test(hook: str) -> None:
    assert hook in _tested_hooks(), f"no test_hook_* test registers a plugin implementing {hook}"


def test_the_hook_reference_in_the_docs_is_current() -> None:
    text = DOCS.read_text("utf-8")
    start, end = "<!-- hooks: start -->\n", "<!-- hooks: end -->"
    documented = text[text.index(start) + len(start) : text.index(end)]
    assert documented.strip() == hook_reference().strip(), (
        "docs/plugins.md is stale: replace the block with `feedbackkit plugins --hookspecs`"
    )


def test_the_hook_reference_shows_signatures_and_first_result_hooks() -> None:
    reference = hook_reference()
    assert "def feedbackkit_register_stores(register: Callable[[Any], None]) -> None\n" in reference
    calendar = reference[reference.index("### `feedbackkit_deadline_calendar`") :]
    assert "def feedbackkit_deadline_calendar(settings: dict[str, Any]) -> Any\n" in calendar
    assert "first implementation returning" in calendar.split("###")[1]
    assert "`Calendar`" in calendar
    assert ":class:" not in reference


# -- one test per hook: an in-test plugin is collected, wins, or answers -----------------


def test_hook_feedbackkit_register_stores() -> None:
    opened: list[str] = []

    class SpyStores:
        name = "spy"
        schemes = ("spy",)

        def open(self, url: str) -> Any:
            opened.append(url)
            return FeedbackKit.open(":memory:", plugins=plugins_with()).store

        @hookimpl
        def feedbackkit_register_stores(self, register: Callable[[Any], None]) -> None:
            register(self)

    plugins = plugins_with(SpyStores())
    assert set(plugins.stores()) >= {"spy", "memory"}
    with FeedbackKit.open("spy://anywhere", plugins=plugins) as kit:
        kit.register(Feedback("tip", "app", RECEIVED, "Zet een bankje bij de bushalte."))
        assert kit.count() == 1
    assert opened == ["spy://anywhere"]


class LinesChannel:
    """A channel for ``.txt`` files: every non-blank line is a remark made at the counter."""

    name = "lines"
    suffixes = (".txt",)

    def read(self, path: Path) -> Iterator[CaseRecord | Rejected]:
        for number, text in enumerate(path.read_text("utf-8").splitlines(), start=1):
            if text.strip():
                yield CaseRecord(Feedback("remark", "counter", RECEIVED, text))
            else:
                yield Rejected(str(path), number, "text", "empty remark", text)


def test_hook_feedbackkit_register_channels(tmp_path: Path) -> None:
    class CounterNotes:
        @hookimpl
        def feedbackkit_register_channels(self, register: Callable[[Any], None]) -> None:
            register(LinesChannel())

    plugins = plugins_with(CounterNotes())
    assert set(plugins.channels()) == {"lines", "jsonl", "email", "imap", "register", "signalen"}
    notes = tmp_path / "balie.txt"
    notes.write_text("Lange wachttijd\n\nPrettig geholpen\n", "utf-8")
    db = str(tmp_path / "cases.sqlite")
    result = CliRunner().invoke(import_command, [str(notes)], obj=Context(db, plugins))
    assert result.exit_code == 3, result.output
    assert f"{notes}:2: text: empty remark" in result.stderr
    with FeedbackKit.open(db, plugins=plugins) as kit:
        assert sorted(s.procedure for s in kit.cases()) == ["generic", "generic"]


def test_hook_feedbackkit_register_procedures() -> None:
    generic = next(p for p in builtin_procedures() if p.name == "generic")
    own = attrs.evolve(generic, nl="Eigen afhandeling", en="Own handling")
    other = attrs.evolve(generic, name="tip_jar", kinds=("tip",))

    class OwnProcedures:
        @hookimpl
        def feedbackkit_register_procedures(self, register: Callable[[Any], None]) -> None:
            register(own)
            register(other)

    procedures = plugins_with(OwnProcedures()).procedures()
    assert procedures["generic"] is own  # replaces the built-in of that name
    assert procedures["tip_jar"] is other
    assert {"awb_complaint", "objection", "melding"} <= set(procedures)


def test_hook_feedbackkit_register_deadline_policies() -> None:
    (faster,) = parse_policies(
        {"generic": {"extends": "generic", "terms": {"acknowledge": {"amount": 1}}}}, "test"
    )

    class FasterNorms:
        @hookimpl
        def feedbackkit_register_deadline_policies(self, register: Callable[[Any], None]) -> None:
            register(faster)

    plugins = plugins_with(FasterNorms())
    assert plugins.deadline_policies()["generic"] is faster
    with FeedbackKit.open(":memory:", plugins=plugins) as kit:
        feedback = Feedback("question", "email", RECEIVED, "Wanneer wordt het afval opgehaald?")
        (acknowledge,) = [
            d
            for d in kit.compute_deadlines(feedback, (), date(2026, 3, 2))
            if d.term == "acknowledge"
        ]
    assert acknowledge.due == date(2026, 3, 3)  # one working day after Monday 2 March


def test_hook_feedbackkit_deadline_calendar() -> None:
    closed = AtwCalendar.from_settings(
        {"closing_days": [{"date": date(2026, 3, 3), "name": "Heidag"}]}
    )

    class OwnCalendar:
        @hookimpl
        def feedbackkit_deadline_calendar(self, settings: dict[str, Any]) -> Any:
            return closed if settings.get("own") else None

    plugins = plugins_with(OwnCalendar())
    assert plugins.deadline_calendar({"own": True}) is closed
    assert isinstance(plugins.deadline_calendar(), AtwCalendar)  # None: the built-in answers
    assert plugins.deadline_calendar() is not closed
    assert not closed.is_working_day(date(2026, 3, 3))


def test_hook_feedbackkit_register_notifiers() -> None:
    sent: list[Message] = []

    class Outbox:
        name = "outbox"

        def send(self, message: Message) -> str:
            sent.append(message)
            return f"<{len(sent)}@outbox>"

        @hookimpl
        def feedbackkit_register_notifiers(self, register: Callable[[Any], None]) -> None:
            register(self)

    outbox = Outbox()
    notifier = plugins_with(outbox).notifiers()["outbox"]
    assert notifier is outbox
    message = Message("ack", "a@example.nl", "Ontvangen", "Wij hebben uw klacht ontvangen.")
    assert notifier.send(message) == "<1@outbox>"
    assert sent == [message]


def test_hook_feedbackkit_register_renderers() -> None:
    class Plain:
        @hookimpl
        def feedbackkit_register_renderers(self, register: Callable[[Any], None]) -> None:
            register(Named("plain"))

    assert plugins_with(Plain()).renderers()["plain"] == Named("plain")


def test_hook_feedbackkit_register_scorers() -> None:
    class OwnScorer:
        @hookimpl
        def feedbackkit_register_scorers(self, register: Callable[[Any], None]) -> None:
            register(Named("own-scoring"))

    builtin = set(plugins_with().scorers())
    scorers = plugins_with(OwnScorer()).scorers()
    assert set(scorers) == {*builtin, "own-scoring"}
    assert scorers["own-scoring"] == Named("own-scoring")


def test_hook_feedbackkit_register_audit_catalogues() -> None:
    class LicensedCatalogue:
        @hookimpl
        def feedbackkit_register_audit_catalogues(self, register: Callable[[Any], None]) -> None:
            register(Named("gouden-oor-2022-licensed"))

    builtin = set(plugins_with().audit_catalogues())
    catalogues = plugins_with(LicensedCatalogue()).audit_catalogues()
    assert set(catalogues) == {*builtin, "gouden-oor-2022-licensed"}


def test_hook_feedbackkit_register_commands() -> None:
    @click.command("hello")
    def hello() -> None:
        click.echo("dag!")

    class Greeter:
        @hookimpl
        def feedbackkit_register_commands(self, cli: Any) -> None:
            cli.add_command(hello)

    group = click.Group("feedbackkit")
    plugins_with(Greeter()).add_commands(group)
    assert {"hello", "import", "export", "plugins"} <= set(group.commands)
    assert CliRunner().invoke(group, ["hello"]).output == "dag!\n"


# -- names: a plugin may replace a built-in, never another plugin ------------------------


def _renderer_plugin(class_name: str, renderer: str) -> object:
    def register_renderer(self: object, register: Callable[[Any], None]) -> None:
        register(Named(renderer))

    hook = hookimpl(register_renderer)
    return type(class_name, (), {"feedbackkit_register_renderers": hook})()


def test_two_plugins_registering_one_name_is_an_error_naming_both() -> None:
    plugins = plugins_with(_renderer_plugin("First", "pdf"), _renderer_plugin("Second", "pdf"))
    with pytest.raises(
        PluginError, match=r"'pdf' is registered by both (First and Second|Second and First)"
    ):
        plugins.renderers()


def test_different_names_from_two_plugins_are_both_kept() -> None:
    builtin = set(plugins_with().renderers())
    plugins = plugins_with(_renderer_plugin("First", "pdf"), _renderer_plugin("Second", "odt"))
    assert set(plugins.renderers()) == {*builtin, "pdf", "odt"}


def test_a_plugin_registering_an_object_without_a_name_is_named() -> None:
    class Nameless:
        @hookimpl
        def feedbackkit_register_renderers(self, register: Callable[[Any], None]) -> None:
            register(object())

    with pytest.raises(PluginError, match="plugin Nameless registered <object"):
        plugins_with(Nameless()).renderers()


# -- broken plugins: isolated and reported, or fatal in strict mode ----------------------


class Misspelled:
    @hookimpl
    def feedbackkit_register_renderer(self, register: Callable[[Any], None]) -> None:
        """Singular: no such hook."""


class WrongArgument:
    @hookimpl
    def feedbackkit_register_renderers(self, registr: Callable[[Any], None]) -> None:
        """``registr`` is not an argument of the hook."""


@pytest.mark.parametrize("broken", [Misspelled(), WrongArgument()], ids=type)
def test_a_broken_plugin_is_reported_and_the_rest_loads(broken: object) -> None:
    with pytest.warns(FeedbackkitWarning, match=f"plugin {type(broken).__name__} was not loaded"):
        plugins = load_plugins(extra=[broken], entry_point_plugins=False, strict=False)
    assert [f.name for f in plugins.failures] == [type(broken).__name__]
    assert "jsonl" in plugins.channels()
    assert type(broken).__name__ not in {info.name for info in plugins.info()}


def test_a_broken_plugin_is_fatal_in_strict_mode() -> None:
    with pytest.raises(PluginError, match="plugin Misspelled failed to load"):
        load_plugins(extra=[Misspelled()], entry_point_plugins=False, strict=True)


# -- entry points of an installed distribution -------------------------------------------


@pytest.fixture
def installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A distribution ``fk-example 1.2.3`` on ``sys.path`` with two ``feedbackkit`` entry
    points: ``good`` (registers a renderer) and ``broken`` (fails to import)."""
    (tmp_path / "fk_good.py").write_text(
        "from feedbackkit import hookimpl\n\n"
        "class Odt:\n    name = 'odt'\n\n"
        "@hookimpl\ndef feedbackkit_register_renderers(register):\n    register(Odt())\n"
    )
    (tmp_path / "fk_broken.py").write_text("import feedbackkit_does_not_exist\n")
    info = tmp_path / "fk_example-1.2.3.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: fk-example\nVersion: 1.2.3\n")
    (info / "entry_points.txt").write_text("[feedbackkit]\ngood = fk_good\nbroken = fk_broken\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.invalidate_caches()
    for module in ("fk_good", "fk_broken"):
        monkeypatch.delitem(sys.modules, module, raising=False)
    return tmp_path


@pytest.mark.usefixtures("installed")
def test_the_suite_loads_no_installed_plugin_by_default() -> None:
    assert os.environ["FEEDBACKKIT_PLUGINS"] == ""  # set by conftest.py
    plugins = load_plugins()
    assert all(info.builtin for info in plugins.info())
    assert plugins.failures == ()


@pytest.mark.usefixtures("installed")
def test_entry_points_load_in_isolation_with_their_version() -> None:
    with pytest.warns(FeedbackkitWarning, match="plugin broken was not loaded"):
        plugins = load_plugins(only=["good", "broken"], strict=False)
    assert [(f.name, f.error) for f in plugins.failures] == [
        ("broken", "ModuleNotFoundError: No module named 'feedbackkit_does_not_exist'")
    ]
    (good,) = [info for info in plugins.info() if not info.builtin]
    assert (good.name, good.version, good.hooks) == (
        "good",
        "1.2.3",
        ("feedbackkit_register_renderers",),
    )
    assert "odt" in plugins.renderers()


@pytest.mark.usefixtures("installed")
def test_a_broken_entry_point_is_fatal_in_strict_mode() -> None:
    with pytest.raises(PluginError, match="plugin broken failed to load: ModuleNotFoundError"):
        load_plugins(only=["good", "broken"])  # strict: FEEDBACKKIT_STRICT_PLUGINS=1


@pytest.mark.usefixtures("installed")
def test_the_environment_picks_the_entry_points(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FEEDBACKKIT_PLUGINS", "good")
    plugins = load_plugins()
    assert [info.name for info in plugins.info() if not info.builtin] == ["good"]


@pytest.mark.usefixtures("installed")
def test_the_plugins_command_lists_plugins_hooks_and_failures() -> None:
    with pytest.warns(FeedbackkitWarning):
        plugins = load_plugins(only=["good", "broken"], strict=False)
    runner = CliRunner()
    listed = runner.invoke(plugins_command, [], obj=Context(":memory:", plugins))
    assert listed.exit_code == 0, listed.output
    assert "good 1.2.3 [plugin]\n    feedbackkit_register_renderers\n" in listed.output
    assert "feedbackkit.builtin.channels" in listed.output
    assert "Failed to load:\n    broken: ModuleNotFoundError" in listed.output
    as_json = json.loads(
        runner.invoke(plugins_command, ["--json"], obj=Context(":memory:", plugins)).output
    )
    rows = {row["name"]: row for row in as_json["plugins"]}
    assert rows["good"] == {
        "name": "good",
        "builtin": False,
        "hooks": ["feedbackkit_register_renderers"],
        "version": "1.2.3",
    }
    assert rows["feedbackkit.builtin.channels"]["hooks"] == ["feedbackkit_register_channels"]
    assert [f["name"] for f in as_json["failures"]] == ["broken"]


def test_the_console_command_loads_the_plugins_the_environment_names(installed: Path) -> None:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(installed), *sys.path]),
        "FEEDBACKKIT_PLUGINS": "good,broken",
        "FEEDBACKKIT_STRICT_PLUGINS": "0",
    }
    done = subprocess.run(
        [sys.executable, "-c", "from feedbackkit.cli import main; main()", "plugins", "--json"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    shown = json.loads(done.stdout)
    assert {row["name"]: row["version"] for row in shown["plugins"]}["good"] == "1.2.3"
    assert [f["name"] for f in shown["failures"]] == ["broken"]
    assert "feedbackkit plugin broken was not loaded" in done.stderr
