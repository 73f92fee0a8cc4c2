"""A writer process: a bulk ingest's database writes on a second core.

Making a batch's rows is Python work; inserting them is the database's. Python
threads cannot overlap the two (the driver takes the interpreter lock back after
every row), so a parallel ingest forks a process that receives the encoded
batches over a pipe (tuples of plain driver values: cheap to pickle) and writes
each in one transaction over its own connection, while the ingesting process
makes the next batch's rows.

At most one batch is in flight: the ingesting process waits for the writer to
finish a batch before it sends the next, so memory stays bounded. Every batch is
written whole or not at all, as in a serial ingest: a writer whose parent died
finishes the batch it holds and exits when the pipe closes. An error in the
writer (a constraint violation, a lost connection) is raised in the ingesting
process as the same typed error, and nothing after that batch is written.
"""

from __future__ import annotations

import gc
import multiprocessing
from collections.abc import Callable
from contextlib import AbstractContextManager, suppress
from multiprocessing.connection import Connection
from types import TracebackType
from typing import Generic, TypeVar

from feedbackkit.errors import FeedbackkitError

__all__ = ["WriterProcess", "can_fork"]

T = TypeVar("T")

Opener = Callable[[], AbstractContextManager[Callable[[T], int]]]
"""Run in the writer: gives the function that writes a batch and returns how many
cases it stored (typically a store on a fresh connection: connections must never
be used across a fork), closed when the writer stops."""


def can_fork() -> bool:
    """Whether this platform can fork a writer process (it inherits the ingest's setup)."""
    return "fork" in multiprocessing.get_all_start_methods()


class WriterProcess(Generic[T]):
    """A forked process writing every batch :meth:`send` gives it, in order.

    Use as a context manager; :meth:`finish` returns the number of cases stored.
    Leaving the block with an error stops the writer after the batch it holds.
    """

    def __init__(self, open: Opener[T]) -> None:
        context = multiprocessing.get_context("fork")
        jobs, self._jobs = context.Pipe(duplex=False)
        self._results, results = context.Pipe(duplex=False)
        self._process = context.Process(
            target=_serve,
            args=(open, jobs, results, (self._jobs, self._results)),
            name="feedbackkit-writer",
            daemon=True,
        )
        self._process.start()
        jobs.close()
        results.close()
        self._stored = 0
        self._busy = False

    def send(self, batch: T) -> None:
        """Hand ``batch`` to the writer as soon as it has written the one before."""
        self._collect()
        try:
            self._jobs.send(batch)
        except OSError:
            self._collect()  # the writer's own error, if it sent one
            raise FeedbackkitError(f"the writer process stopped ({self._exit()})") from None
        self._busy = True

    def finish(self) -> int:
        """Wait for the last batch and stop the writer; how many cases it stored."""
        self._collect()
        self._jobs.close()
        self._process.join()
        return self._stored

    def _collect(self) -> None:
        """Wait for the batch in flight, if any; raise the writer's error."""
        if not self._busy:
            return
        self._busy = False
        try:
            kind, value = self._results.recv()
        except EOFError:
            raise FeedbackkitError(f"the writer process stopped ({self._exit()})") from None
        except Exception as exc:  # an error that does not unpickle
            raise FeedbackkitError(f"the writer process failed: {exc!r}") from None
        if kind == "error":
            raise value
        self._stored += value

    def _exit(self) -> str:
        self._process.join(5)
        code = self._process.exitcode
        return "still running" if code is None else f"exit code {code}"

    def __enter__(self) -> WriterProcess[T]:
        return self

    def __exit__(
        self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None
    ) -> None:
        if not self._jobs.closed:
            self._jobs.close()  # the writer finishes the batch it holds, then sees the end
        self._process.join()
        self._results.close()


def _serve(
    open: Opener[T], jobs: Connection, results: Connection, parent_ends: tuple[Connection, ...]
) -> None:
    """The writer: write every batch received until the pipe closes; report each."""
    for end in parent_ends:
        end.close()  # or the pipe would never report its end to this process
    gc.freeze()  # never walk the inherited objects: that would copy every page they are on
    try:
        with open() as write:
            while True:
                try:
                    batch = jobs.recv()
                except EOFError:
                    return
                results.send(("stored", write(batch)))
    except BaseException as exc:
        with suppress(OSError):  # nobody left to tell when the parent is gone
            try:
                results.send(("error", exc))
            except OSError:
                raise
            except Exception:  # an error that does not pickle
                results.send(("error", FeedbackkitError(f"the writer process failed: {exc!r}")))
