"""A unit's months as a small line chart, drawn on the server as SVG (no script, prints in the PDF too)."""
from decimal import Decimal

from markupsafe import Markup, escape

WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 560, 200, 44, 16, 16, 34
STEP = 5  # points between the grid lines


def _scale(low: int, high: int):
    span = (HEIGHT - TOP - BOTTOM) / (high - low)
    return lambda value: round(HEIGHT - BOTTOM - (float(value) - low) * span, 1)


def _bounds(values: list, floor: Decimal, ceiling: Decimal) -> tuple[int, int]:
    shown = [v for v in values if v is not None] + [floor, ceiling]
    low = int(min(shown)) // STEP * STEP
    high = -(-int(max(shown)) // STEP) * STEP
    return low, max(high, low + STEP)


def months_svg(title: str, months: list[tuple[str, Decimal | None]], base: Decimal, cap: Decimal) -> Markup:
    """Draw the totals of a unit's months (None: no published sheet) between the base and the cap."""
    low, high = _bounds([v for _, v in months], base, cap)
    y = _scale(low, high)
    gap = (WIDTH - LEFT - RIGHT) / max(len(months) - 1, 1)
    x = [round(LEFT + i * gap, 1) for i in range(len(months))]
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="month-chart" viewBox="0 0 {WIDTH} {HEIGHT}" '
             f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-label="{escape(title)}">',
             f"<title>{escape(title)}</title>"]
    for level in range(low, high + 1, STEP):
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(level)}" y2="{y(level)}" stroke="#dde2e8"/>'
                     f'<text x="{LEFT - 6}" y="{y(level) + 4}" text-anchor="end" font-size="11" fill="#555">'
                     f"{level}</text>")
    parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(base)}" y2="{y(base)}" stroke="#999" '
                 f'stroke-dasharray="4 3"/>')
    points = [(x[i], y(v)) for i, (_, v) in enumerate(months) if v is not None]
    if len(points) > 1:
        path = " ".join(f"{a},{b}" for a, b in points)
        parts.append(f'<polyline points="{path}" fill="none" stroke="#1f5fbf" stroke-width="2"/>')
    for i, (label, value) in enumerate(months):
        parts.append(f'<text x="{x[i]}" y="{HEIGHT - 12}" text-anchor="middle" font-size="11" fill="#333">'
                     f"{escape(label)}</text>")
        if value is not None:
            parts.append(f'<circle cx="{x[i]}" cy="{y(value)}" r="3.5" fill="#1f5fbf"/>'
                         f'<text x="{x[i]}" y="{y(value) - 8}" text-anchor="middle" font-size="11" '
                         f'fill="#1f5fbf">{value.normalize():f}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
