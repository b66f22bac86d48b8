"""The department head (部门负责人): an administrator gives the `head` role to an officer of
that department; the cards of the department are told to its heads and listed for them."""
from __future__ import annotations

from datetime import datetime

from ..core import clock
from ..core.errors import Conflict, RuleError
from ..core.store import audit_put, audit_record
from ..identity.store import roles
from ..push.store import inbox_put
from . import cards_store


def grant(settings, who, account_id: str, *, department: str, region: str,
          now: datetime) -> dict:
    """Make the officer `account_id` a head of `department` in `region`: only an officer of
    that department and region (another's: 422; not an officer, or a head already: 409)."""
    doc, raw = roles.with_role(settings, account_id)
    if doc.get("kind") != "officer" or "officer" not in doc.get("roles", []):
        raise Conflict("Only an officer can be made a department head.",
                       details={"kind": doc.get("kind")})
    if (doc.get("department"), doc.get("region")) != (department, region):
        raise RuleError("department", "The officer belongs to another department or region.",
                        "该工作人员不属于此部门，不能任命为部门负责人")
    if "head" in doc.get("roles", []):
        raise Conflict("The officer is a head already.", details={"roles": doc["roles"]})
    at, table = clock.iso(now), settings.table_name
    roles.add_role(settings, account_id, "head", doc=doc, raw=raw, extra=[
        cards_store.head_put(table, department, region, account_id),
        audit_put(table, **audit_record(who, "account.grant_head", account_id, at=at,
                                        subject=f"person:{account_id}",
                                        detail={"department": department, "region": region})),
        *inbox_put(table, account=account_id, kind="security", at=at,
                   title="您已被任命为部门负责人",
                   body="您的账号已获得部门负责人权限，重新登录后可查看本部门的效能监督红黄牌。",
                   link="/#/supervision")])
    return {"account": account_id, "roles": sorted({*doc["roles"], "head"}),
            "department": department, "region": region}
