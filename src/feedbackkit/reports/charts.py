"""Charts as SVG strings, built with :mod:`xml.etree.ElementTree` so every text is escaped
and every chart is well-formed XML; no plotting library needed.

Two kinds: horizontal :func:`bar_chart` (points against a maximum, with the part not yet
assessed, the previous audit's value and threshold lines) and :func:`radar_chart` (one
score per axis, e.g. the six Gouden Oor principles). Texts come in already translated
and formatted.
"""

from __future__ import annotations

import math
import textwrap
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence

import attrs

from feedbackkit.errors import ValidationError

__all__ = ["Bar", "Legend", "Threshold", "bar_chart", "radar_chart"]

SVG_NS = "http://www.w3.org/2000/svg"
FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"

INK = "#1f2933"
MUTED = "#616e7c"
VALUE = "#1f4e79"
PROVISIONAL = "#8fb3d9"
TRACK = "#e9edf2"
PREVIOUS = "#c05621"
THRESHOLD = "#8a1c1c"
GRID = "#cbd2d9"

WIDTH = 680
LABEL_WIDTH = 210
TEXT_WIDTH = 92
ROW = 30
BAR = 14
CHAR = 0.56
"""Average glyph width as a share of the font size, for fitting labels."""


@attrs.frozen
class Threshold:
    """A line across a bar at ``value``, e.g. a recognition level's points."""

    value: float
    label: str


@attrs.frozen
class Bar:
    """One bar: ``value`` out of ``maximum``; ``None`` when nothing was scored.

    A ``provisional`` value (resting on part of what was to be assessed) is drawn lighter;
    ``previous`` is the value at the previous audit, drawn as a tick.
    """

    label: str
    value: float | None
    maximum: float
    text: str
    """Shown right of the bar, e.g. ``7,5 / 10``."""
    provisional: bool = False
    previous: float | None = None
    thresholds: tuple[Threshold, ...] = ()

    def __attrs_post_init__(self) -> None:
        if self.maximum <= 0:
            raise ValidationError("maximum", f"{self.label}: must be positive")


@attrs.frozen
class Legend:
    """Names of what a chart shows; entries for what is absent from the chart are left out."""

    value: str
    provisional: str | None = None
    previous: str | None = None


def _svg(width: float, height: float, title: str) -> ET.Element:
    root = ET.Element(
        "svg",
        {
            "xmlns": SVG_NS,
            "width": _n(width),
            "height": _n(height),
            "viewBox": f"0 0 {_n(width)} {_n(height)}",
            "role": "img",
            "font-family": FONT,
            "font-size": "12",
        },
    )
    ET.SubElement(root, "title").text = title
    return root


