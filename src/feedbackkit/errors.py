"""The typed errors feedbackkit raises; every one names what is wrong.

They pickle with their fields, so they cross process boundaries (a bulk ingest's writer
process, multiprocessing in host applications) as the same typed error.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = [
    "ConflictError",
    "DeadlinePolicyError",
    "FeedbackkitError",
    "FeedbackkitWarning",
    "IllegalActionError",
    "InterchangeError",
    "NotFoundError",
    "PluginError",
    "ValidationError",
]


class FeedbackkitError(Exception):
    """Base class of every error feedbackkit raises on purpose."""


class FeedbackkitWarning(UserWarning):
    """Base class of feedbackkit's warnings (tests turn them into errors)."""


class ValidationError(FeedbackkitError, ValueError):
    """A value does not satisfy the model; ``field`` names the attribute."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")

    def __reduce__(self) -> tuple[type[ValidationError], tuple[str, str]]:
        return type(self), (self.field, self.message)


class IllegalActionError(FeedbackkitError):
    """An action is not allowed in the current state of a procedure."""

    def __init__(self, procedure: str, state: str, action: str, allowed: Iterable[str]) -> None:
        self.procedure = procedure
        self.state = state
        self.action = action
        self.allowed = tuple(sorted(allowed))
        shown = ", ".join(self.allowed) or "none (terminal state)"
        super().__init__(
            f"{procedure}: action {action!r} is not allowed in state {state!r}; allowed: {shown}"
        )

    def __reduce__(self) -> tuple[type[IllegalActionError], tuple[object, ...]]:
        return type(self), (self.procedure, self.state, self.action, self.allowed)


class NotFoundError(FeedbackkitError, KeyError):
    """No record with that identifier."""

    def __init__(self, what: str, identifier: object) -> None:
        self.what = what
        self.identifier = identifier
        super().__init__(f"{what} {identifier} not found")

    def __reduce__(self) -> tuple[type[NotFoundError], tuple[str, object]]:
        return type(self), (self.what, self.identifier)

    def __str__(self) -> str:
        return str(self.args[0])


class ConflictError(FeedbackkitError):
    """A write was based on a stale version of a case (optimistic concurrency)."""

    def __init__(self, case_id: object, expected: int, actual: int) -> None:
        self.case_id = case_id
        self.expected = expected
        self.actual = actual
        super().__init__(
            f"case {case_id}: expected version {expected}, but the stored version is {actual}"
        )

    def __reduce__(self) -> tuple[type[ConflictError], tuple[object, int, int]]:
        return type(self), (self.case_id, self.expected, self.actual)


class DeadlinePolicyError(FeedbackkitError, ValueError):
    """A deadline policy file or definition is invalid; names the term and field."""


class InterchangeError(FeedbackkitError, ValueError):
    """A record in an interchange file is invalid; names the line and field."""

    def __init__(self, line: int, field: str, message: str) -> None:
        self.line = line
        self.field = field
        self.message = message
        super().__init__(f"line {line}: {field}: {message}")

    def __reduce__(self) -> tuple[type[InterchangeError], tuple[int, str, str]]:
        return type(self), (self.line, self.field, self.message)


class PluginError(FeedbackkitError):
    """A plugin failed to load or registered something invalid."""
