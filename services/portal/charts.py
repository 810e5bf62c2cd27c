"""Charts drawn on the server as inline SVG: horizontal bars, one per row, with the figure written
beside each bar. The SVG is an image with a title for assistive technology; the page shows the same
figures in a table next to it, so nothing is only in the picture."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from markupsafe import Markup, escape

BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 220
BAR_WIDTH = 360
FIGURE_WIDTH = 70


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal  # the figure the bar's length shows
    figure: str  # the figure as written (e.g. "87.5 %", "12")


def number(text: object) -> Decimal:
    """A figure as the API gives it ("87.50", 12, ""): a Decimal, 0 when there is none."""
    try:
        return Decimal(str(text)) if str(text).strip() else Decimal(0)
    except InvalidOperation:
        return Decimal(0)


def bars(title: str, rows: Sequence[Bar], scale: Decimal | None = None) -> Markup:
    """`scale` is the value of a full bar: 100 for percentages, else the largest value."""
    top = scale if scale is not None else max((row.value for row in rows), default=Decimal(0))
    height = max(1, len(rows)) * (BAR_HEIGHT + GAP) + GAP
    width = LABEL_WIDTH + BAR_WIDTH + FIGURE_WIDTH
    parts = [
        f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for index, row in enumerate(rows):
        y = GAP + index * (BAR_HEIGHT + GAP)
        length = int(BAR_WIDTH * min(row.value / top, Decimal(1))) if top > 0 else 0
        middle = y + BAR_HEIGHT * 0.7
        label = row.label if len(row.label) <= 30 else row.label[:29] + "…"
        parts += [
            f'<text x="{LABEL_WIDTH - 6}" y="{middle:.0f}" text-anchor="end" class="chart-label">'
            f"{escape(label)}</text>",
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length}" height="{BAR_HEIGHT}" class="chart-bar"/>',
            f'<text x="{LABEL_WIDTH + length + 6}" y="{middle:.0f}" class="chart-figure">'
            f"{escape(row.figure)}</text>",
        ]
    parts.append("</svg>")
    return Markup("".join(parts))
