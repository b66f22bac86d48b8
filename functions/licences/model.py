"""E-licence rules: the types, the signed payload, status, masking, and what a matter may see."""
from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta, timezone
from functools import cache
from pathlib import Path

from ..core.errors import Conflict, Forbidden, RuleError

DATA = Path(__file__).parent / "data"
HOLDER_KINDS = ("person", "enterprise")
STATUSES = ("valid", "expired", "revoked")
ALG = "EdDSA"
# Filled in by the hall from the holder's verified identity, never typed in by an officer.
IDENTITY_FIELDS = {"person": ("holder_name", "id_number"), "enterprise": ("holder_name", "uscc")}
BEIJING = timezone(timedelta(hours=8), "Asia/Shanghai")
# The `iss` of every token the licence room signs (QR tokens and the revocation list).
TOKEN_ISSUER = "mz-hall"
REVOCATIONS_TYP = "mz-revocations+jwt"
REVOCATIONS_EVERY = timedelta(days=1)
# The QR token's payload at most: with the URL, the header and the signature the code stays
# at version 20 or below (97 modules a side) at error level M, which cheap phones read.
QR_PAYLOAD_BUDGET = 340
SIGNED_KEYS = ("id", "type", "number", "holder_kind", "holder_id", "holder_name", "holder_mask",
               "fields", "issued", "expires", "issuer", "application")


# ---- the types ----------------------------------------------------------------------------

@cache
def licence_types() -> dict[str, dict]:
    types = json.loads((DATA / "licence_types.json").read_text(encoding="utf-8"))
    return {t["code"]: t for t in types}


def licence_type(code: str) -> dict:
    found = licence_types().get(code)
    if not found:
        raise RuleError("type", f"No licence type {code}.", "没有该证照类型")
    return found


def use_list(matters) -> dict[str, list[str]]:
    """licence type -> the matters that accept it in place of a material (the plan's use list)."""
    out: dict[str, list[str]] = {}
    for matter in matters:
        for material in matter.get("materials", []):
            code = material.get("licence_type")
            if code and matter["code"] not in out.setdefault(code, []):
                out[code].append(matter["code"])
    return {k: sorted(v) for k, v in out.items()}


def issue_list(types: dict[str, dict] | None = None) -> dict[str, list[str]]:
    """licence type -> the matters whose approval issues it (the plan's issue list)."""
    return {code: list(t["issued_by_matters"]) for code, t in (types or licence_types()).items()
            if t["issued_by_matters"]}


def types_issued_by(matter_code: str) -> list[str]:
    """The licence types an approval of this matter issues (the intake room asks this)."""
    return [code for code, t in licence_types().items() if matter_code in t["issued_by_matters"]]


def used_by(matter: dict) -> list[str]:
    """The licence types a matter accepts in place of one of its materials."""
    return sorted({m["licence_type"] for m in matter.get("materials", []) if m.get("licence_type")})


# ---- masking ------------------------------------------------------------------------------

def mask_name(name: str) -> str:
    """张*丰, 李*, 欧阳**明: the first and last character of a person's name."""
    if len(name) <= 1:
        return "*"
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_value(kind: str | None, value: str) -> str:
    if not kind or not value:
        return value
    if kind == "id":  # 441402********1355: region kept, birth date and sequence hidden
        return value[:6] + "*" * max(len(value) - 10, 0) + value[-4:] if len(value) > 10 \
            else "*" * len(value)
    if kind == "tail":
        return "*" * max(len(value) - 4, 0) + value[-4:]
    if kind == "address":
        return value[:6] + "****" if len(value) > 6 else "****"
    if kind == "name":
        return mask_name(value)
    return "****"  # "all": health and similar data, hidden entirely


def holder_mask(holder_kind: str, holder_name: str) -> str:
    """What a stranger may see of the holder: a person's masked name; a company's is public."""
    return mask_name(holder_name) if holder_kind == "person" else holder_name


# ---- building and signing -----------------------------------------------------------------

