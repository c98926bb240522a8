import datetime as dt
from zoneinfo import ZoneInfo

from apps.core import dates

UTC = dt.UTC


def test_a_session_is_shown_in_govuk_style_in_london_time():
    start = dt.datetime(2024, 3, 19, 13, 0, tzinfo=UTC)  # GMT in March before the change
    assert dates.format_range(start, start + dt.timedelta(hours=1)) == "Tuesday 19 March 2024, 1pm to 2pm"


def test_summer_times_are_shown_in_british_summer_time():
    start = dt.datetime(2024, 5, 14, 17, 15, tzinfo=UTC)  # 6:15pm BST
    end = dt.datetime(2024, 5, 14, 18, 30, tzinfo=UTC)
    assert dates.format_range(start, end) == "Tuesday 14 May 2024, 6:15pm to 7:30pm"


def test_a_range_across_the_clock_change_keeps_each_end_in_its_own_offset():
    london = ZoneInfo("Europe/London")
    start = dt.datetime(2024, 3, 30, 23, 0, tzinfo=london)
    end = dt.datetime(2024, 3, 31, 3, 0, tzinfo=london)  # clocks went forward at 1am
    assert dates.format_range(start, end) == "Saturday 30 March 2024, 11pm to Sunday 31 March 2024, 3am"
    # Python subtracts wall times within one zone; the real elapsed time is in UTC: three hours.
    assert end.astimezone(UTC) - start.astimezone(UTC) == dt.timedelta(hours=3)


def test_midday_and_midnight_are_words():
    assert dates.format_time(dt.time(12, 0)) == "midday"
    assert dates.format_time(dt.time(0, 0)) == "midnight"


def test_date_ranges_name_the_month_once_when_they_can():
    assert dates.format_date_range(dt.date(2024, 3, 11), dt.date(2024, 3, 17)) == "11 to 17 March 2024"
    assert dates.format_date_range(dt.date(2024, 3, 18), None) == "Monday 18 March 2024"
    assert dates.format_date_range(dt.date(2024, 2, 26), dt.date(2024, 3, 3)) == "26 February to 3 March 2024"
