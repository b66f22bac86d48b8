"""Well-formed arguments for the store functions the name-based filler cannot reach (against
the scratch table: the records are made up and read by nobody)."""
from __future__ import annotations

from datetime import date

from tests.faults.store_args import AT, PREFIX, audit


def _notice(kind: bool = True) -> dict:
    """inbox_put's arguments (kind=False: without the account, which the store names)."""
    notice = {"title": "故障注入", "body": "测试", "at": AT, "kind": "system"}
    return {**notice, "account": PREFIX} if kind else notice


def _campaign(state: str = "draft") -> dict:
    return {"id": f"{PREFIX}C", "name": "故障", "topic": "policy", "template": "policy_news",
            "params": {}, "segment": {}, "urgent": False, "legal": False, "state": state,
            "author": f"{PREFIX}-officer", "department": "FLT", "created": AT,
            "send_at": AT}


def _recipient() -> dict:
    return {"party": f"person:{PREFIX}", "account": PREFIX}


def _watch() -> dict:
    return {"subject": f"APP#{PREFIX}", "clock": "decision", "kind": "app", "day": "2031-03-03",
            "officer": None}


def _card(state: str = "open") -> dict:
    return {"id": f"{PREFIX}.accept_80", "raised_at": AT, "state": state, "colour": "yellow",
            "department": "FLT", "region": "441499", "officer": None}


def _rating(state: str = "open") -> dict:
    return {"id": "RMZ20310303990310", "application": "MZ20310303990310", "state": state,
            "department": "FLT", "region": "441499", "rated_at": AT, "month": "2031-03",
            "matter": "441499-FLT-0001", "level": 2, "owner": f"person:{PREFIX}"}


def _account() -> dict:
    return {"id": f"{PREFIX}A", "level": 1, "phone_hash": f"{PREFIX}ph", "id_hash": f"{PREFIX}ih",
            "password": "scrypt$x", "kind": "citizen", "name": "故障"}


def _licence() -> dict:
    return {"payload": {"id": f"{PREFIX}L", "holder_kind": "person", "holder_id": PREFIX}}


def _scan_put(table: str) -> dict:
    from functions.intake import store

    return store.scan_put(table, "MZ20310303990310", f"{PREFIX}U", material="M1",
                          key=f"uploads/{PREFIX}", status="clean", at=AT)


