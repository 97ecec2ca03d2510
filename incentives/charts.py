"""Small SVG charts drawn on the server: no JavaScript library, readable without a network.

Each function returns SVG markup (safe to embed) with a <title> per bar for screen readers and
hover. Colours are fixed per series so that a scenario keeps its colour across charts. The text
style is in static/css/satupintu.css (``svg.chart text``): the Content-Security-Policy blocks a
<style> element inside the SVG.
"""

from collections.abc import Sequence
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import pgettext

COLOURS = ["#0b5e8a", "#d9822b", "#1e7b34", "#8e44ad", "#b3261e"]


def rupiah_short(value: float) -> str:
    """3_400_000_000 -> 'Rp3,4 M'; Indonesian abbreviations (rb, jt, M, T), translated."""
    sign = "-" if value < 0 else ""
    value = abs(value)
    units = (
        (10**12, pgettext("singkatan triliun", "T")),
        (10**9, pgettext("singkatan miliar", "M")),
        (10**6, pgettext("singkatan juta", "jt")),
        (10**3, pgettext("singkatan ribu", "rb")),
    )
    decimal_mark = pgettext("pemisah desimal", ",")
    for size, unit in units:
        if value >= size:
            return f"{sign}Rp{value / size:.1f} {unit}".replace(".", decimal_mark)
    return f"{sign}Rp{value:,.0f}".replace(",", ".")


def bar_chart(
    labels: Sequence[str], series: Sequence[tuple[str, Sequence[int]]], *, title: str
) -> SafeString:
    """Horizontal grouped bars: one group per label, one bar per series."""
    if not labels or not series:
        return mark_safe("")
    bar_h, gap, label_w, width = 12, 8, 190, 760
    group_h = bar_h * len(series) + gap
    legend_h = 22
    height = legend_h + group_h * len(labels) + 20
    peak = max((abs(v) for _, values in series for v in values), default=0) or 1
    scale = (width - label_w - 90) / peak
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
        f'width="100%" class="chart"><title>{escape(title)}</title>'
    ]
    x = label_w
    for s, (name, _) in enumerate(series):
        colour = COLOURS[s % len(COLOURS)]
        out.append(f'<rect x="{x}" y="4" width="10" height="10" fill="{colour}"/>')
        out.append(f'<text x="{x + 14}" y="13">{escape(name)}</text>')
        x += 24 + 9 * len(name)  # room for the larger text on a phone
    for i, label in enumerate(labels):
        y0 = legend_h + i * group_h
        out.append(
            f'<text x="{label_w - 6}" y="{y0 + group_h / 2}" text-anchor="end">'
            f"{escape(label[:30])}</text>"
        )
        for s, (name, values) in enumerate(series):
            value = values[i]
            w = max(abs(value) * scale, 0.5)
            y = y0 + s * bar_h
            colour = COLOURS[s % len(COLOURS)]
            out.append(
                f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h - 2}" '
                f'fill="{colour}"><title>{escape(name)} · {escape(label)}: '
                f"{rupiah_short(value)}</title></rect>"
            )
            out.append(
                f'<text x="{label_w + w + 4:.1f}" y="{y + bar_h - 3}">{rupiah_short(value)}</text>'
            )
    out.append("</svg>")
    return mark_safe("".join(out))


def line_chart(
    years: Sequence[int], series: Sequence[tuple[str, Sequence[int]]], *, title: str
) -> SafeString:
    """Yearly cost lines (the phased transition), one line per series."""
    if not years or not series:
        return mark_safe("")
    width, height, left, bottom, top = 760, 260, 90, 30, 30
    values = [v for _, vs in series for v in vs]
    low, high = min(values), max(values)
    if high == low:
        high, low = high + 1, max(low - 1, 0)
    span_x = max(len(years) - 1, 1)

    def px(i: int) -> float:
        return left + i * (width - left - 20) / span_x

    def py(v: int) -> float:
        return top + (high - v) * (height - top - bottom) / (high - low)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
        f'width="100%" class="chart"><title>{escape(title)}</title>',
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - 20}" y2="{height - bottom}" '
        'stroke="#b8c3cf"/>',
        f'<text x="{left - 6}" y="{py(high) + 4:.1f}" text-anchor="end">'
        f"{rupiah_short(high)}</text>",
        f'<text x="{left - 6}" y="{py(low) + 4:.1f}" text-anchor="end">{rupiah_short(low)}</text>',
    ]
    for i, year in enumerate(years):
        out.append(
            f'<text x="{px(i):.1f}" y="{height - bottom + 16}" text-anchor="middle">{year}</text>'
        )
    x = left
    for s, (name, vs) in enumerate(series):
        colour = COLOURS[s % len(COLOURS)]
        out.append(f'<rect x="{x}" y="6" width="10" height="10" fill="{colour}"/>')
        out.append(f'<text x="{x + 14}" y="15">{escape(name)}</text>')
        x += 24 + 9 * len(name)  # room for the larger text on a phone
        points = " ".join(f"{px(i):.1f},{py(v):.1f}" for i, v in enumerate(vs))
        out.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{points}"/>')
        for i, v in enumerate(vs):
            out.append(
                f'<circle cx="{px(i):.1f}" cy="{py(v):.1f}" r="3" fill="{colour}">'
                f"<title>{escape(name)} {years[i] if i < len(years) else ''}: "
                f"{rupiah_short(v)}</title></circle>"
            )
    out.append("</svg>")
    return mark_safe("".join(out))
