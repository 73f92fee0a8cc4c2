"""``feedbackkit plugins``: what is loaded, which hooks each plugin implements, what failed."""

from __future__ import annotations

import inspect
import json
import re
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING

import click

from feedbackkit import hookspecs
from feedbackkit.converter import unstructure

if TYPE_CHECKING:
    from feedbackkit.cli import Context

__all__ = ["COMMANDS", "hook_reference", "plugins_command"]

_ROLE = re.compile(r":[a-z]+:`~?(?:[\w.]*\.)?(\w+)`")


def hook_reference() -> str:
    """The Markdown reference of every hook, from the specs and docstrings in ``hookspecs``."""
    sections = []
    for name, spec in vars(hookspecs).items():
        if not name.startswith("feedbackkit_"):
            continue
        signature = f"{name}{inspect.signature(spec)}".replace("'", "")
        doc = _ROLE.sub(r"`\1`", inspect.getdoc(spec) or "").replace("``", "`")
        if spec.feedbackkit_spec["firstresult"]:
            doc += "\n\nThe first implementation returning a value other than `None` wins."
        sections.append(f"### `{name}`\n\n```python\ndef {signature}\n```\n\n{doc}\n")
    return "\n".join(sections)


def _feedbackkit_version() -> str | None:
    try:
        return version("feedbackkit")
    except PackageNotFoundError:
        return None


@click.command("plugins")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.option(
    "--hookspecs", is_flag=True, help="Print the reference of every hook (Markdown) instead."
)
@click.pass_obj
def plugins_command(ctx: Context, as_json: bool, hookspecs: bool) -> None:
    """List the loaded plugins (built-in and installed) with the hooks each implements."""
    if hookspecs:
        click.echo(hook_reference(), nl=False)
        return
    builtin_version = _feedbackkit_version()
    rows = [
        {
            **unstructure(info),
            "version": info.version or (builtin_version if info.builtin else None),
        }
        for info in ctx.plugins.info()
    ]
    failures = [unstructure(f) for f in ctx.plugins.failures]
    if as_json:
        click.echo(json.dumps({"plugins": rows, "failures": failures}, indent=2))
        return
    for row in rows:
        origin = "built-in" if row["builtin"] else "plugin"
        click.echo(f"{row['name']} {row['version'] or '(version unknown)'} [{origin}]")
        for hook in row["hooks"]:
            click.echo(f"    {hook}")
    if failures:
        click.echo("Failed to load:")
        for failure in failures:
            click.echo(f"    {failure['name']}: {failure['error']}")


COMMANDS = (plugins_command,)
