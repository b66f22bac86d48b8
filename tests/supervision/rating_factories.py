"""Plain factories for the rating tests: completed applications (online and at the counter),
their applicants' headers, officers of the department that handled them."""
from __future__ import annotations

import itertools
from datetime import datetime

from functions.core import clock
from functions.intake import service as intake
from tests.intake.factories import CARD, CARD_FORM, drafted, officer, person

RATE = "/api/v1/applications/{}/rating"
PUBLIC = "/api/v1/public/ratings"
OFFICER = "/api/v1/officer/ratings"
SUPERVISION = "/api/v1/supervision/ratings"
_seq = itertools.count(1)


def applicant(settings):
    """A fresh citizen with a phone of this file's range (1990240xxxx)."""
    return person(settings, phone=f"1990240{next(_seq):04d}")


def submitted(settings, who, now: datetime | None = None) -> dict:
    app = drafted(settings, who, CARD, CARD_FORM)
    return intake.submit(settings, who, app["id"], now=now or clock.now())


def completed(settings, who, *, action: str = "approve", now: datetime | None = None) -> dict:
    """An application of 社会保障卡申领 (RSJ, the city) accepted and completed."""
    app = submitted(settings, who, now)
    rsj = officer("RSJ")
    intake.act(settings, rsj, app["id"], action="accept", now=now or clock.now())
    return intake.act(settings, rsj, app["id"], action=action,
                      reason="材料不符合条件" if action == "refuse" else None,
                      now=now or clock.now())


def headers(token, who) -> dict:
    return token("citizen", subject=who.subject, kind="citizen", lvl=2)
