"""Parse the date formats found in real member data exports, strictly: a value either parses or is refused.

Seen in exports (2023-2026): `08 Feb 2026` (Connected On), `1/29/26, 2:37 PM` (Sent At), `2025-06-01 14:03:22 UTC`
(messages DATE), `Jan 2024` (Positions). Values without a zone are taken as UTC, which is what the export's
own UTC-stamped files use.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
            ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
            ("oct", "october"), ("nov", "november"), ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}

_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[ -]([A-Za-z]{3,9})\.?[ -](\d{4})", re.ASCII)
_MONTH_DAY_YEAR = re.compile(r"([A-Za-z]{3,9})\.? (\d{1,2}),? (\d{4})", re.ASCII)
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)
_US_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})(?!\d)", re.ASCII)
_MONTH_YEAR = re.compile(r"([A-Za-z]{3,9})\.? (\d{4})", re.ASCII)
_YEAR = re.compile(r"(\d{4})", re.ASCII)
_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?(?:\s*([AaPp])\.?[Mm]\.?)?", re.ASCII)
_ZONE = re.compile(r"(?:Z|UTC|GMT|[+-]\d{2}:?\d{2})", re.ASCII)


class DateError(ValueError):
    """A value that is not a date in any known export format."""


def _month(name: str, value: str) -> int:
    number = _MONTHS.get(name.lower())
    if number is None:
        raise DateError(f"unknown month {name!r} in {value!r}")
    return number


def _year(text: str) -> int:
    year = int(text)
    # Two-digit years in `1/29/26` are this century (exports start in the 2000s).
    return 2000 + year if len(text) == 2 else year


def _make_date(year: int, month: int, day: int, value: str) -> date:
    try:
        return date(year, month, day)
    except ValueError as why:
        raise DateError(f"not a calendar date: {value!r}") from why


def _split_date(text: str, value: str) -> tuple[date, str]:
    """Parse the date at the start of `text`; return it and the rest of the text."""
    for pattern in (_ISO_DATE, _US_DATE, _DAY_MONTH_YEAR, _MONTH_DAY_YEAR):
        found = pattern.match(text)
        if not found:
            continue
        a, b, c = found.groups()
        if pattern is _ISO_DATE:
            parsed = _make_date(int(a), int(b), int(c), value)
        elif pattern is _US_DATE:
            parsed = _make_date(_year(c), int(a), int(b), value)
        elif pattern is _DAY_MONTH_YEAR:
            parsed = _make_date(int(c), _month(b, value), int(a), value)
        else:
            parsed = _make_date(int(c), _month(a, value), int(b), value)
        return parsed, text[found.end() :]
    raise DateError(f"not a date in a known export format: {value!r}")


def parse_date(value: str) -> date:
    """A calendar date: `08 Feb 2026`, `2026-02-08`, `2/8/26`, `Feb 8, 2026` (a time part, if any, is ignored)."""
    text = value.strip()
    parsed, rest = _split_date(text, value)
    if rest and rest[0] not in " ,T":
        raise DateError(f"trailing text after the date: {value!r}")
    return parsed


def parse_datetime(value: str) -> datetime:
    """An instant, returned in UTC: `2025-06-01 14:03:22 UTC`, `1/29/26, 2:37 PM`, ISO 8601, or a bare date."""
    text = value.strip()
    day, rest = _split_date(text, value)
    rest = rest.lstrip(" ,T")
    hour = minute = second = micro = 0
    offset_minutes = 0
    if rest:
        found = _TIME.match(rest)
        if not found:
            raise DateError(f"not a time of day: {value!r}")
        hour, minute = int(found.group(1)), int(found.group(2))
        second = int(found.group(3) or 0)
        micro = int((found.group(4) or "0").ljust(6, "0"))
        meridiem = (found.group(5) or "").lower()
        if meridiem:
            if not 1 <= hour <= 12:
                raise DateError(f"not a 12-hour time: {value!r}")
            hour = hour % 12 + (12 if meridiem == "p" else 0)
        rest = rest[found.end() :].strip()
        if rest:
            zone = _ZONE.fullmatch(rest)
            if not zone:
                raise DateError(f"unknown time zone or trailing text: {value!r}")
            if rest[0] in "+-":
                digits = rest[1:].replace(":", "")
                offset_minutes = (int(digits[:2]) * 60 + int(digits[2:])) * (-1 if rest[0] == "-" else 1)
    try:
        naive = datetime(day.year, day.month, day.day, hour, minute, second, micro)
    except ValueError as why:
        raise DateError(f"not a time of day: {value!r}") from why
    return (naive - timedelta(minutes=offset_minutes)).replace(tzinfo=UTC)


def parse_month(value: str) -> str:
    """A month as `YYYY-MM` (Positions: `Jan 2024`), or `YYYY` when only the year is given."""
    text = value.strip()
    found = _MONTH_YEAR.fullmatch(text)
    if found:
        month = _month(found.group(1), value)
        return f"{int(found.group(2)):04d}-{month:02d}"
    if _YEAR.fullmatch(text):
        return text
    try:
        day = parse_date(text)
    except DateError:
        raise DateError(f"not a month in a known export format: {value!r}") from None
    return f"{day.year:04d}-{day.month:02d}"
