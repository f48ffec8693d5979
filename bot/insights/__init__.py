"""Insights: the account's and a post's numbers from Threads, in words and as a chart.

periods.py turns `day | week | month` into since/until on the bridge's clock; report.py
fetches the metrics and words them; chart.py turns the views series into the data a chart
plots (pure) and renders it as a PNG with matplotlib, off the event loop; answer.py puts
words and chart together; digest.py posts them into [[digest]] chats at their time.
"""

from __future__ import annotations

from bot.insights.answer import account_answer
from bot.insights.chart import ChartData, chart_data, chart_png, render_png
from bot.insights.periods import DEFAULT_PERIOD, PERIOD_DAYS, Period, period_of
from bot.insights.report import (
    AccountInsights,
    PostInsights,
    account_insights,
    account_words,
    post_insights,
    post_words,
)

__all__ = [
    "DEFAULT_PERIOD",
    "PERIOD_DAYS",
    "AccountInsights",
    "ChartData",
    "Period",
    "PostInsights",
    "account_answer",
    "account_insights",
    "account_words",
    "chart_data",
    "chart_png",
    "period_of",
    "post_insights",
    "post_words",
    "render_png",
]
