"""A heavy account for the page's storage budget and bench/page.py: 50 applications, 20
licences and 200 notices in its partition, written in the shapes their rooms' stores write."""
from __future__ import annotations

import json
from datetime import timedelta

from functions.core import clock
from functions.core.store import owner_pk, transact
from functions.hall.store import with_batches
from functions.push import store as push_store

STATUSES = ("draft", "submitted", "accepted", "in_process", "returned", "approved", "refused")
LICENCE_TYPES = ("residence_permit", "driving_licence", "food_licence", "marriage_cert")
MATTERS = ("441400-RSJ-0015", "441400-RSJ-0017", "441400-SCJGJ-0018", "441400-GAJ-0011")


def fill(settings, owner: str, *, applications: int = 50, licences: int = 20,
         notices: int = 200) -> None:
    now = clock.now()
    pk = owner_pk(owner)
    items = []
    for i in range(applications):
        created = clock.iso(now - timedelta(days=applications - i))
        status = STATUSES[i % len(STATUSES)]
        item = {"pk": {"S": pk}, "sk": {"S": f"APP#{created}#MZ2026110100{i:04d}"},
                "id": {"S": f"MZ2026110100{i:04d}"}, "matter": {"S": MATTERS[i % 4]},
                "name": {"S": f"申请事项{i}"}, "status": {"S": status}, "updated": {"S": created}}
        if status not in ("draft", "approved", "refused"):
            item["due"] = {"S": (now + timedelta(days=5 + i)).date().isoformat()}
        items.append(item)
    for i in range(licences):
        issued = now - timedelta(days=300)
        doc = {"id": f"L{i:06d}", "type": LICENCE_TYPES[i % len(LICENCE_TYPES)],
               "number": f"NO.{i:06d}", "issued": clock.iso(issued),
               "expires": (now + timedelta(days=10 + 15 * i)).date().isoformat(),
               "issuer": {"department": "GAJ", "region": "441400", "name": "梅州市公安局"}}
        items.append({"pk": {"S": pk}, "sk": {"S": f"LIC#{doc['id']}"},
                      "doc": {"S": json.dumps(doc, ensure_ascii=False, sort_keys=True)}})
    with_batches(settings, items)
    for start in range(0, notices, 50):
        transact(settings, push_store.inbox_puts(settings.table_name, [
            {"owner": owner, "kind": "application", "title": f"办件进度通知{n}",
             "body": "您的申请已受理，请留意后续通知。", "link": "/#/applications",
             "at": clock.iso(now - timedelta(minutes=notices - n))}
            for n in range(start, min(start + 50, notices))]))
