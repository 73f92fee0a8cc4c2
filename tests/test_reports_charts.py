"""SVG charts: well-formed XML with escaped texts, and geometry that follows the values."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from feedbackkit.errors import ValidationError
from feedbackkit.reports import Bar, Legend, Threshold, bar_chart, radar_chart
from feedbackkit.reports.charts import PREVIOUS, PROVISIONAL, THRESHOLD, VALUE

NS = "{http://www.w3.org/2000/svg}"
HOSTILE = '<script>alert("x")</script> & {{ 7*7 }}'
LEGEND = Legend("Punten", "Voorlopig", "Vorige audit")


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{NS}svg"
    return root


def rects(root: ET.Element, fill: str) -> list[ET.Element]:
    return [r for r in root.iter(f"{NS}rect") if r.get("fill") == fill]


def texts(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(f"{NS}text")]


def test_a_bar_chart_is_valid_svg_with_one_group_per_bar() -> None:
    bars = [Bar("Sturing", 10, 20, "10 / 20"), Bar("Middelen", 5, 10, "5 / 10")]
    root = parse(bar_chart(bars, "Punten per gebied", LEGEND))
    assert root.find(f"{NS}title").text == "Punten per gebied"  # type: ignore[union-attr]
    assert len(root.findall(f"{NS}g")) == 2
    assert {"Sturing", "10 / 20", "Middelen", "5 / 10", "Punten"} <= set(texts(root))


def test_bar_lengths_share_one_scale_and_follow_the_values() -> None:
    bars = [Bar("a", 10, 20, "10 / 20"), Bar("b", 2.5, 10, "2,5 / 10")]
    root = parse(bar_chart(bars, "t", LEGEND))
    track_a, track_b = (float(r.get("width", "0")) for r in rects(root, "#e9edf2"))
    value_a, value_b = (float(r.get("width", "0")) for r in rects(root, VALUE)[:2])
    assert track_b == pytest.approx(track_a / 2, abs=0.01)  # maximum 10 against 20
    assert value_a == pytest.approx(track_a / 2, abs=0.01)  # 10 of 20
    assert value_b == pytest.approx(track_b / 4, abs=0.01)  # 2.5 of 10


def test_texts_are_escaped_not_markup() -> None:
    svg = bar_chart(
        [Bar(HOSTILE, 1, 2, HOSTILE, thresholds=(Threshold(1, HOSTILE),))], HOSTILE, LEGEND
    )
    root = parse(svg)
    assert not [e for e in root.iter() if e.tag.endswith("script")]
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert HOSTILE in texts(root)


def test_a_long_label_is_cut_but_kept_whole_in_the_tooltip() -> None:
    label = "Een heel lang onderdeel met een naam die niet in de kolom past"
    root = parse(bar_chart([Bar(label, 1, 2, "1 / 2")], "t", LEGEND))
    shown = texts(root)[0]
    assert shown.endswith("…")
    assert len(shown) < len(label)
    assert root.find(f"{NS}g/{NS}title").text == f"{label}: 1 / 2"  # type: ignore[union-attr]


def test_unscored_provisional_previous_and_thresholds_are_drawn_and_named() -> None:
    bars = [
        Bar("Geen", None, 10, "geen score"),
        Bar("Deels", 4, 10, "4 / 10", provisional=True, previous=6),
        Bar("Totaal", 30, 70, "30 / 70", thresholds=(Threshold(25, "G (25)"), Threshold(50, "N1"))),
    ]
    root = parse(bar_chart(bars, "t", LEGEND))
    assert len(rects(root, PROVISIONAL)) == 2  # the bar and its legend swatch
    assert len(rects(root, PREVIOUS)) == 2  # the tick and its legend
    assert len([line for line in root.iter(f"{NS}line") if line.get("stroke") == THRESHOLD]) == 2
    assert {"G (25)", "N1", "Voorlopig", "Vorige audit", "geen score"} <= set(texts(root))


def test_the_legend_names_only_what_the_chart_shows() -> None:
    root = parse(bar_chart([Bar("a", 1, 2, "1 / 2")], "t", LEGEND))
    assert "Voorlopig" not in texts(root)
    assert "Vorige audit" not in texts(root)
    only_provisional = parse(bar_chart([Bar("a", 1, 2, "1 / 2", provisional=True)], "t", LEGEND))
    assert "Punten" not in texts(only_provisional)


def test_bad_bars_are_refused() -> None:
    with pytest.raises(ValidationError, match="at least one bar"):
        bar_chart([], "t", LEGEND)
    with pytest.raises(ValidationError, match="maximum: a: must be positive"):
        Bar("a", 0, 0, "0")


def test_a_radar_has_one_vertex_per_axis_at_its_score() -> None:
    axes = [("Een", 1.0), ("Twee", 0.5), ("Drie", 0.0), ("Vier", 0.25)]
    root = parse(radar_chart(axes, "Principes", LEGEND, lambda v: f"{v:.0%}"))
    scores = [p for p in root.iter(f"{NS}polygon") if p.get("fill") == VALUE]
    (shape,) = scores
    points = [tuple(map(float, xy.split(","))) for xy in shape.get("points", "").split()]
    assert len(points) == 4
    centre = (320.0, 178.0)
    distance = [((x - centre[0]) ** 2 + (y - centre[1]) ** 2) ** 0.5 for x, y in points]
    assert distance[0] == pytest.approx(2 * distance[1], abs=0.05)
    assert distance[2] == pytest.approx(0, abs=0.05)
    assert distance[3] == pytest.approx(distance[1] / 2, abs=0.05)
    assert {"Een", "Twee", "Drie", "Vier", "25%", "100%"} <= set(texts(root))


def test_a_radar_draws_the_previous_audit_only_when_every_axis_had_a_score() -> None:
    axes = [("a", 0.5), ("b", 0.5), ("c", 0.5)]
    with_previous = parse(radar_chart(axes, "t", LEGEND, str, previous=[0.2, 0.3, 0.4]))
    partly = parse(radar_chart(axes, "t", LEGEND, str, previous=[0.2, None, 0.4]))
    dashed = [p for p in with_previous.iter(f"{NS}polygon") if p.get("stroke") == PREVIOUS]
    assert len(dashed) == 1
    assert not [p for p in partly.iter(f"{NS}polygon") if p.get("stroke") == PREVIOUS]


@pytest.mark.parametrize(
    ("axes", "message"),
    [([("a", 0.1), ("b", 0.2)], "three axes"), ([("a", 0.1), ("b", 0.2), ("c", 1.5)], "between")],
)
def test_bad_radars_are_refused(axes: list[tuple[str, float]], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        radar_chart(axes, "t", LEGEND, str)


def test_radar_labels_are_escaped() -> None:
    svg = radar_chart([(HOSTILE, 0.5), ("b", 0.5), ("c", 0.5)], HOSTILE, LEGEND, str)
    root = parse(svg)
    assert "<script>" not in svg
    assert not [e for e in root.iter() if e.tag.endswith("script")]