def new_licence(ltype: dict, *, lid: str, number: str, holder_kind: str, holder_id: str,
                holder_name: str, fields: dict[str, str], issued: datetime, issuer: dict,
                application: str | None) -> tuple[dict, dict[str, str]]:
    """The payload to sign, and the full values of the fields that are signed masked.

    Personal numbers are signed in their masked form: the signed document is shown to its
    holder, to verifiers and in QR codes, none of which may carry a full ID number. The full
    values stay sealed beside the licence, for the departments a holder consents to share with.
    """
    if holder_kind != ltype["holder"]:
        who = "个人" if ltype["holder"] == "person" else "企业"
        raise RuleError("holder_kind", f"A {ltype['name_en']} is held by a {ltype['holder']}.",
                        f"{ltype['name']}的持证主体应为{who}")
    known = {f["name"]: f for f in ltype["fields"]}
    unknown = sorted(set(fields) - set(known))
    if unknown:
        raise RuleError("fields", f"Unknown fields for {ltype['code']}: {', '.join(unknown)}.",
                        "证照字段不属于该类型")
    signed, secret = {}, {}
    for name, value in fields.items():
        kind = known[name].get("mask")
        signed[name] = mask_value(kind, value)
        if kind and signed[name] != value:
            secret[name] = value
    years = ltype["validity_years"]
    expires = None
    if years:
        day = issued.date()
        try:
            expires = day.replace(year=day.year + years)
        except ValueError:  # 29 February
            expires = day.replace(year=day.year + years, day=28)
    payload = {"id": lid, "type": ltype["code"], "number": number, "holder_kind": holder_kind,
               "holder_id": holder_id, "holder_name": holder_name,
               "holder_mask": holder_mask(holder_kind, holder_name), "fields": signed,
               "issued": issued.isoformat(timespec="seconds"),
               "expires": expires.isoformat() if expires else None, "issuer": issuer,
               "application": application}
    return payload, secret


def licence_number(ltype: dict, issued: datetime, digits: str) -> str:
    """MZ2026JHZ0123456789: city, year, type, random digits (the id in URLs is separate)."""
    return f"MZ{issued:%Y}{ltype['short']}{digits}"


def canonical(payload: dict) -> bytes:
    """The bytes that are signed: sorted keys, no spaces, UTF-8 (not \\u escapes)."""
    return json.dumps({k: payload[k] for k in SIGNED_KEYS}, sort_keys=True,
                      separators=(",", ":"), ensure_ascii=False).encode("utf-8")


# ---- the QR token and the revocation list (JWS, for offline verifiers) -----------------------

def _epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def token_claims(payload: dict) -> dict:
    """The claims of a licence's QR token: what an offline verifier needs, and short, since a
    cheap phone must scan the code. `sub` is the licence id (the revocation list names it),
    `lt` the type, `no` the number, `h` the holder as a stranger may see them, `f` the signed
    fields (masked, the holder's name left out: it is `h`; long free text such as a business
    scope left to the online check), `by` department/region. A licence
    that expires gets `exp`: the end of its expiry day in Beijing, so any JOSE library
    refuses it afterwards on its own."""
    ltype = licence_types()[payload["type"]]
    long_text = {f["name"] for f in ltype["fields"] if f.get("qr") is False}
    fields = {k: v for k, v in public_fields(payload).items()
              if k != "holder_name" and k not in long_text}
    claims = {"iss": TOKEN_ISSUER, "sub": payload["id"],
              "iat": _epoch(datetime.fromisoformat(payload["issued"])), "lt": payload["type"],
              "no": payload["number"], "h": payload["holder_mask"], "f": fields,
              "by": f"{payload['issuer']['department']}/{payload['issuer']['region']}"}
    if payload["expires"]:
        end = date.fromisoformat(payload["expires"]) + timedelta(days=1)
        claims["exp"] = _epoch(datetime.combine(end, time(0), BEIJING))
    # Over the budget, the last fields (in the type's order) stay online: `more` says so.
    while len(token_json(claims)) > QR_PAYLOAD_BUDGET and fields:
        fields.pop(next(reversed(fields)))
        claims["more"] = 1
    return claims


