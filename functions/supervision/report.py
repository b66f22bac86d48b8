"""The monthly public report: the month's indicators (part M), cards (N) and ratings (Q) per
department and county, as one JSON document or a CSV table for Excel."""
from __future__ import annotations

import csv
import io
from datetime import datetime

from . import cards_service, indicators_service, ratings_service

CSV_COLUMNS = ("section", "indicator", "scope_kind", "scope_code", "scope_region", "scope_name",
               "numerator", "denominator", "value", "target", "pass")
LEVELS = (5, 4, 3, 2, 1)


def month_report(settings, month: str | None, *, now: datetime) -> dict:
    """The report of `month` (default: the current Beijing month; malformed or future: 422,
    from the indicators' own check). Three bounded reads of counters, whatever the volume."""
    indicators = indicators_service.month_rows(settings, month, now=now)
    month = indicators["month"]
    cards = cards_service.month_summary(settings, month)
    ratings = ratings_service.month_summary(settings, month)
    has_data = bool(indicators["has_data"] or _raised(cards) or ratings.get("count"))
    return {"month": month, "has_data": has_data, "indicators": indicators["rows"],
            "cards": cards, "ratings": ratings}


def _raised(cards: dict) -> int:
    return sum((cards.get("raised") or {}).values())


def _num(value) -> str:
    return "" if value is None else str(value)


def csv_rows(report: dict) -> list[list[str]]:
    """One row per indicator × scope, then the cards' and the ratings' figures per scope
    (city-wide, each department, each county; a scope's cards are {yellow, red, closed},
    the city's {raised: {yellow, red}, closed})."""
    rows = [list(CSV_COLUMNS)]
    for r in report["indicators"]:
        scope = r["scope"]
        rows.append(["indicator", r["indicator"], scope["kind"], _num(scope.get("code")),
                     _num(scope.get("region")), scope.get("name") or "",
                     _num(r.get("numerator")),
                     _num(r.get("denominator")), _num(r.get("value")), _num(r.get("target")),
                     _num(r.get("pass"))])
    for kind, code, figures in _scoped(report["cards"]):
        for name in ("yellow", "red"):
            rows.append(["cards", f"raised_{name}", kind, code, "", "", "", "",
                         _num((figures.get("raised") or figures).get(name, 0)), "", ""])
        rows.append(["cards", "closed", kind, code, "", "", "", "",
                     _num(figures.get("closed", 0)), "", ""])
    for kind, code, figures in _scoped(report["ratings"]):
        rows.append(["ratings", "count", kind, code, "", "", "", "",
                     _num(figures.get("count", 0)), "", ""])
        by_level = figures.get("by_level") or {}
        for level in LEVELS:
            rows.append(["ratings", f"level_{level}", kind, code, "", "", "", "",
                         _num(by_level.get(str(level), by_level.get(level, 0))), "", ""])
        rows.append(["ratings", "satisfaction", kind, code, "", "", "", "",
                     _num(figures.get("satisfaction")), "", ""])
    return rows


def _scoped(summary: dict):
    """(kind, code, figures) city-wide, per department and per county of a summary shaped
    {..., "by_department": {code: {...}}, "by_county": {code: {...}}}."""
    yield "city", "", summary
    for kind, name in (("department", "by_department"), ("county", "by_county")):
        for code, figures in sorted((summary.get(name) or {}).items()):
            yield kind, code, figures


def as_csv(report: dict) -> bytes:
    """UTF-8 with a BOM, so Excel opens the Chinese names right."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(csv_rows(report))
    return ("\ufeff" + out.getvalue()).encode("utf-8")
