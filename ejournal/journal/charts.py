"""The marks page's small chart: a subject's marks over a period, laid out for an inline SVG.

The geometry is computed here and the markup written in journal/_marks_chart.svg. Coordinates
are strings formatted here, never numbers in the template, where the Russian locale would
print "12,5" and break the SVG.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from .selectors.marks import ChartPoint

WIDTH, HEIGHT = 320, 120
LEFT, RIGHT, TOP, BOTTOM = 24, 10, 8, 20  # room for the scale on the left and dates below


@dataclass(frozen=True)
class Dot:
    x: str
    y: str
    r: str
    date: dt.date
    value: int
    weight: int
    average: Decimal


@dataclass(frozen=True)
class Tick:
    y: str
    value: int
    labelled: bool  # a long scale (1–10) names every other value, to stay legible


@dataclass(frozen=True)
class MarksChart:
    width: int
    height: int
    left: int
    right: str  # the plot's right edge
    bottom: str  # the plot's bottom edge (the x axis)
    label_x: str  # the right edge of the scale's numbers
    label_y: str  # the baseline of the dates under the x axis
    starts_on: dt.date
    ends_on: dt.date
    ticks: list[Tick]
    dots: list[Dot]
    average_line: str  # the running average, as an SVG polyline's points; "" without marks


def _fmt(number: float) -> str:
    return f"{number:.1f}"


def marks_chart(
    points: list[ChartPoint], *, starts_on: dt.date, ends_on: dt.date, scale: tuple[int, int]
) -> MarksChart:
    """Marks as dots by date across the period (bigger for a heavier weight), the running
    weighted average as a line, the school's scale (mark_min..mark_max) on the y axis."""
    low, high = scale
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    days = max((ends_on - starts_on).days, 1)

    def x_of(day: dt.date) -> float:
        offset = min(max((day - starts_on).days, 0), days)
        return LEFT + plot_w * offset / days

    def y_of(value: float) -> float:
        return TOP + plot_h * (high - value) / (high - low)

    dots = [
        Dot(
            x=_fmt(x_of(p.date)),
            y=_fmt(y_of(p.value)),
            r=_fmt(3 + min(p.weight, 3)),
            date=p.date,
            value=p.value,
            weight=p.weight,
            average=p.average,
        )
        for p in points
    ]
    line = " ".join(f"{_fmt(x_of(p.date))},{_fmt(y_of(float(p.average)))}" for p in points)
    return MarksChart(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        right=_fmt(WIDTH - RIGHT),
        bottom=_fmt(TOP + plot_h),
        label_x=_fmt(LEFT - 6),
        label_y=_fmt(HEIGHT - 5),
        starts_on=starts_on,
        ends_on=ends_on,
        ticks=[
            Tick(y=_fmt(y_of(v)), value=v, labelled=high - low <= 5 or (v - low) % 2 == 0)
            for v in range(high, low - 1, -1)
        ],
        dots=dots,
        average_line=line,
    )
