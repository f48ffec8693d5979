"""The views-per-day chart: `chart_data` (pure: Threads' series -> what is plotted) and
`render_png` (matplotlib's Agg canvas, no pyplot and so no global figure state).

matplotlib is imported only when a chart is drawn: the import costs about 0.3 s (and a few
seconds the very first time, while it builds its font cache), which the bridge's start-up
and every command that draws nothing should not pay. Drawing takes ~0.1-0.2 s of CPU, so
`chart_png` runs it in a worker thread, off the event loop; a lock keeps to one figure at a
time, as matplotlib is not thread-safe.
"""

from __future__ import annotations

import asyncio
import io
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.axes import Axes

WIDTH, HEIGHT, DPI = 1200, 675, 150  # 16:9: fills a phone's width in Telegram and Discord
DESCRIPTION_LIMIT = 1024  # Discord's longest attachment description
# Large type: a phone shows the 1200 px picture about 400 px wide, a third of its size.
TITLE_SIZE, LABEL_SIZE, TICK_SIZE, VALUE_SIZE = 19, 16, 14, 13
BAR_COLOR = "#1d6fd8"
VALUE_LABELS_UP_TO = 10  # bars: beyond that the numbers crowd each other
_drawing = threading.Lock()


@dataclass(frozen=True, slots=True)
class ChartData:
    """What the chart plots: one bar per day (in order), with its title and axis labels."""

    title: str
    days: tuple[date, ...]
    values: tuple[int, ...]
    y_label: str = "Views"
    x_label: str = "Day (UTC)"

    @property
    def description(self) -> str:
        """The chart in words (its alt text): every day's value."""
        points = "; ".join(
            f"{d.isoformat()}: {v:,}" for d, v in zip(self.days, self.values, strict=True)
        )
        text = f"{self.title}. {self.y_label} per day: {points or 'none'}."
        return text if len(text) <= DESCRIPTION_LIMIT else text[: DESCRIPTION_LIMIT - 1] + "…"


def chart_data(series: Iterable[tuple[datetime, int]], title: str) -> ChartData:
    """A `values` series of (end_time, value) -> one bar per day, labelled with the day it
    covers: Threads stamps each value with the end of its day, so the day is the one before
    `end_time` (a day ending 2024-07-12T07:00+0000, Pacific midnight, is 11 July). Values
    of the same day (none expected) are added up."""
    per_day: dict[date, int] = {}
    for end_time, value in series:
        day = (end_time - timedelta(days=1)).date()
        per_day[day] = per_day.get(day, 0) + value
    days = tuple(sorted(per_day))
    return ChartData(title, days, tuple(per_day[d] for d in days))


async def chart_png(data: ChartData) -> bytes:
    """`render_png` in a worker thread: the event loop goes on serving chats meanwhile."""
    return await asyncio.to_thread(render_png, data)


def render_png(data: ChartData) -> bytes:
    """The chart as a WIDTH x HEIGHT PNG; its title and description are also stored in the
    PNG's text chunks (Title, Description)."""
    from matplotlib import dates as mdates
    from matplotlib import ticker
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    with _drawing:
        figure = Figure(figsize=(WIDTH / DPI, HEIGHT / DPI), dpi=DPI, layout="constrained")
        FigureCanvasAgg(figure)
        axes = figure.add_subplot()
        positions = [mdates.date2num(day) for day in data.days]
        bars = axes.bar(positions, data.values, width=0.8, color=BAR_COLOR)
        if len(data.values) <= VALUE_LABELS_UP_TO:
            axes.bar_label(bars, labels=[f"{v:,}" for v in data.values], padding=3,
                           fontsize=VALUE_SIZE)  # fmt: skip
        axes.set_title(data.title, fontsize=TITLE_SIZE, fontweight="bold")
        axes.set_xlabel(data.x_label, fontsize=LABEL_SIZE)
        axes.set_ylabel(data.y_label, fontsize=LABEL_SIZE)
        axes.tick_params(labelsize=TICK_SIZE)
        _date_axis(axes, positions)
        axes.yaxis.set_major_locator(ticker.MaxNLocator(nbins=5, integer=True))
        axes.yaxis.set_major_formatter(ticker.StrMethodFormatter("{x:,.0f}"))
        # Room above the tallest bar for its label; an all-zero week still shows an axis.
        axes.set_ylim(0, max(max(data.values, default=0) * 1.15, 1))
        axes.grid(axis="y", alpha=0.3)
        axes.set_axisbelow(True)
        axes.spines[["top", "right"]].set_visible(False)
        out = io.BytesIO()
        metadata = {"Title": data.title, "Description": data.description, "Software": None}
        figure.savefig(out, format="png", dpi=DPI, metadata=metadata)
    return out.getvalue()


def _date_axis(axes: Axes, positions: list[float]) -> None:
    """Date ticks that fit a phone: every day for a week, about six for a month."""
    from matplotlib import dates

    if len(positions) <= 8:
        axes.xaxis.set_major_locator(dates.DayLocator())
    else:
        axes.xaxis.set_major_locator(dates.AutoDateLocator(minticks=4, maxticks=7))
    axes.xaxis.set_major_formatter(dates.DateFormatter("%d %b"))
    if positions:  # a little over half a day either side: a lone bar is not stretched
        axes.set_xlim(min(positions) - 0.6, max(positions) + 0.6)
