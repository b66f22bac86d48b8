"""The only code that knows the inbox's keys. Other rooms' stores put inbox items into their
own transactions with inbox_put, so a notice lands with the change it reports.

Keys (infra/README.md holds the table):
  pk=ACCOUNT#<id>  sk=INBOX#<iso time>#<rand>   one notice: kind, title, body, link, read
"""
from __future__ import annotations

import uuid

from ..core.store import key, party_pk


def inbox_put(table: str, *, account: str, kind: str, title: str, body: str, at: str,
              link: str | None = None) -> dict:
    """A TransactWriteItems Put of one notice in a person's inbox. Links are hash routes of
    the PWA (`/#/...`), so a tap opens the right screen."""
    if link and not link.startswith("/#/"):
        raise ValueError(f"inbox links are PWA hash routes, not {link!r}")
    item = {**key(party_pk("person", account), f"INBOX#{at}#{uuid.uuid4().hex[:8]}"),
            "kind": {"S": kind}, "title": {"S": title}, "body": {"S": body},
            "at": {"S": at}, "read": {"BOOL": False}}
    if link:
        item["link"] = {"S": link}
    return {"Put": {"TableName": table, "Item": item}}