def token_json(claims: dict) -> bytes:
    """The JWS payload bytes: compact UTF-8 JSON (a \\u escape would double a Chinese char)."""
    return json.dumps(claims, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def qr_text(verify_url: str, token: str) -> str:
    """What the QR code holds: the public verify URL (any phone camera opens the online
    check) and, after `#`, the signed token (an offline verifier takes what follows `#`;
    a fragment never reaches a server)."""
    return f"{verify_url}#{token}"


def revocation_claims(revoked: list[str], now: datetime) -> dict:
    """The revocation list's claims: every revoked licence id, sorted; issued now, the next
    list due a day later (`next_update`); `exp` two days on, so a verifier that missed one
    refresh still works and one that missed two is told to get online."""
    return {"iss": TOKEN_ISSUER, "iat": _epoch(now), "next_update": _epoch(now + REVOCATIONS_EVERY),
            "exp": _epoch(now + 2 * REVOCATIONS_EVERY), "revoked": sorted(set(revoked))}


def revocations_view(token: str, claims: dict) -> dict:
    """The published list: the signed token (the only part to trust) and its claims readable."""
    iso = lambda t: datetime.fromtimestamp(t, BEIJING).isoformat(timespec="seconds")  # noqa: E731
    return {"token": token, "issued": iso(claims["iat"]), "next_update": iso(claims["next_update"]),
            "expires": iso(claims["exp"]), "count": len(claims["revoked"]),
            "revoked": claims["revoked"]}


def revocations_stale(stored: dict | None, now: datetime) -> bool:
    return stored is None or _epoch(now) >= stored["claims"]["next_update"]


# ---- status and views ---------------------------------------------------------------------

def status(licence: dict, now: datetime) -> str:
    if licence.get("revoked_at"):
        return "revoked"
    expires = licence["payload"]["expires"]
    if expires and now.date() > date.fromisoformat(expires):
        return "expired"
    return "valid"


def check_valid(licence: dict, now: datetime) -> None:
    """Only a licence in force may be shared: an expired or revoked one is a 409 naming why."""
    state = status(licence, now)
    if state != "valid":
        raise Conflict(f"The licence is {state}.", details={"status": state})


def public_view(licence: dict, *, signature_valid: bool, now: datetime) -> dict:
    """All a stranger with the QR code learns: is it genuine and in force, and whose (masked)."""
    p = licence["payload"]
    ltype = licence_types()[p["type"]]
    return {"id": p["id"], "type": p["type"], "type_name": ltype["name"],
            "type_name_en": ltype["name_en"], "number": p["number"],
            "status": status(licence, now), "holder": p["holder_mask"],
            "holder_kind": p["holder_kind"], "issuer": p["issuer"]["name"],
            "issued": p["issued"], "expires": p["expires"],
            "revoked_at": licence.get("revoked_at"), "signature_valid": signature_valid,
            "fields": field_rows(ltype, public_fields(p)),
            "checked_at": now.isoformat(timespec="seconds")}


def summary(licence: dict, now: datetime) -> dict:
    p = licence["payload"]
    ltype = licence_types()[p["type"]]
    return {"id": p["id"], "type": p["type"], "type_name": ltype["name"],
            "type_name_en": ltype["name_en"], "number": p["number"],
            "status": status(licence, now), "issued": p["issued"], "expires": p["expires"],
            "issuer": p["issuer"]["name"]}


def record(payload: dict, *, signed: str, signature: str, kid: str, alg: str, sealed: dict,
           revoked_at: str | None = None, revoked_reason: str | None = None) -> dict:
    """A licence as the room passes it around: the signed payload, the signature, the sealed
    full values, the revocation, and the keys callers look for first."""
    return {**{k: payload[k] for k in ("id", "type", "holder_kind", "holder_id")},
            "payload": payload, "signed": signed, "signature": signature, "kid": kid,
            "alg": alg, "sealed": sealed, "revoked_at": revoked_at,
            "revoked_reason": revoked_reason}


def holder_view(licence: dict, now: datetime, verify_url: str) -> dict:
    """The licence for its holder: the signed bytes and signature for offline display."""
    p = licence["payload"]
    ltype = licence_types()[p["type"]]
    return {**summary(licence, now), "holder_kind": p["holder_kind"],
            "holder_id": p["holder_id"], "holder_name": p["holder_name"],
            "fields": field_rows(ltype, p["fields"]),
            "issuer_department": p["issuer"]["department"], "issuer_region": p["issuer"]["region"],
            "application": p["application"], "revoked_at": licence.get("revoked_at"),
            "signed": licence["signed"], "signature": licence["signature"],
            "kid": licence["kid"], "alg": licence["alg"], "verify_url": verify_url}


def types_view(uses: dict[str, list[str]]) -> list[dict]:
    """Every type with its issue list and its use list (`uses`, from use_list)."""
    keep = ("code", "name", "name_en", "issuer_department", "holder", "fields", "validity_years",
            "shareable_fields")
    return [{**{k: t[k] for k in keep}, "issued_by": t["issued_by_matters"],
             "used_by": uses.get(code, [])} for code, t in licence_types().items()]


def issued_notice(payload: dict) -> dict:
    """The holder's inbox notice of an issue; the link opens the licence in the PWA's wallet."""
    name = licence_types()[payload["type"]]["name"]
    return {"kind": "licence", "title": f"电子证照已签发：{name}",
            "body": f"您的{name}（{payload['number']}）已签发，可在证照夹查看和出示。",
            "link": f"/#/wallet/{payload['id']}"}


def revoked_notice(payload: dict, reason: str) -> dict:
    name = licence_types()[payload["type"]]["name"]
    return {"kind": "licence", "title": f"电子证照已注销：{name}",
            "body": f"您的{name}（{payload['number']}）已被签发部门注销。原因：{reason}",
            "link": f"/#/wallet/{payload['id']}"}


def field_rows(ltype: dict, values: dict[str, str]) -> list[dict]:
    """The licence's data as labelled rows, in the type's order."""
    return [{"name": f["name"], "label": f["label"], "label_en": f.get("label_en", f["label"]),
             "value": values[f["name"]]} for f in ltype["fields"] if f["name"] in values]


def public_fields(payload: dict) -> dict[str, str]:
    """The signed fields as a stranger may see them (the public check, the QR token): what
    the licence licenses, with the holder as masked as `holder_mask`: a person's name masked
    and their ID number left out (even masked, its region and last digits say too much to
    anyone who scans a code); other personal numbers are signed masked already. A company's
    name and credit code are public."""
    fields = dict(payload["fields"])
    if payload["holder_kind"] == "person":
        fields.pop("id_number", None)
        if "holder_name" in fields:
            fields["holder_name"] = payload["holder_mask"]
    return fields


# ---- sharing with consent -----------------------------------------------------------------

def fields_to_share(ltype: dict, needed: set[str] | frozenset[str]) -> list[dict]:
    """Exactly what a matter receives from a licence of this type: the shareable fields; a
    masked field goes in full only when the matter's form asks for it by name."""
    out = []
    for f in ltype["fields"]:
        if f["name"] not in ltype["shareable_fields"]:
            continue
        full = not f.get("mask") or f["name"] in needed
        out.append({"name": f["name"], "label": f["label"],
                    "disclosure": "full" if full else "masked"})
    return out


def needed_fields(matter: dict) -> frozenset[str]:
    return frozenset(f["name"] for f in matter.get("form_fields", []))


def preview(licence: dict, matter: dict) -> list[dict]:
    """The rows the holder is asked to consent to: each field, how it goes, and the value as
    the holder may see it here (masked: the full number is the holder's own, sent only on
    consent, and never echoed in a response)."""
    ltype = licence_types()[licence["payload"]["type"]]
    if ltype["code"] not in used_by(matter):
        raise RuleError("matter", f"{matter['code']} does not accept a {ltype['name_en']}.",
                        f"该事项不使用{ltype['name']}")
    values = licence["payload"]["fields"]
    return [{**row, "value": values[row["name"]]}
            for row in fields_to_share(ltype, needed_fields(matter)) if row["name"] in values]


def shared_values(rows: list[dict], signed: dict[str, str], secret: dict[str, str]) -> dict:
    """The values that actually go to the department, following the preview's rows."""
    return {r["name"]: secret.get(r["name"], signed[r["name"]]) if r["disclosure"] == "full"
            else signed[r["name"]] for r in rows}


def wallet_holder(subject: str, act: dict | None, for_matter: str | None) -> tuple[str, str]:
    """Whose wallet a request opens: the represented party's, else the caller's. Someone
    acting for a family member sees only the licences a matter they may apply for uses, not
    the whole wallet, its details or its usage."""
    if not act:
        return "person", subject
    if act["kind"] == "person" and (
            for_matter is None or for_matter not in act.get("matters", [for_matter])):
        raise Forbidden("Acting for a family member, you may use their licences only for the "
                        "matters they authorised.")
    return act["kind"], act["id"]


def id_derived(id_number: str | None, what: str) -> str | None:
    """What a GB 11643 number itself says: the birth date (digits 7-14) and the gender (the
    17th digit: odd for men)."""
    if not id_number or len(id_number) != 18 or not id_number[:17].isdigit():
        return None
    if what == "birth_date":
        return f"{id_number[6:10]}-{id_number[10:12]}-{id_number[12:14]}"
    if what == "gender":
        return "男" if int(id_number[16]) % 2 else "女"
    return None


def _text(value) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def source_value(source: str, *, identity: dict[str, str], form: dict | None,
                 approved_on: date | None) -> str | None:
    """One source of a licence field (the types' `from` lists): `holder.<name>` the verified
    holder, `id.<gender|birth_date>` what the verified ID number says, `form.<a>[+<b>]` the
    application's form (parts joined by a space), `approval.date` the day of approval."""
    scope, _, name = source.partition(".")
    if scope == "holder":
        return _text(identity.get(name))
    if scope == "id":
        return id_derived(identity.get("id_number"), name)
    if scope == "form":
        if form is None:
            return None
        parts = [_text(form.get(part)) for part in name.split("+")]
        return " ".join(p for p in parts if p) or None
    if scope == "approval" and name == "date":
        return approved_on.isoformat() if approved_on else None
    raise ValueError(f"unknown licence field source {source!r}")


def filled_values(ltype: dict, *, identity: dict[str, str], form: dict | None = None,
                  approved_on: date | None = None) -> dict[str, str]:
    """Each of the type's fields from the first of its sources that has a value. The identity
    fields have only holder sources, so a form can never set a holder's name or number.
    Without a form and a date (a counter issue) only the holder's and derived values fill."""
    out = {}
    for f in ltype["fields"]:
        for source in f.get("from", ()):
            value = source_value(source, identity=identity, form=form, approved_on=approved_on)
            if value is not None:
                out[f["name"]] = value
                break
    return out


def form_sources(ltype: dict) -> set[str]:
    """The form fields a type reads (the test of the mapping checks them against the forms)."""
    return {part for f in ltype["fields"] for s in f.get("from", ()) if s.startswith("form.")
            for part in s[len("form."):].split("+")}


def check_counter_issue(ltype: dict, holder_kind: str, fields: dict[str, str]) -> None:
    """What an officer types at the counter: never the holder's identity (the hall fills it
    from the verified holder), and only for the kind of holder the type has."""
    clash = sorted(set(fields) & set(IDENTITY_FIELDS[holder_kind]))
    if clash:
        raise RuleError("fields", f"{', '.join(clash)} come from the holder's verified "
                        "identity; leave them out.", "持证人身份信息由系统自动填写")
    if holder_kind != ltype["holder"]:
        raise RuleError("holder_kind", f"A {ltype['name_en']} is held by a {ltype['holder']}.",
                        "持证主体类型与证照类型不符")


def may_manage(officer_department: str | None, officer_region: str | None, licence: dict,
               city_region: str) -> bool:
    """The issuing department may revoke: city-level officers any of its licences, a county's
    officers those their county issued."""
    issuer = licence["payload"]["issuer"]
    if officer_department != issuer["department"]:
        return False
    return officer_region in (city_region, issuer["region"])
