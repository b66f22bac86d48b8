"""The rules of "download my data" (PIPL Art. 45): who may export whose data, and the readable
summary of an export in Chinese and English. Standard library only; time passed in."""
from __future__ import annotations

from dataclasses import dataclass

from ..core.errors import Forbidden

FORMAT = "hall-data-export/1"
# A few per hour per caller: an export is the heaviest read a citizen can ask for.
LIMIT = (5, 3600)
# Acting for an enterprise, only its legal representative exports it: the export holds its
# staff grants, every notice and the audit trail of everyone acting for it, which is more than
# any delegated role (preparer, approver, viewer) is given to see. Acting for a family member
# exports nothing: a family grant covers chosen matters, and the person exports their own.
EXPORT_ROLES = frozenset({"legal_rep"})

STATUS_EN = {"draft": "draft", "submitted": "submitted", "accepted": "accepted",
             "not_accepted": "not accepted", "in_process": "in process",
             "returned": "returned for correction", "approved": "approved",
             "refused": "refused", "withdrawn": "withdrawn", "lapsed": "lapsed"}
LICENCE_EN = {"valid": "valid", "expired": "expired", "revoked": "revoked"}
LICENCE_ZH = {"valid": "有效", "expired": "已过期", "revoked": "已注销"}


@dataclass(frozen=True)
class Party:
    kind: str   # person | enterprise
    id: str     # account id or USCC
    role: str   # self | legal_rep

    @property
    def owner(self) -> str:
        return f"{self.kind}:{self.id}"


def export_party(subject: str, act: dict | None) -> Party:
    """Whose data the caller may download: their own, or an enterprise they represent."""
    if not act:
        return Party("person", subject, "self")
    if act.get("kind") == "enterprise" and act.get("role") in EXPORT_ROLES:
        return Party("enterprise", act["id"], act["role"])
    raise Forbidden("Only the person themselves, or an enterprise's legal representative, may "
                    "download its data (仅本人或企业法定代表人可以下载数据).")


def filename(party: Party, day: str) -> str:
    """A dated attachment name that holds no personal number."""
    who = "enterprise-" + party.id if party.kind == "enterprise" else "personal"
    return f"meizhou-hall-my-data-{who}-{day}.json"


def counts(doc: dict) -> dict[str, int]:
    grants = doc.get("grants") or {}
    return {"applications": len(doc["applications"]),
            "events": sum(len(a.get("events") or []) for a in doc["applications"]),
            "licences": len(doc["licences"]), "messages": len(doc["inbox"]),
            "unread_messages": sum(1 for m in doc["inbox"] if not m.get("read")),
            "grants_given": len(grants.get("given") or []),
            "grants_received": len(grants.get("received") or []),
            "enterprises": len(doc.get("enterprises") or []),
            "sessions": len(doc.get("sessions") or []), "audit_entries": len(doc["audit"])}


def summary(doc: dict) -> dict:
    """Counts and a plain-language list, each line in Chinese and in English."""
    n = counts(doc)
    if doc["subject"]["kind"] == "person":
        acc = doc["account"]
        zh = [f"本人：{acc['name']}（身份证号 {acc['id_number_masked']}，实名等级 {acc['level']}）"]
        en = [f"You: {acc['name']} (ID number {acc['id_number_masked']}, "
              f"real-name level {acc['level']})"]
    else:
        ent = doc["enterprise"]
        zh = [f"企业：{ent.get('name')}（统一社会信用代码 {ent.get('uscc')}）"]
        en = [f"Enterprise: {ent.get('name')} (unified social credit code {ent.get('uscc')})"]
    zh.append(f"导出时间：{doc['generated_at']}")
    en.append(f"Exported at: {doc['generated_at']}")
    for e in doc.get("enterprises") or []:
        zh.append(f"所属企业：{e['name']}（{e['uscc']}，{e['role']}）")
        en.append(f"Enterprise you belong to: {e['name']} ({e['uscc']}, {e['role']})")
    zh.append(f"办件 {n['applications']} 件（办理记录 {n['events']} 条）")
    en.append(f"{n['applications']} application(s) ({n['events']} timeline event(s))")
    for a in doc["applications"]:
        zh.append(f"  · {a['id']} {a.get('matter_name')}：{a.get('status_zh')}")
        en.append(f"  · {a['id']} {a.get('matter_name')}: "
                  f"{STATUS_EN.get(a['status'], a['status'])}")
    zh.append(f"电子证照 {n['licences']} 个")
    en.append(f"{n['licences']} e-licence(s)")
    for lic in doc["licences"]:
        zh.append(f"  · {lic['type_name']} {lic['number']}：{LICENCE_ZH.get(lic['status'])}")
        en.append(f"  · {lic.get('type_name_en') or lic['type']} {lic['number']}: "
                  f"{LICENCE_EN.get(lic['status'])}")
    zh.append(f"消息 {n['messages']} 条（未读 {n['unread_messages']} 条）")
    en.append(f"{n['messages']} message(s) ({n['unread_messages']} unread)")
    zh.append(f"授权：给出 {n['grants_given']} 项，收到 {n['grants_received']} 项")
    en.append(f"Authorisations: {n['grants_given']} given, {n['grants_received']} received")
    if doc["subject"]["kind"] == "person":
        zh.append(f"登录会话 {n['sessions']} 次")
        en.append(f"{n['sessions']} login session(s)")
    zh.append(f"审计记录 {n['audit_entries']} 条（谁在何时为谁做了什么，本次导出也已记录）")
    en.append(f"{n['audit_entries']} audit entr(ies) (who did what, when, for whom; this "
              "export is recorded too)")
    return {"counts": n, "zh": zh, "en": en}


def summary_text(doc: dict) -> str:
    """The summary as a plain-text file: Chinese, then English. Numbers stay masked here:
    the full ones are in the JSON file alone."""
    s = doc["summary"]
    head_zh = "梅州网上办事大厅 · 我的数据（依据《个人信息保护法》第四十五条）"
    head_en = "Meizhou online service hall · My data (PIPL Art. 45)"
    return "\n".join([head_zh, "", *s["zh"], "", head_en, "", *s["en"], ""])