OVERRIDES: dict = {
    "core.store.transact": lambda s: ([s, [__import__("functions.core.store", fromlist=["x"])
                                            .audit_put(s.table_name, **audit())]], {}),
    "core.store.enqueue": lambda s: ([s, "faults.noop"], {"n": 1}),
    "hall.store.put_reference": lambda s: ([s, "POINTS", [{"code": f"{PREFIX}P",
                                                           "name": "故障"}]], {}),
    "hall.store.save_matter": lambda s: ([s, {"code": "441499-FLT-0001", "name": "故障",
                                              "department": "FLT", "region": "441499",
                                              "version": 1}],
                                         {"previous_version": None, "audit": audit()}),
    "identity.store.accounts.create_account": lambda s: (
        [s, _account()], {"audit": audit(), "consume_code": None}),
    "identity.store.accounts.start_step_up": lambda s: (
        [s, PREFIX], {"until": 1930000900, "now": 1930000000, "audit": audit(),
                      "notice": _notice(kind=False)}),
    "identity.store.enterprises.create_enterprise": lambda s: (
        [s, {"uscc": "91441402MA0FLT0310", "name": "故障公司", "legal_rep": PREFIX,
             "county": "441499"}], {"account_id": PREFIX, "audit": audit()}),
    "identity.store.enterprises.put_registry": lambda s: (
        [s, [{"id_hash": f"{PREFIX}ih", "name": "故障", "birth": "2001-01-01",
              "county": "441499"}], []], {}),
    "identity.store.grants.create_grant": lambda s: (
        [s, {"id": f"{PREFIX}G", "grantor_kind": "person", "grantor_id": PREFIX,
             "grantee": f"{PREFIX}B", "role": "family", "status": "pending",
             "created": AT, "expires": "2031-04-03"}], {"audit": audit(), "notices": []}),
    "intake.store.put_schedule": lambda s: ([s, {"year": 2031, "holidays": []}],
                                            {"audit": audit()}),
    "intake.store.record_scan": lambda s: ([s, _scan_put(s.table_name)], {"audit": audit()}),
    "intake.store.remind_correction": lambda s: (
        [s, "MZ20310303990310", "2031-03-10"], {"notice": _notice(), "audit": audit()}),
    "licences.store.issue": lambda s: ([s, [__import__("functions.core.store", fromlist=["x"])
                                            .audit_put(s.table_name, **audit())]], {}),
    "licences.store.revoke": lambda s: (
        [s, _licence()], {"reason": "故障", "at": AT, "by": f"{PREFIX}-officer",
                          "audit": audit(), "notice": None}),
    "pages.store.put_filing_calendar": lambda s: ([s, {"year": 2031, "dates": []}],
                                                  {"audit": audit()}),
    "push.campaigns_store.create": lambda s: ([s, _campaign()], {"audit": audit()}),
    "push.campaigns_store.move": lambda s: (
        [s, _campaign(), "approved"], {"allowed": {"draft"}, "at": AT, "audit": audit()}),
    "push.campaigns_store.mark_released": lambda s: (
        [s, {"sk": f"{AT}#{PREFIX}C"}], {"at": AT, "before": AT}),
    "push.campaigns_store.plan_page": lambda s: ([s, f"{PREFIX}C", 0, 3], {}),
    "push.campaigns_store.page_sent": lambda s: ([s, f"{PREFIX}C", 0, 3], {}),
    "push.campaigns_store.planned": lambda s: ([s, f"{PREFIX}C", 0], {}),
    "push.delivery_store.batch_get": lambda s: ([s, [{"pk": {"S": PREFIX}, "sk": {"S": "x"}}]],
                                                {}),
    "push.delivery_store.claim": lambda s: ([s, f"{PREFIX}C", _recipient()],
                                            {"token": "t", "now_epoch": 1930000000}),
    "push.delivery_store.release": lambda s: ([s, f"{PREFIX}C", _recipient()],
                                              {"token": "t", "back_to": "deferred"}),
    "push.delivery_store.markers": lambda s: ([s, f"{PREFIX}C", [_recipient()]], {}),
    "push.delivery_store.write": lambda s: (
        [s, [__import__("functions.core.store", fromlist=["x"])
             .audit_put(s.table_name, **audit())]], {}),
    "push.digest_store.retry_later": lambda s: ([s, PREFIX, {"due": AT, "mark": "m"}], {}),
    "push.store.mark_read": lambda s: ([s, f"person:{PREFIX}",
                                        [{"id": f"{AT}#{PREFIX}", "kind": "system"}]], {}),
    "push.subscriptions_store.put": lambda s: (
        [s, PREFIX, {"id": f"{PREFIX}sub", "host": "push.example", "created": AT,
                     "updated": AT, "seal": "x"}], {"drop": [f"{PREFIX}old"]}),
    "supervision.cards_store.move_watch": lambda s: ([s, _watch(), date(2031, 3, 4)], {}),
    "supervision.indicators_store.add": lambda s: ([s, "2031-03", "FLT", "441499"],
                                                   {"submitted": 1}),
    "supervision.indicators_store.count": lambda s: ([s, "2031-03", "FLT", "441499"],
                                                     {"audit": audit(), "submitted": 1}),
    "hall.store.save_snapshot": lambda s: ([s, {"version": 1, "published_at": AT}],
                                           {"draft_rev": 1, "audit": audit()}),
    "supervision.cards_store.raise_card": lambda s: ([s, _card()], {"extra": []}),
    "supervision.cards_store.save": lambda s: ([s, _card(), _card("closed")], {"extra": []}),
    "supervision.ratings_store.update": lambda s: ([s, _rating(), _rating("appealed")],
                                                   {"audit": audit()}),
    "core.retention_store.set_watermark": lambda s: ([s, "faults", "2031-03-03", AT], {}),
    "core.retention_store.sweep_expired": lambda s: ([s, 1930000000, (f"{PREFIX}#",)], {}),
    "core.retention_store.dev_outbox_before": lambda s: ([s, AT], {}),
    "identity.store.grants.newest_grants": lambda s: (
        [s], {"grantee": PREFIX, "grantors": [("person", PREFIX)], "before": None,
              "limit": 5}),
    "intake.retention_store.anonymise": lambda s: (
        [s, {"id": "MZ20310303990310", "owner": f"person:{PREFIX}", "status": "approved",
             "version": 1}, []], {"doc": {}, "event_doc": lambda d: d, "audit": audit()}),
    "intake.retention_store.delete_materials": lambda s: (
        [s, {"id": "MZ20310303990310", "materials": []}], {}),
    "identity.store.accounts.reset_password": lambda s: (
        [s, PREFIX], {"password": "scrypt$x", "end_sessions": [], "audit": audit(),
                      "notice": _notice(kind=False),
                      "consume_code": __import__("functions.identity.store.codes",
                                                 fromlist=["x"]).for_phone("h", "reset")}),
    "push.preferences_store.subscribers": lambda s: (
        [s, __import__("functions.push.preferences_model", fromlist=["x"]).INDEXED_TOPICS[0]],
        {"county": "441402"}),
    "supervision.cards_store.get": lambda s: ([s, f"{PREFIX}.accept_80"], {}),
    "supervision.ratings_store.get": lambda s: ([s, "RMZ20310303990310"], {}),
    "supervision.indicators_store.moved_applications": lambda s: ([s, "2031-03"], {}),
    "supervision.ratings_store.public_latest": lambda s: (
        [s, f"RATINGPUB#matter#{PREFIX}"], {"limit": 5, "start": None}),
}

# The retention job's stores (part B): made-up records of this directory's ids only.
_APP = {"id": "MZ20310303990310", "owner": f"person:{PREFIX}", "created": AT, "materials": {}}
OVERRIDES.update({
    "hall.store.save_snapshot": lambda s: ([s, {"version": 1, "published_at": AT}],
                                           {"draft_rev": 1, "audit": audit()}),
    "supervision.cards_store.raise_card": lambda s: ([s, _card()], {"extra": []}),
    "supervision.cards_store.save": lambda s: ([s, _card(), _card("closed")], {"extra": []}),
    "supervision.ratings_store.update": lambda s: ([s, _rating(), _rating("appealed")],
                                                   {"audit": audit()}),
    "core.retention_store.set_watermark": lambda s: ([s, f"{PREFIX}-kind", "2031-03-03", AT], {}),
    "core.retention_store.sweep_expired": lambda s: ([s, 1, (f"{PREFIX}#",)], {}),
    "core.retention_store.dev_outbox_before": lambda s: ([s, "2000-01-01"], {}),
    "intake.retention_store.anonymise": lambda s: (
        [s, _APP, []], {"doc": {}, "event_doc": lambda d: d, "audit": audit()}),
    "intake.retention_store.delete_materials": lambda s: ([s, _APP], {}),
})
