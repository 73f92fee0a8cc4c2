"""Progress of long commands on standard error: a bar on a terminal, else (when asked
for with ``--progress``) a line every few seconds; nothing otherwise."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TextIO, TypeVar

import click

__all__ = ["PROGRESS_OPTION", "progress"]

T = TypeVar("T")

_EVERY_SECONDS = 5.0
"""How often a progress line is written when standard error is no terminal."""
_STEPS = 500
"""Items between updates of the bar (redrawing it per item would cost more than the item)."""

PROGRESS_OPTION = click.option(
    "--progress/--no-progress",
    "show",
    default=None,
    help="Show progress on standard error (default: only on a terminal).",
)


@contextmanager
def progress(
    items: Iterable[T],
    *,
    label: str,
    length: int | None = None,
    enabled: bool | None = None,
    file: TextIO | None = None,
) -> Iterator[Iterable[T]]:
    """``items``, reporting progress as they are consumed: a bar when ``file`` (standard
    error) is a terminal, a line every few seconds when ``enabled`` is True and it is not.
    ``enabled=None`` means: only on a terminal."""
    out = file if file is not None else sys.stderr
    terminal = out.isatty()
    if not (terminal if enabled is None else enabled):
        yield items
    elif terminal:
        bar = click.progressbar(
            items, length=length, label=label, file=out, show_pos=True, update_min_steps=_STEPS
        )
        with bar:
            yield bar
    else:
        yield _lines(items, label, length, lambda line: click.echo(line, file=out))


def _lines(
    items: Iterable[T], label: str, length: int | None, write: Callable[[str], None]
) -> Iterator[T]:
    total = f"/{length}" if length is not None else ""
    count = 0
    due = time.monotonic() + _EVERY_SECONDS
    for count, item in enumerate(items, start=1):
        yield item
        if count % _STEPS == 0 and time.monotonic() >= due:
            write(f"{label}: {count}{total}")
            due = time.monotonic() + _EVERY_SECONDS
    write(f"{label}: {count}{total}")
