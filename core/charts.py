"""Server-rendered SVG charts, pure Python, so the same picture goes into the page and the PDF.

Each chart has a <title> and <desc> (referenced by aria-labelledby) and is meant to be shown with
its figures as a table next to it for screen-reader users. Colours are distinguishable in grey
scale too (solid versus hatched bars; a line with markers), never colour alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from html import escape

from core.formatting import format_money

WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 96, 16, 24, 48
COLOURS = ("#1f4e79", "#b35900", "#2e6b30", "#7a2e8a", "#8a1c1c", "#3d3d3d")
DASHES = ("", "6 3", "2 3", "8 3 2 3", "1 2", "10 4")


@dataclass(frozen=True)
class Series:
    name: str
    values: list[Decimal | None]


def _nice_max(value: Decimal) -> Decimal:
    if value <= 0:
        return Decimal(1)
    magnitude = Decimal(10) ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        candidate = magnitude * Decimal(str(step))
        if candidate >= value:
            return candidate
    return magnitude * 10


def _frame(
    chart_id: str, title: str, description: str, body: list[str], top: Decimal, extra: int = 0
) -> str:
    plot_h = HEIGHT - TOP - BOTTOM
    grid = []
    for i in range(5):
        value = top * i / 4
        y = TOP + plot_h - plot_h * i / 4
        grid.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
            'stroke="#d0d0d0" stroke-width="1"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#333">'
            f"{escape(format_money(value))}</text>"
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT + extra}" '
        'role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" class="chart" '
        f'font-family="DejaVu Sans, sans-serif" font-size="12">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>'
        '<defs><pattern id="' + chart_id + '-hatch" width="6" height="6" '
        'patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        f'<rect width="6" height="6" fill="#fff"/><rect width="3" height="6" fill="{COLOURS[1]}"/>'
        "</pattern></defs>" + "".join(grid) + "".join(body) + "</svg>"
    )


def _legend(chart_id: str, series: list[Series], line: bool = False) -> tuple[list[str], int]:
    """Legend entries below the plot, wrapping onto extra rows; returns (parts, extra height)."""
    parts = []
    x, row = LEFT, 0
    for index, s in enumerate(series):
        name = s.name if len(s.name) <= 40 else s.name[:39] + "…"
        width = 30 + 7 * len(name)
        if x + width > WIDTH and x > LEFT:
            x, row = LEFT, row + 1
        y = HEIGHT - 8 + row * 18
        colour = COLOURS[index % len(COLOURS)]
        fill = COLOURS[0] if index == 0 else f"url(#{chart_id}-hatch)"
        marker = (
            f'<circle cx="{x + 6}" cy="{y - 4}" r="5" fill="{colour}"/>'
            if line
            else f'<rect x="{x}" y="{y - 10}" width="12" height="12" fill="{fill}" '
            f'stroke="{colour}"/>'
        )
        parts.append(marker + f'<text x="{x + 18}" y="{y}" fill="#1a1a1a">{escape(name)}</text>')
        x += width
    return parts, row * 18


def bar_chart(
    chart_id: str, title: str, description: str, categories: list[str], series: list[Series]
) -> str:
    """Grouped bars per category (e.g. begroting and realisatie per year)."""
    values = [v for s in series for v in s.values if v is not None]
    top = _nice_max(max(values, default=Decimal(0)))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    group_w = plot_w / max(len(categories), 1)
    bar_w = min(40.0, group_w * 0.7 / max(len(series), 1))
    body = []
    for ci, category in enumerate(categories):
        gx = LEFT + group_w * ci + (group_w - bar_w * len(series)) / 2
        for si, s in enumerate(series):
            value = s.values[ci]
            if value is None:
                continue
            h = float(value / top) * plot_h if top else 0
            fill = COLOURS[0] if si == 0 else f"url(#{chart_id}-hatch)"
            body.append(
                f'<rect x="{gx + bar_w * si:.1f}" y="{TOP + plot_h - h:.1f}" width="{bar_w:.1f}" '
                f'height="{h:.1f}" fill="{fill}" stroke="{COLOURS[si]}">'
                f"<title>{escape(s.name)} {escape(category)}: {escape(format_money(value))}"
                "</title></rect>"
            )
        body.append(
            f'<text x="{LEFT + group_w * ci + group_w / 2:.1f}" y="{TOP + plot_h + 16}" '
            f'text-anchor="middle" fill="#1a1a1a">{escape(category)}</text>'
        )
    legend, extra = _legend(chart_id, series)
    return _frame(chart_id, title, description, body + legend, top, extra)


def line_chart(
    chart_id: str, title: str, description: str, categories: list[str], series: list[Series]
) -> str:
    """A line with a marker per category (e.g. the municipality's contribution per year)."""
    values = [v for s in series for v in s.values if v is not None]
    top = _nice_max(max(values, default=Decimal(0)))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(categories), 1)
    body = []
    for ci, category in enumerate(categories):
        body.append(
            f'<text x="{LEFT + step * ci + step / 2:.1f}" y="{TOP + plot_h + 16}" '
            f'text-anchor="middle" fill="#1a1a1a">{escape(category)}</text>'
        )
    for si, s in enumerate(series):
        points = []
        for ci, value in enumerate(s.values):
            if value is None:
                continue
            x = LEFT + step * ci + step / 2
            y = TOP + plot_h - (float(value / top) * plot_h if top else 0)
            points.append((x, y, categories[ci], value))
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _, _ in points)
            body.append(
                f'<polyline points="{path}" fill="none" stroke="{COLOURS[si % 6]}" '
                f'stroke-width="2" stroke-dasharray="{DASHES[si % 6]}"/>'
            )
        for x, y, category, value in points:
            body.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{COLOURS[si % 6]}">'
                f"<title>{escape(s.name)} {escape(category)}: {escape(format_money(value))}"
                "</title></circle>"
            )
    legend, extra = _legend(chart_id, series, True)
    return _frame(chart_id, title, description, body + legend, top, extra)
