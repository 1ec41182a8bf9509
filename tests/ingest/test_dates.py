"""Export date formats: each real format parses, generated dates round-trip, and no text crashes the parser."""

from __future__ import annotations

import contextlib
from datetime import UTC, date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from falsefriends.ingest.dates import DateError, parse_date, parse_datetime, parse_month

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-06-01 14:03:22 UTC", datetime(2025, 6, 1, 14, 3, 22, tzinfo=UTC)),
        ("1/29/26, 2:37 PM", datetime(2026, 1, 29, 14, 37, tzinfo=UTC)),
        ("1/29/26, 12:37 AM", datetime(2026, 1, 29, 0, 37, tzinfo=UTC)),
        ("12/1/2025, 12:00 PM", datetime(2025, 12, 1, 12, 0, tzinfo=UTC)),
        ("08 Feb 2026", datetime(2026, 2, 8, tzinfo=UTC)),
        ("2025-06-01T14:03:22Z", datetime(2025, 6, 1, 14, 3, 22, tzinfo=UTC)),
        ("2025-06-01T16:03:22+02:00", datetime(2025, 6, 1, 14, 3, 22, tzinfo=UTC)),
        ("  2025-06-01 14:03:22.250 UTC ", datetime(2025, 6, 1, 14, 3, 22, 250000, tzinfo=UTC)),
    ],
)
def test_real_datetime_formats(value: str, expected: datetime) -> None:
    assert parse_datetime(value) == expected


def test_real_date_and_month_formats() -> None:
    assert parse_date("08 Feb 2026") == date(2026, 2, 8)
    assert parse_date("8 February 2026") == date(2026, 2, 8)
    assert parse_date("Feb 8, 2026") == date(2026, 2, 8)
    assert parse_month("Jan 2024") == "2024-01"
    assert parse_month("September 2019") == "2019-09"
    assert parse_month("2019") == "2019"


@pytest.mark.parametrize("value", ["", "yesterday", "31 Feb 2026", "13/40/26", "1/29/26, 25:00", "1/29/26, 0:10 PM",
                                   "2025-06-01 14:03:22 CEST", "08 Foo 2026", "٠٨ Feb ٢٠٢٦", "2025-06-01 extra"])
def test_non_dates_are_refused_with_the_value(value: str) -> None:
    with pytest.raises(DateError):
        parse_datetime(value)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_any_text_parses_or_raises_date_error(text: str) -> None:
    for parser in (parse_date, parse_datetime, parse_month):
        with contextlib.suppress(DateError):
            parser(text)


instants = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31)).map(
    lambda d: d.replace(microsecond=0)
)


@settings(max_examples=200, deadline=None)
@given(instants)
def test_generated_instants_round_trip_in_every_export_format(when: datetime) -> None:
    aware = when.replace(tzinfo=UTC)
    assert parse_datetime(when.strftime("%Y-%m-%d %H:%M:%S UTC")) == aware
    hour12 = when.hour % 12 or 12
    meridiem = "PM" if when.hour >= 12 else "AM"
    us = f"{when.month}/{when.day}/{when.year % 100:02d}, {hour12}:{when.minute:02d} {meridiem}"
    assert parse_datetime(us) == aware.replace(second=0)
    day = f"{when.day:02d} {MONTHS[when.month - 1]} {when.year}"
    assert parse_date(day) == when.date()
    assert parse_month(f"{MONTHS[when.month - 1]} {when.year}") == f"{when.year:04d}-{when.month:02d}"
