"""The account's insights as an answer: the words, and the chart of views per day as a PNG
(what /insights answers and a [[digest]] posts)."""

from __future__ import annotations

from bot.events import Image, Reply
from bot.insights.chart import chart_data, chart_png
from bot.insights.periods import Period
from bot.insights.report import account_insights, account_words
from bot.threads.client import ThreadsClient


async def account_answer(
    threads: ThreadsClient, username: str, period: Period, *, heading: str = ""
) -> Reply:
    """`heading`: a first line before the numbers (a digest's "Weekly digest")."""
    report = await account_insights(threads, username, period)
    text = "\n".join(line for line in (heading, account_words(report)) if line)
    if not report.views:
        return Reply(text)  # nothing to draw
    data = chart_data(report.views, f"@{report.username}: views per day, {period.label}")
    png = await chart_png(data)
    return Reply(text, image=Image(png, f"insights-{period.name}.png", data.description))
