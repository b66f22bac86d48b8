"""Use cases of the inbox: list, count the unread, mark read, for the acting identity."""
from __future__ import annotations

from ..core.errors import Forbidden, NotFound, RuleError
from . import model, store


def _reader(who) -> model.Reader:
    try:
        return model.reader(who.subject, who.act)
    except model.NotAReader as err:
        raise Forbidden("Acting for someone else gives no access to their inbox; "
                        "they read it themselves.") from err


def _may_mark(reader: model.Reader) -> None:
    if not reader.may_mark:
        raise Forbidden("Your role may read this inbox but not mark its notices read.")


def inbox(settings, who, *, unread: bool, limit: int, start: dict | None) -> dict:
    """A page of the inbox, newest first: the notices the reader's role reads."""
    reader = _reader(who)
    if start is not None and not store.valid_start(reader.owner, start, unread=unread):
        raise RuleError("cursor", "The cursor is not one of this listing.",
                        "翻页位置无效，请从第一页重新读取")
    items, last = store.page(settings, reader.owner, kinds=reader.kinds, unread=unread,
                             limit=limit, start=start)
    return {"items": items, "next": last}


def _count(settings, reader: model.Reader) -> dict:
    counts = store.unread_counts(settings, reader.owner)
    return {"unread": model.unread_count(counts, reader.kinds),
            "by_kind": {k: n for k, n in sorted(counts.items()) if n > 0 and reader.sees(k)}}


def unread(settings, who) -> dict:
    """The reader's unread count: one GetItem of the inbox's counters."""
    return _count(settings, _reader(who))


def read(settings, who, nid: str, *, via: str | None = None) -> dict:
    """Mark one notice read (again: no change). Another party's id, or one of a kind the
    reader's role does not read, is unknown here. The first read of a campaign's notice
    counts it opened on the campaign (and clicked when `via` is "push": the notification's
    tap opened it)."""
    reader = _reader(who)
    _may_mark(reader)
    tail = model.notice_tail(nid)
    notice = store.get_notice(settings, reader.owner, tail) if tail else None
    if notice is None or not reader.sees(notice["kind"]):
        raise NotFound("No such notice in this inbox.")
    if not notice["read"]:
        marked = store.mark_read(settings, reader.owner, [notice])
        if marked and notice.get("campaign"):
            from . import delivery

            delivery.count_opened(settings, notice["campaign"], clicked=via == "push")
    return {**notice, "read": True}


def read_all(settings, who) -> dict:
    """Mark every unread notice the reader's role reads as read."""
    reader = _reader(who)
    _may_mark(reader)
    marked = store.mark_read(settings, reader.owner,
                             store.unread_notices(settings, reader.owner, kinds=reader.kinds))
    return {"marked": marked, **_count(settings, reader)}
