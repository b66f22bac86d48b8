"""The working-day clock: Chinese working days, statutory holidays and 调休 included."""
from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

MIN_YEAR, MAX_YEAR = 2000, 2100
MAX_HOLIDAYS, MAX_WORKDAYS = 40, 15
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_SCHEDULE_KEYS = frozenset({"year", "holidays", "workdays", "source"})


class ScheduleError(ValueError):
    """An administrator's schedule upload is invalid; `field` names the offending key."""

    def __init__(self, field: str, message: str, zh: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
        self.zh = zh


@dataclass(frozen=True)
class YearSchedule:
    """One year of the State Council's schedule.

    `holidays` are the days off (weekend days inside a holiday may be listed too, they change
    nothing); `workdays` are the Saturdays and Sundays that are adjusted working days (调休上班).
    """

    year: int
    holidays: frozenset[date]
    workdays: frozenset[date]

    def to_dict(self) -> dict:
        return {
            "year": self.year,
            "holidays": sorted(d.isoformat() for d in self.holidays),
            "workdays": sorted(d.isoformat() for d in self.workdays),
        }

    @classmethod
    def from_dict(cls, data: Mapping) -> YearSchedule:
        # Stored schedules were validated on upload; this only restores the types.
        return cls(
            year=int(data["year"]),
            holidays=frozenset(date.fromisoformat(s) for s in data.get("holidays", ())),
            workdays=frozenset(date.fromisoformat(s) for s in data.get("workdays", ())),
        )


@dataclass(frozen=True)
class Deadline:
    """A due date; `provisional` when some day counted lies in a year whose schedule is unknown,
    so it was counted on weekends alone and must be recomputed once that schedule is loaded."""

    due: date
    provisional: bool
    unknown_years: tuple[int, ...]

    def to_dict(self) -> dict:
        return {
            "due": self.due.isoformat(),
            "provisional": self.provisional,
            "unknown_years": list(self.unknown_years),
        }


def _parse_dates(data: Mapping, field: str, year: int, limit: int) -> frozenset[date]:
    raw = data.get(field, [])
    if not isinstance(raw, list):
        raise ScheduleError(field, "must be a list of YYYY-MM-DD dates",
                            "须为日期列表（YYYY-MM-DD）")
    if len(raw) > limit:
        raise ScheduleError(field, f"at most {limit} dates", f"最多 {limit} 个日期")
    seen: set[date] = set()
    for item in raw:
        # Strict pattern: Python 3.11's fromisoformat also takes "20270101" and week dates.
        if not isinstance(item, str) or not _ISO_DATE.fullmatch(item):
            raise ScheduleError(field, f"{item!r} is not a YYYY-MM-DD date",
                                f"{item!r} 不是 YYYY-MM-DD 格式的日期")
        try:
            d = date.fromisoformat(item)
        except ValueError:
            raise ScheduleError(field, f"{item} is not a calendar date",
                                f"{item} 不是有效日期") from None
        if d.year != year:
            raise ScheduleError(field, f"{item} is not in {year}", f"{item} 不在 {year} 年内")
        if d in seen:
            raise ScheduleError(field, f"{item} is listed twice", f"{item} 重复出现")
        seen.add(d)
    return frozenset(seen)


def parse_schedule(data: dict) -> YearSchedule:
    """Validate an administrator's upload of a year's published holiday schedule."""
    if not isinstance(data, Mapping):
        raise ScheduleError("schedule", "must be an object", "须为对象")
    for key in data:
        if key not in _SCHEDULE_KEYS:
            # A misspelt "holiday" would otherwise load a year with no holidays at all.
            raise ScheduleError(str(key), "unknown field", "未知字段")
    year = data.get("year")
    if isinstance(year, bool) or not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        raise ScheduleError("year", f"must be an integer from {MIN_YEAR} to {MAX_YEAR}",
                            f"年份须为 {MIN_YEAR} 至 {MAX_YEAR} 之间的整数")
    source = data.get("source")
    if source is not None and (not isinstance(source, str) or len(source) > 200):
        raise ScheduleError("source", "must be text of at most 200 characters",
                            "须为不超过 200 字的文本")
    holidays = _parse_dates(data, "holidays", year, MAX_HOLIDAYS)
    if not holidays:
        # Every published year has at least 元旦; an empty list is an upload mistake, and
        # accepting it would silently turn provisional deadlines into wrong firm ones.
        raise ScheduleError("holidays", "must list the year's holidays", "须列出当年放假日期")
    workdays = _parse_dates(data, "workdays", year, MAX_WORKDAYS)
    for d in sorted(workdays):
        if d.weekday() < 5:
            raise ScheduleError("workdays", f"{d} is not a Saturday or Sunday",
                                f"{d} 不是周六或周日，无需调休上班")
    both = holidays & workdays
    if both:
        d = min(both)
        raise ScheduleError("workdays", f"{d} is also listed as a holiday",
                            f"{d} 同时列为放假日和上班日")
    return YearSchedule(year=year, holidays=holidays, workdays=workdays)


@lru_cache(maxsize=64)
def package_schedule(year: int) -> YearSchedule | None:
    """The year as the chinesecalendar package encodes it, or None if it has no data for it."""
    # Imported here, not at module level: import time is Lambda cold-start time.
    import chinese_calendar

    if not 1 <= year <= 9999:
        return None
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return None
    holidays: set[date] = set()
    workdays: set[date] = set()
    d, end = date(year, 1, 1), date(year, 12, 31)
    while d <= end:
        working = chinese_calendar.is_workday(d)
        if d.weekday() < 5:
            if not working:
                holidays.add(d)
        elif working:
            workdays.add(d)
        else:
            # A weekend day inside a holiday: named by the package, kept for display.
            is_off, name = chinese_calendar.get_holiday_detail(d)
            if is_off and name is not None:
                holidays.add(d)
        d += timedelta(days=1)
    return YearSchedule(year=year, holidays=frozenset(holidays), workdays=frozenset(workdays))


@dataclass(frozen=True)
class _YearTable:
    known: bool
    jan1: int  # ordinal of 1 January
    # prefix[i] = working days among the year's first i days, so any range is two lookups and
    # add_workdays is a bisect: no per-day work in the hot path.
    prefix: tuple[int, ...]


def _check_date(d: date) -> None:
    # A datetime would carry a clock and maybe UTC; the caller must take the China-local date.
    if isinstance(d, datetime) or not isinstance(d, date):
        raise TypeError(f"expected a date, got {type(d).__name__}")


class WorkCalendar:
    """Working days from loaded schedules first, then the package, then weekends alone."""

    def __init__(self, loaded: Mapping[int, YearSchedule] | None = None):
        # int(): years read back from DynamoDB arrive as Decimal.
        self._loaded = {int(y): s for y, s in (loaded or {}).items()}
        for year, schedule in self._loaded.items():
            if schedule.year != year:
                raise ValueError(f"schedule for {schedule.year} loaded as {year}")
        self._tables: dict[int, _YearTable] = {}

    def schedule(self, year: int) -> YearSchedule | None:
        # A loaded schedule wins even for a year the package knows: it may be a correction.
        return self._loaded.get(year) or package_schedule(year)

    def known(self, year: int) -> bool:
        return self.schedule(year) is not None

    def _table(self, year: int) -> _YearTable:
        table = self._tables.get(year)
        if table is None:
            if not 1 <= year <= 9999:
                raise OverflowError(f"year {year} is out of range")
            schedule = self.schedule(year)
            first = date(year, 1, 1)
            days = (date(year, 12, 31) - first).days + 1
            prefix = [0]
            for i in range(days):
                d = first + timedelta(days=i)
                if schedule is None:
                    working = d.weekday() < 5
                else:
                    working = d in schedule.workdays or (
                        d.weekday() < 5 and d not in schedule.holidays
                    )
                prefix.append(prefix[-1] + working)
            table = _YearTable(schedule is not None, first.toordinal(), tuple(prefix))
            self._tables[year] = table
        return table

    def is_workday(self, d: date) -> bool:
        _check_date(d)
        t = self._table(d.year)
        i = d.toordinal() - t.jan1
        return t.prefix[i + 1] > t.prefix[i]

    def workdays_between(self, a: date, b: date) -> int:
        """Working days after `a` up to and including `b`; 0 when b <= a."""
        _check_date(a)
        _check_date(b)
        if b <= a:
            return 0
        total = 0
        for year in range(a.year, b.year + 1):
            t = self._table(year)
            lo = a.toordinal() - t.jan1 + 1 if year == a.year else 0
            hi = b.toordinal() - t.jan1 + 1 if year == b.year else len(t.prefix) - 1
            total += t.prefix[hi] - t.prefix[lo]
        return total

    def unknown_years_between(self, a: date, b: date) -> tuple[int, ...]:
        """Years without a schedule among the days after `a` up to and including `b`: a count
        over them (days used, overdue) is provisional too."""
        _check_date(a)
        _check_date(b)
        if b <= a:
            return ()
        first = a + timedelta(days=1)
        return tuple(y for y in range(first.year, b.year + 1) if not self.known(y))

    def next_workday(self, d: date) -> date:
        """The first working day strictly after `d`."""
        return self._after(d, 1)

    def _after(self, start: date, n: int) -> date:
        # The n-th working day after start, skipping whole years by their totals.
        year = start.year
        t = self._table(year)
        lo = start.toordinal() - t.jan1 + 1
        while True:
            available = t.prefix[-1] - t.prefix[lo]
            if n <= available:
                k = bisect_left(t.prefix, t.prefix[lo] + n)
                return date.fromordinal(t.jan1 + k - 1)
            n -= available
            year += 1
            t = self._table(year)
            lo = 0

    def add_workdays(self, start: date, n: int) -> Deadline:
        """The n-th working day after `start` (which itself does not count); n = 0 is `start`
        when it is a working day, else the next working day."""
        _check_date(start)
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise ValueError(f"n must be a non-negative integer, got {n!r}")
        if n == 0:
            due = start if self.is_workday(start) else self._after(start, 1)
            # Whether start itself is a working day was examined, so its year counts too.
            unknown = self.unknown_years_between(start - timedelta(days=1), due)
        else:
            due = self._after(start, n)
            unknown = self.unknown_years_between(start, due)
        return Deadline(due=due, provisional=bool(unknown), unknown_years=unknown)
