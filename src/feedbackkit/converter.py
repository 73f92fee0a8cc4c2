"""The one cattrs converter: the only door between models and JSON, rows and payloads."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import Enum, StrEnum
from typing import Any, TypeVar

import attrs
import cattrs
from cattrs.errors import AttributeValidationNote, ForbiddenExtraKeysError, IterableValidationNote
from cattrs.v import format_exception

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
        raise ValidationError(
            cls.__name__, f"unknown value {value!r}; allowed: {allowed}"
        ) from None


def _structure_strings(value: Any, _: Any) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, list | tuple):
        raise ValidationError("list", f"expected a list of strings, got {value!r}")
    for item in value:
        if not isinstance(item, str):
            raise ValidationError("list", f"expected strings, got {item!r}")
    return tuple(value)


def _strict(kind: type[Any]) -> Any:
    """A structure hook accepting only ``kind`` itself: no ``bool("false")``, no ``str(5)``."""

    def check(value: Any, _: Any) -> Any:
        # bool is an int subclass; never accept it as a number
        candidate = None if isinstance(value, bool) and kind is not bool else value
        if kind is float and isinstance(candidate, int):
            return float(candidate)
        if isinstance(candidate, kind):
            return candidate
        raise ValidationError(kind.__name__, f"expected {kind.__name__}, got {value!r}")

    return check


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
    for kind in (str, int, float, bool):
        conv.register_structure_hook(kind, _strict(kind))
    return conv


converter: cattrs.Converter = _make()
"""The shared converter. Plugins register hooks for their own types on it."""


def unstructure(obj: object) -> Any:
    """Plain JSON-compatible data for a model instance (or a collection of them)."""
    return converter.unstructure(obj)


def structure(data: Any, cls: type[T]) -> T:
    """Build a model from plain data; invalid data raises a :class:`ValidationError` by field."""
    try:
        return converter.structure(data, cls)
    except ValidationError:
        raise
    except cattrs.BaseValidationError as exc:
        field, message = _first_error(exc)
        raise ValidationError(field or cls.__name__, message) from exc
    except (TypeError, ValueError, KeyError) as exc:
        raise ValidationError(cls.__name__, str(exc)) from exc


def _first_error(exc: BaseException, path: str = "", note: Any = None) -> tuple[str, str]:
    """The field path (``events[0].at``) and message of the first error in cattrs' tree.

    ``note`` is cattrs' note attributing ``exc`` to the attribute or index at ``path``; an
    error raised by a model's own validators has none, and names its field itself.
    """
    if isinstance(exc, cattrs.BaseValidationError):
        inner = exc.exceptions[0]
        for inner_note in getattr(inner, "__notes__", ()):
            if isinstance(inner_note, AttributeValidationNote):
                return _first_error(inner, _join(path, inner_note.name), inner_note)
            if isinstance(inner_note, IterableValidationNote):
                return _first_error(inner, f"{path}[{inner_note.index}]", inner_note)
        return _first_error(inner, path)
    if isinstance(exc, ForbiddenExtraKeysError):
        extra = sorted(exc.extra_fields)
        return _join(path, extra[0]), f"unknown field(s): {', '.join(extra)}"
    if isinstance(exc, ValidationError):
        return (path if note is not None else _join(path, exc.field)), exc.message
    attribute = next((a for a in exc.args if isinstance(a, attrs.Attribute)), None)
    if note is None and attribute is not None:  # an attrs validator (matches_re, ge...)
        return _join(path, attribute.name), str(exc.args[0])
    return path, format_exception(exc, getattr(note, "type", None))


def _join(path: str, field: str) -> str:
    return f"{path}.{field}" if path else field
