"""The one date formatter: GOV.UK style, in Europe/London whatever the server's zone.

"Tuesday 19 March 2024", "1pm", "1:30pm", "Tuesday 19 March 2024, 1pm to 2pm".
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def to_london(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None:
        raise ValueError("naive datetimes are ambiguous; give a timezone-aware value")
    return value.astimezone(LONDON)


def format_date(value: dt.date | dt.datetime, *, weekday: bool = False) -> str:
    if isinstance(value, dt.datetime):
        value = to_london(value).date()
    text = f"{value.day} {value:%B %Y}"
    return f"{value:%A} {text}" if weekday else text


def format_time(value: dt.datetime | dt.time) -> str:
    if isinstance(value, dt.datetime):
        value = to_london(value).time()
    if value.hour == 0 and value.minute == 0:
        return "midnight"
    if value.hour == 12 and value.minute == 0:
        return "midday"
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    return f"{hour}{suffix}" if value.minute == 0 else f"{hour}:{value.minute:02d}{suffix}"


def format_datetime(value: dt.datetime) -> str:
    return f"{format_date(value, weekday=True)}, {format_time(value)}"


def format_range(start: dt.datetime, end: dt.datetime) -> str:
    start_l, end_l = to_london(start), to_london(end)
    if start_l.date() == end_l.date():
        return f"{format_date(start_l, weekday=True)}, {format_time(start_l)} to {format_time(end_l)}"
    return f"{format_datetime(start_l)} to {format_datetime(end_l)}"


def format_date_range(start: dt.date, end: dt.date | None) -> str:
    if end is None or end == start:
        return format_date(start, weekday=True)
    if start.year == end.year and start.month == end.month:
        return f"{start.day} to {end.day} {end:%B %Y}"
    if start.year == end.year:
        return f"{start.day} {start:%B} to {end.day} {end:%B %Y}"
    return f"{format_date(start)} to {format_date(end)}"


def format_month(value: dt.date) -> str:
    """A month of a year: "March 2024"."""
    return f"{value:%B %Y}"


def format_yearly_dates(start: dt.date, end: dt.date | None = None) -> str:
    """Dates that come round every year, without the year: "18 March", "11 to 17 March", "28 February to 3 March".

    A day that starts on 29 February falls on the last day of February in other years.
    """

    def day_month(value: dt.date) -> str:
        if value.month == 2 and value.day == 29:
            return "29 February (28 February when it is not a leap year)"
        return f"{value.day} {value:%B}"

    if end is None or end == start:
        return day_month(start)
    if start.month == end.month and not (start.month == 2 and 29 in (start.day, end.day)):
        return f"{start.day} to {end.day} {end:%B}"
    return f"{day_month(start)} to {day_month(end)}"
