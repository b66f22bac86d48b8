"""Page use indicators: a party's first page open of the month counted as it happens (never
failing the page), and the report per county and city-wide against the plan's targets, read
from counters (no Scan): the opens of the month, and the base registry's counts kept as it is
loaded."""
from __future__ import annotations

import logging
from datetime import datetime

from botocore.exceptions import BotoCoreError, ClientError

from ..core import clock
from ..core.errors import aws_code
from . import page_use_model as model
from . import page_use_store

log = logging.getLogger("hall.pages")


def month_at(at: datetime) -> str:
    return at.astimezone(clock.CHINA).strftime("%Y-%m")


def record_open(settings, owner: str, bucket: tuple[str, str], *, month: str,
                at: datetime) -> bool | None:
    """Count the month's first open of the party's page. A storage fault is logged and
    swallowed (None): the marker was not written either, so the next open counts it."""
    audience, county = bucket
    try:
        return page_use_store.count_open(settings, owner, month, audience, county,
                                         at=clock.iso(at), epoch=int(at.timestamp()))
    except (ClientError, BotoCoreError) as err:
        log.warning("page use not counted; the next open counts it", extra={
            "party_kind": owner.split(":", 1)[0], "month": month, "error": aws_code(err)})
        return None


def page_use(settings, month: str | None, *, now: datetime) -> dict:
    """The month's page use rates (default: the current month, China time)."""
    from ..hall import service as hall
    from ..identity.store import enterprises

    month = model.month_of(month) if month is not None else month_at(now)
    oldest, youngest = model.band_births(month)
    opened = page_use_store.opens(settings, month)
    counts = enterprises.registry_counts(settings, born_from=oldest, born_to=youngest)
    bases = {"enterprise": counts["enterprises"],
             "individual_business": counts["individual_businesses"],
             "citizen": model.residents_in_band(counts["born"], month)}
    return model.report(month, opened, bases, hall.regions())
