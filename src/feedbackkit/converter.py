"""The one cattrs converter: the only door between models and JSON, rows and payloads."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import Enum, StrEnum
from typing import Any, TypeVar

import cattrs

from feedbackkit.errors import ValidationError

__all__ = ["converter", "structure", "unstructure"]

T = TypeVar("T")


def _is_enum(cls: Any) -> bool:
    return isinstance(cls, type) and issubclass(cls, Enum)


def _structure_enum(value: Any, cls: type[Enum]) -> Enum:
    try:
        return cls(value)
    except ValueError:
        allowed = ", ".join(str(m.value) for m in cls)
        raise ValidationError(cls.__name__, f"unknown value {value!r}; allowed: {allowed}") from None


def _structure_strings(value: Any, _: Any) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, list | tuple):
        raise ValidationError("list", f"expected a list of strings, got {value!r}")
    for item in value:
        if not isinstance(item, str):
            raise ValidationError("list", f"expected strings, got {item!r}")
    return tuple(value)


def _make() -> cattrs.Converter:
    conv = cattrs.Converter(forbid_extra_keys=True)
    conv.register_unstructure_hook(uuid.UUID, str)
    conv.register_structure_hook(
        uuid.UUID, lambda v, _: v if isinstance(v, uuid.UUID) else uuid.UUID(str(v))
    )
    conv.register_unstructure_hook(datetime, lambda v: v.isoformat())
    conv.register_structure_hook(
        datetime, lambda v, _: v if isinstance(v, datetime) else datetime.fromisoformat(v)
    )
    conv.register_unstructure_hook(date, lambda v: v.isoformat())
    conv.register_structure_hook(
        date, lambda v, _: v if isinstance(v, date) else date.fromisoformat(v)
    )
    conv.register_unstructure_hook_func(_is_enum, lambda v: v.value)
    conv.register_structure_hook(Enum, _structure_enum)
    conv.register_structure_hook(StrEnum, _structure_enum)  # before str in the MRO
    conv.register_structure_hook_func(lambda t: t == tuple[str, ...], _structure_strings)
    conv.register_structure_hook(Any, lambda v, _: v)
    return conv


converter: cattrs.Converter = _make()
"""The shared converter. Plugins register hooks for their own types on it."""


def unstructure(obj: object) -> Any:
    """Plain JSON-compatible data for a model instance (or a collection of them)."""
    return converter.unstructure(obj)


def structure(data: Any, cls: type[T]) -> T:
    """Build a model from plain data; invalid data raises :class:`ValidationError` naming the field."""
    try:
        return converter.structure(data, cls)
    except ValidationError:
        raise
    except cattrs.BaseValidationError as exc:
        messages = cattrs.transform_error(exc, path="$")
        own = _own_error(exc)
        if own is not None:
            raise ValidationError(_path_of(messages[0]) or own.field, own.message) from exc
        raise ValidationError(_path_of(messages[0]) or cls.__name__, messages[0]) from exc
    except (TypeError, ValueError, KeyError) as exc:
        raise ValidationError(cls.__name__, str(exc)) from exc


def _own_error(exc: BaseException) -> ValidationError | None:
    """The first of our own ValidationErrors inside cattrs' exception groups."""
    if isinstance(exc, ValidationError):
        return exc
    for inner in getattr(exc, "exceptions", ()):
        found = _own_error(inner)
        if found is not None:
            return found
    return None


def _path_of(message: str) -> str:
    """The ``$.a.b`` path cattrs puts after ``@`` in its messages, as ``a.b``."""
    _, _, path = message.rpartition(" @ ")
    return path.removeprefix("$").lstrip(".")
