"""The one place that reads the wall clock, so tests and rules can pass time in."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

CHINA = timezone(timedelta(hours=8), "Asia/Shanghai")


def now() -> datetime:
    return datetime.now(CHINA)


def iso(dt: datetime | None = None) -> str:
    return (dt or now()).isoformat(timespec="milliseconds")


def beijing(at: str | datetime) -> datetime:
    """A time written with any offset ("Z" included), as Beijing time. Days and months the
    hall counts (partitions, indicators, caps) are Beijing's: 16:30 UTC is the next day here."""
    if isinstance(at, str):
        at = datetime.fromisoformat(at.replace("Z", "+00:00"))
    return at.astimezone(CHINA) if at.tzinfo else at.replace(tzinfo=CHINA)


def beijing_day(at: str | datetime) -> str:
    return beijing(at).date().isoformat()


def beijing_month(at: str | datetime) -> str:
    return beijing(at).strftime("%Y-%m")