def _n(value: float) -> str:
    """A coordinate: at most two decimals, no trailing zeros."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _add(
    parent: ET.Element, tag: str, text: str | None = None, **attributes: float | str
) -> ET.Element:
    element = ET.SubElement(
        parent,
        tag,
        {
            key.rstrip("_").replace("_", "-"): _n(value)
            if isinstance(value, float | int)
            else value
            for key, value in attributes.items()
        },
    )
    if text is not None:
        element.text = text
    return element


def _fit(text: str, width: float, size: float = 12) -> str:
    """``text`` cut with an ellipsis to fit ``width`` pixels."""
    room = int(width / (size * CHAR))
    return text if len(text) <= room else text[: max(room - 1, 1)].rstrip() + "…"


def _legend(root: ET.Element, y: float, entries: Sequence[tuple[str, str, bool]]) -> None:
    """Legend swatches in one line at ``y``: (label, colour, drawn as a tick)."""
    x = float(LABEL_WIDTH)
    for label, colour, tick in entries:
        if tick:
            _add(root, "rect", x=x + 4, y=y - 9, width=2, height=12, fill=colour)
        else:
            _add(root, "rect", x=x, y=y - 8, width=10, height=10, fill=colour)
        _add(root, "text", label, x=x + 15, y=y, fill=MUTED, font_size=10)
        x += 15 + len(label) * 10 * CHAR + 18


def bar_chart(bars: Sequence[Bar], title: str, legend: Legend) -> str:
    """Horizontal bars, one per row; bar lengths share one scale (the largest maximum)."""
    if not bars:
        raise ValidationError("bars", "a bar chart needs at least one bar")
    scale = max(bar.maximum for bar in bars)
    area = WIDTH - LABEL_WIDTH - TEXT_WIDTH - 12
    spaced = any(bar.thresholds for bar in bars)
    row = ROW + (30 if spaced else 0)
    top = 8 + (16 if spaced else 0)
    height = top + row * len(bars) + 26
    root = _svg(WIDTH, height, title)
    has_provisional = has_previous = False
    for index, bar in enumerate(bars):
        y = top + index * row + (row - BAR) / 2 - (6 if spaced else 0)
        group = _add(root, "g")
        _add(group, "title", f"{bar.label}: {bar.text}")
        _add(group, "text", _fit(bar.label, LABEL_WIDTH - 10), x=0, y=y + BAR - 2, fill=INK)
        track = area * bar.maximum / scale
        x0 = LABEL_WIDTH
        _add(group, "rect", x=x0, y=y, width=track, height=BAR, fill=TRACK)
        if bar.value is not None:
            has_provisional |= bar.provisional
            filled = track * min(max(bar.value, 0.0), bar.maximum) / bar.maximum
            colour = PROVISIONAL if bar.provisional else VALUE
            _add(group, "rect", x=x0, y=y, width=filled, height=BAR, fill=colour)
        if bar.previous is not None:
            has_previous = True
            px = x0 + track * bar.previous / bar.maximum
            _add(group, "rect", x=px - 1, y=y - 3, width=2, height=BAR + 6, fill=PREVIOUS)
        for number, threshold in enumerate(bar.thresholds):
            tx = x0 + track * threshold.value / bar.maximum
            _add(
                group,
                "line",
                x1=tx,
                x2=tx,
                y1=y - 5,
                y2=y + BAR + 5,
                stroke=THRESHOLD,
                stroke_width=1.5,
                stroke_dasharray="3 2",
            )
            ty = y - 8 if number % 2 == 0 else y + BAR + 15
            _add(
                group,
                "text",
                threshold.label,
                x=tx,
                y=ty,
                fill=THRESHOLD,
                font_size=9,
                text_anchor="middle",
            )
        _add(group, "text", bar.text, x=x0 + track + 8, y=y + BAR - 2, fill=INK, font_weight="bold")
    solid = any(bar.value is not None and not bar.provisional for bar in bars)
    entries = [(legend.value, VALUE, False)] if solid else []
    if has_provisional and legend.provisional:
        entries.append((legend.provisional, PROVISIONAL, False))
    if has_previous and legend.previous:
        entries.append((legend.previous, PREVIOUS, True))
    _legend(root, height - 8, entries)
    return ET.tostring(root, encoding="unicode")


def radar_chart(
    axes: Sequence[tuple[str, float]],
    title: str,
    legend: Legend,
    share: Callable[[float], str],
    previous: Sequence[float | None] | None = None,
) -> str:
    """A radar of scores (0..1), one axis per (label, score), with rings at 25 % steps.

    ``share`` writes the ring values; ``previous`` (same order) draws the previous audit's
    scores as a dashed outline where known.
    """
    if len(axes) < 3:
        raise ValidationError("axes", "a radar chart needs at least three axes")
    if any(not 0 <= score <= 1 for _, score in axes):
        raise ValidationError("axes", "scores must be between 0 and 1")
    width, height, radius = 640.0, 380.0, 125.0
    cx, cy = width / 2, 178.0
    root = _svg(width, height, title)

    def point(index: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * index / len(axes)
        return cx + radius * value * math.cos(angle), cy + radius * value * math.sin(angle)

    def outline(values: Sequence[float]) -> str:
        return " ".join(f"{_n(x)},{_n(y)}" for x, y in (point(i, v) for i, v in enumerate(values)))

    for ring in (0.25, 0.5, 0.75, 1.0):
        _add(root, "polygon", points=outline([ring] * len(axes)), fill="none", stroke=GRID)
        _add(
            root, "text", share(ring), x=cx + 3, y=cy - radius * ring + 10, fill=MUTED, font_size=9
        )
    for index, (label, _) in enumerate(axes):
        x, y = point(index, 1.0)
        _add(root, "line", x1=cx, y1=cy, x2=x, y2=y, stroke=GRID)
        lx, ly = point(index, 1.12)
        anchor = "middle" if abs(lx - cx) < 10 else ("start" if lx > cx else "end")
        lines = textwrap.wrap(label, 24) or [label]
        rise = 6.0 * (len(lines) - 1)
        shift = -rise if ly < cy - 10 else (0.0 if ly > cy + 10 else -rise / 2)
        text = _add(root, "text", x=lx, y=ly + 4 + shift, fill=INK, text_anchor=anchor)
        for number, line in enumerate(lines):
            _add(text, "tspan", line, x=lx, dy="0" if number == 0 else "13")
    has_previous = previous is not None and all(v is not None for v in previous)
    if previous is not None and has_previous:
        _add(
            root,
            "polygon",
            points=outline([v or 0.0 for v in previous]),
            fill="none",
            stroke=PREVIOUS,
            stroke_width=2,
            stroke_dasharray="5 3",
        )
    scores = [score for _, score in axes]
    _add(
        root,
        "polygon",
        points=outline(scores),
        fill=VALUE,
        fill_opacity="0.25",
        stroke=VALUE,
        stroke_width=2,
    )
    for index, score in enumerate(scores):
        x, y = point(index, score)
        _add(root, "circle", cx=x, cy=y, r=3.5, fill=VALUE)
    entries = [(legend.value, VALUE, False)]
    if has_previous and legend.previous:
        entries.append((legend.previous, PREVIOUS, True))
    _legend(root, height - 8, entries)
    return ET.tostring(root, encoding="unicode")
