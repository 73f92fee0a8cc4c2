"""Text hygiene for everything a channel reads: no control characters, no lone surrogates."""

from __future__ import annotations

import re

__all__ = ["clean"]

_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean(text: str) -> str:
    """``text`` fit for storage: line breaks normalised, control characters (NUL and friends)
    removed, lone surrogates (from broken input) replaced by ``?``; tabs and newlines kept."""
    text = text.encode("utf-8", "replace").decode("utf-8")
    return _CONTROLS.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
