"""The only licence code that knows table keys and SSM names: licences, wallets, usage, keys.

Keys (infra/README.md holds the table):
  pk=LICENCE#<id>  sk=L                    the licence: signed bytes, signature, kid, sealed
                                           full values of masked fields, revocation
  pk=LICENCE#<id>  sk=USE#<time>#<rand>    who used it, when, for what
  pk=ACCOUNT#<id> | ENTERPRISE#<uscc>  sk=LIC#<id>   the holder's wallet entry (a summary)
"""
from __future__ import annotations

import base64
import json
import secrets
import threading
import time
import uuid
from datetime import datetime

from botocore.exceptions import ClientError

from ..core import aws, pii
from ..core.errors import Conflict, NotFound
from ..core.store import audit_put
from ..push.store import inbox_put
from . import model

KEYS_REFRESH_SECONDS = 300.0
_lock = threading.Lock()
_cache: dict[str, tuple[dict, float]] = {}


def _ddb(settings):
    return aws.client("dynamodb", settings)


def _key(pk: str, sk: str) -> dict:
    return {"pk": {"S": pk}, "sk": {"S": sk}}


def _wallet_pk(holder_kind: str, holder_id: str) -> str:
    return f"ACCOUNT#{holder_id}" if holder_kind == "person" else f"ENTERPRISE#{holder_id}"


def _cancelled(err: ClientError) -> list[str]:
    if err.response["Error"]["Code"] != "TransactionCanceledException":
        raise err
    return [r.get("Code", "None") for r in err.response.get("CancellationReasons") or []]


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


# ---- the signing keys: an Ed25519 keyring in an SSM SecureString ------------------------------

def keys_param(settings) -> str:
    """/hall/<stage>/licence-keys, beside the token keys (the function role may read that path)."""
    explicit = getattr(settings, "licence_keys_param", None)
    return explicit or settings.jwt_keys_param.rsplit("/", 1)[0] + "/licence-keys"


def _new_key(now: datetime) -> dict:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    key = Ed25519PrivateKey.generate()
    return {"kid": f"lic-{now:%Y%m%d}-{secrets.token_hex(4)}", "state": "signing",
            "d": _b64url(key.private_bytes_raw()),
            "x": _b64url(key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)),
            "created": now.isoformat(timespec="seconds")}


def _read_keys(settings) -> dict | None:
    try:
        got = aws.client("ssm", settings).get_parameter(Name=keys_param(settings),
                                                        WithDecryption=True)
    except ClientError as err:
        if err.response["Error"]["Code"] == "ParameterNotFound":
            return None
        raise
    return json.loads(got["Parameter"]["Value"])


def init_licence_keys(settings, now: datetime) -> bool:
    """Create the keyring if missing. Safe to run from several places at once: the create
    does not overwrite, so two cold starts cannot each publish a different key."""
    if _read_keys(settings) is not None:
        return False
    try:
        aws.client("ssm", settings).put_parameter(
            Name=keys_param(settings), Value=json.dumps({"keys": [_new_key(now)]}),
            Type="SecureString", Overwrite=False)
    except ClientError as err:
        if err.response["Error"]["Code"] == "ParameterAlreadyExists":
            return False
        raise
    _cache.pop(keys_param(settings), None)
    return True


def rotate_licence_keys(settings, now: datetime) -> dict:
    """A new signing key; the old one retires but stays published for as long as licences it
    signed exist (years, unlike token keys), so their signatures keep verifying."""
    doc = _read_keys(settings) or {"keys": []}
    keys = [{**k, "state": "retired", "retired": now.isoformat(timespec="seconds")}
            if k["state"] == "signing" else k for k in doc["keys"]]
    doc = {"keys": [*keys, _new_key(now)]}
    aws.client("ssm", settings).put_parameter(Name=keys_param(settings), Value=json.dumps(doc),
                                              Type="SecureString", Overwrite=True)
    _cache.pop(keys_param(settings), None)
    return doc


def _keyring(settings, *, force: bool = False) -> dict:
    name = keys_param(settings)
    hit = _cache.get(name)
    if hit and not force and time.monotonic() - hit[1] < KEYS_REFRESH_SECONDS:
        return hit[0]
    with _lock:
        doc = _read_keys(settings)
        if doc is None:
            from ..core import clock

            init_licence_keys(settings, clock.now())
            doc = _read_keys(settings)
        _cache[name] = (doc, time.monotonic())
        return doc


def public_keys(settings) -> list[dict]:
    """The JWKs (OKP / Ed25519) of every key that ever signed a licence."""
    return [{"kty": "OKP", "crv": "Ed25519", "alg": model.ALG, "use": "sig", "kid": k["kid"],
             "x": k["x"], "status": k["state"], "created": k["created"]}
            for k in _keyring(settings)["keys"]]


def _sign(settings, data: bytes) -> tuple[str, str]:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    entry = next(k for k in _keyring(settings)["keys"] if k["state"] == "signing")
    key = Ed25519PrivateKey.from_private_bytes(_unb64url(entry["d"]))
    return entry["kid"], _b64url(key.sign(data))


def signature_valid(settings, licence: dict) -> bool:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    entry = next((k for k in _keyring(settings)["keys"] if k["kid"] == licence["kid"]), None)
    if entry is None:  # perhaps rotated since this instance last looked
        entry = next((k for k in _keyring(settings, force=True)["keys"]
                      if k["kid"] == licence["kid"]), None)
    if entry is None:
        return False
    try:
        Ed25519PublicKey.from_public_bytes(_unb64url(entry["x"])).verify(
            _unb64url(licence["signature"]), licence["signed"].encode("utf-8"))
    except (InvalidSignature, ValueError):
        return False
    return True


# ---- who holds it ---------------------------------------------------------------------------

def holder_identity(settings, holder_kind: str, holder_id: str) -> dict:
    """The holder's verified name and numbers (from the identity room), and who to notify."""
    from ..identity import store as identity

    if holder_kind == "person":
        try:
            account = identity.get_account(settings, holder_id)
        except NotFound as err:
            raise model.RuleError("holder_id", "No account with this id.", "没有该账户") from err
        id_number = pii.unseal(settings, account["id_seal"], account["id"])
        return {"name": account["name"], "notify": account["id"],
                "fields": {"holder_name": account["name"], "id_number": id_number}}
    org = identity.get_enterprise(settings, holder_id) or identity.registry_org(settings, holder_id)
    if not org:
        raise model.RuleError("holder_id", "No enterprise with this code.", "没有该市场主体")
    return {"name": org["name"], "notify": org.get("legal_rep"),
            "fields": {"holder_name": org["name"], "uscc": holder_id}}


def notify_account(settings, holder_kind: str, holder_id: str) -> str | None:
    if holder_kind == "person":
        return holder_id
    from ..identity import store as identity

    org = identity.get_enterprise(settings, holder_id)
    return org.get("legal_rep") if org else None


# ---- issuing --------------------------------------------------------------------------------

def build(settings, *, type_code: str, holder_kind: str, holder_id: str, holder_name: str,
          fields: dict[str, str], issuer: dict, application: str | None,
          now: datetime) -> dict:
    """A signed licence, ready for issue_items. With an application the id is derived from it
    (keyed, so still unguessable): approving twice cannot issue two licences."""
    ltype = model.licence_type(type_code)
    if application:
        lid = pii.keyed_hash(settings, "licence", f"{application}:{type_code}")[:32]
    else:
        lid = uuid.uuid4().hex
    number = model.licence_number(ltype, now, f"{secrets.randbelow(10**10):010d}")
    payload, secret = model.new_licence(
        ltype, lid=lid, number=number, holder_kind=holder_kind, holder_id=holder_id,
        holder_name=holder_name, fields=fields, issued=now, issuer=issuer,
        application=application)
    signed = model.canonical(payload)
    kid, signature = _sign(settings, signed)
    return {**_flat(payload), "payload": payload, "signed": signed.decode("utf-8"),
            "signature": signature, "kid": kid, "alg": model.ALG, "revoked_at": None,
            "sealed": {k: pii.seal(settings, v, f"licence:{lid}:{k}") for k, v in secret.items()}}


def build_licence(settings, *, lic_type: str, holder_kind: str, holder_id: str,
                  application: str | None, fields: dict, now: datetime,
                  region: str = "441400") -> dict:
    """build() for an approval: the holder's verified identity fills the identity fields, the
    application's form fills those of the type's fields it has (others are left out), and the
    issuer is the type's department in `region` (the matter's)."""
    from ..hall import model as hall_model

    ltype = model.licence_type(lic_type)
    holder = holder_identity(settings, holder_kind, holder_id)
    known = {f["name"] for f in ltype["fields"]}
    values = {k: str(v) for k, v in fields.items() if k in known and v not in (None, "")
              and k not in model.IDENTITY_FIELDS[holder_kind]}
    values.update({k: v for k, v in holder["fields"].items() if k in known})
    dept = ltype["issuer_department"]
    issuer = {"department": dept, "region": region,
              "name": hall_model.department_name(dept, region)}
    return build(settings, type_code=lic_type, holder_kind=holder_kind, holder_id=holder_id,
                 holder_name=holder["name"], fields=values, issuer=issuer,
                 application=application, now=now)


def _flat(payload: dict) -> dict:
    """The keys callers look for first, beside the signed payload."""
    return {k: payload[k] for k in ("id", "type", "holder_kind", "holder_id")}


def _wallet_doc(payload: dict) -> str:
    keep = ("id", "type", "number", "issued", "expires", "issuer")
    return json.dumps({k: payload[k] for k in keep}, ensure_ascii=False, sort_keys=True)


def issue_items(settings, licence: dict, *, actor: str, request_id: str | None,
                notify: str | None = None, on_behalf: str | None = None) -> list[dict]:
    """TransactWriteItems entries that issue `licence` (from build): the licence, the holder's
    wallet entry, the audit record and the holder's notice. Put them in the same transaction
    as the approval that issues it; the licence Put is conditional, so a repeat cancels."""
    table, p = settings.table_name, licence["payload"]
    at = p["issued"]
    items = [
        {"Put": {"TableName": table, "ConditionExpression": "attribute_not_exists(pk)", "Item": {
            **_key(f"LICENCE#{p['id']}", "L"), "signed": {"S": licence["signed"]},
            "signature": {"S": licence["signature"]}, "kid": {"S": licence["kid"]},
            "alg": {"S": licence["alg"]}, "holder": {"S": f"{p['holder_kind']}#{p['holder_id']}"},
            "sealed": {"S": json.dumps(licence["sealed"])}}}},
        {"Put": {"TableName": table, "Item": {
            **_key(_wallet_pk(p["holder_kind"], p["holder_id"]), f"LIC#{p['id']}"),
            "doc": {"S": _wallet_doc(p)}}}},
        audit_put(table, actor=actor, action="licence.issue", target=f"licence:{p['id']}",
                  result="ok", request_id=request_id, at=at, on_behalf=on_behalf,
                  detail={"type": p["type"], "number": p["number"],
                          "application": p["application"]}),
    ]
    if notify:
        name = model.licence_types()[p["type"]]["name"]
        items.append(inbox_put(table, account=notify, kind="licence",
                                      title=f"电子证照已签发：{name}",
                                      body=f"您的{name}（{p['number']}）已签发，可在证照夹查看和出示。",
                                      at=at, link=f"/#/wallet/{p['id']}"))
    return items


def issue(settings, licence: dict, **kwargs) -> dict:
    """Issue on its own (at the counter): issue_items in one transaction."""
    try:
        _ddb(settings).transact_write_items(TransactItems=issue_items(settings, licence,
                                                                      **kwargs))
    except ClientError as err:
        if _cancelled(err)[:1] == ["ConditionalCheckFailed"]:
            raise Conflict("This licence was already issued for this application.",
                           details={"status": "issued"}) from err
        raise
    return licence


# ---- reading --------------------------------------------------------------------------------

def _licence(item: dict) -> dict:
    payload = json.loads(item["signed"]["S"])
    return {**_flat(payload), "payload": payload, "signed": item["signed"]["S"],
            "signature": item["signature"]["S"], "kid": item["kid"]["S"],
            "alg": item["alg"]["S"], "sealed": json.loads(item["sealed"]["S"]),
            "revoked_at": item.get("revoked_at", {}).get("S"),
            "revoked_reason": item.get("revoked_reason", {}).get("S")}


def get_licence(settings, lid: str) -> dict | None:
    item = _ddb(settings).get_item(TableName=settings.table_name,
                                   Key=_key(f"LICENCE#{lid}", "L"),
                                   ConsistentRead=True).get("Item")
    return _licence(item) if item else None


def holder_licence(settings, lid: str, holder_kind: str, holder_id: str) -> dict:
    """The licence when it is this holder's; NotFound otherwise (not 403: an id proves nothing)."""
    found = get_licence(settings, lid)
    if not found or (found["payload"]["holder_kind"], found["payload"]["holder_id"]) \
            != (holder_kind, holder_id):
        raise NotFound("No such licence in your wallet.")
    return found


def wallet(settings, holder_kind: str, holder_id: str) -> list[dict]:
    """The holder's licences (payload summaries and revocation), one Query, newest first."""
    kwargs = {"TableName": settings.table_name,
              "KeyConditionExpression": "pk = :pk AND begins_with(sk, :lic)",
              "ExpressionAttributeValues": {":pk": {"S": _wallet_pk(holder_kind, holder_id)},
                                            ":lic": {"S": "LIC#"}}}
    out = []
    while True:
        resp = _ddb(settings).query(**kwargs)
        out += [{"payload": json.loads(i["doc"]["S"]),
                 "revoked_at": i.get("revoked_at", {}).get("S")} for i in resp["Items"]]
        if "LastEvaluatedKey" not in resp:
            break
        kwargs["ExclusiveStartKey"] = resp["LastEvaluatedKey"]
    return sorted(out, key=lambda w: w["payload"]["issued"], reverse=True)


# ---- revoking -------------------------------------------------------------------------------

def revoke(settings, lid: str, *, reason: str, at: str, actor: str, request_id: str | None,
           notify: str | None, on_behalf: str | None = None) -> dict:
    """Revoke once: the licence and the wallet entry, the audit record and the holder's notice
    in one transaction. A second revocation is a 409 naming the state."""
    table = settings.table_name
    current = get_licence(settings, lid)
    if not current:
        raise NotFound("No such licence.")
    p = current["payload"]
    name = model.licence_types()[p["type"]]["name"]
    items = [
        {"Update": {"TableName": table, "Key": _key(f"LICENCE#{lid}", "L"),
                    "UpdateExpression": "SET revoked_at = :at, revoked_reason = :r, "
                                        "revoked_by = :by",
                    "ConditionExpression": "attribute_exists(pk) AND "
                                           "attribute_not_exists(revoked_at)",
                    "ExpressionAttributeValues": {":at": {"S": at}, ":r": {"S": reason},
                                                  ":by": {"S": actor}}}},
        {"Update": {"TableName": table,
                    "Key": _key(_wallet_pk(p["holder_kind"], p["holder_id"]), f"LIC#{lid}"),
                    "UpdateExpression": "SET revoked_at = :at",
                    "ExpressionAttributeValues": {":at": {"S": at}}}},
        audit_put(table, actor=actor, action="licence.revoke", target=f"licence:{lid}",
                  result="ok", request_id=request_id, at=at, on_behalf=on_behalf,
                  detail={"type": p["type"], "number": p["number"], "reason": reason}),
    ]
    if notify:
        items.append(inbox_put(table, account=notify, kind="licence",
                                      title=f"电子证照已注销：{name}",
                                      body=f"您的{name}（{p['number']}）已被签发部门注销。原因：{reason}",
                                      at=at, link=f"/#/wallet/{lid}"))
    try:
        _ddb(settings).transact_write_items(TransactItems=items)
    except ClientError as err:
        if _cancelled(err)[:1] == ["ConditionalCheckFailed"]:
            raise Conflict("The licence is revoked already.",
                           details={"status": "revoked"}) from err
        raise
    return {**current, "revoked_at": at, "revoked_reason": reason}


# ---- using, with the holder's consent ----------------------------------------------------

def record_use_items(settings, licence_id: str, *, user: str, application: str | None,
                     matter: str, fields: list[str], at: str, actor: str | None = None,
                     request_id: str | None = None, on_behalf: str | None = None) -> list[dict]:
    """TransactWriteItems entries that log one use of a licence (who, when, which matter and
    application, which fields) with its audit record: put them with the application's write."""
    table = settings.table_name
    doc = {"at": at, "user": user, "application": application, "matter": matter,
           "fields": list(fields)}
    return [
        {"Put": {"TableName": table, "ConditionExpression": "attribute_not_exists(pk)", "Item": {
            **_key(f"LICENCE#{licence_id}", f"USE#{at}#{uuid.uuid4().hex[:8]}"),
            "doc": {"S": json.dumps(doc, ensure_ascii=False, sort_keys=True)}}}},
        audit_put(table, actor=actor or user, action="licence.use",
                  target=f"licence:{licence_id}", result="ok", request_id=request_id, at=at,
                  on_behalf=on_behalf, detail={"matter": matter, "application": application,
                                               "fields": list(fields)}),
    ]


def share(settings, licence_id: str, *, holder_kind: str, holder_id: str, matter: dict,
          user: str, application: str | None, at: str, now: datetime,
          actor: str | None = None, request_id: str | None = None,
          on_behalf: str | None = None) -> tuple[dict[str, str], list[dict]]:
    """After the holder consented to the preview: the values the department receives (masked
    fields in full only where the preview said so) and the usage items to write with the
    application. Only the holder's own valid licence may be shared."""
    licence = holder_licence(settings, licence_id, holder_kind, holder_id)
    state = model.status(licence, now)
    if state != "valid":
        raise Conflict(f"The licence is {state}.", details={"status": state})
    rows = model.preview(licence, matter)
    secret = {k: pii.unseal(settings, v, f"licence:{licence_id}:{k}")
              for k, v in licence["sealed"].items()}
    values = model.shared_values(rows, licence["payload"]["fields"], secret)
    items = record_use_items(settings, licence_id, user=user, application=application,
                             matter=matter["code"], fields=[r["name"] for r in rows], at=at,
                             actor=actor, request_id=request_id, on_behalf=on_behalf)
    return values, items


def record_use(settings, items: list[dict]) -> None:
    _ddb(settings).transact_write_items(TransactItems=items)


def usage(settings, licence_id: str) -> list[dict]:
    """Every use of a licence, newest first: one Query on the licence's partition."""
    kwargs = {"TableName": settings.table_name, "ScanIndexForward": False,
              "KeyConditionExpression": "pk = :pk AND begins_with(sk, :u)",
              "ExpressionAttributeValues": {":pk": {"S": f"LICENCE#{licence_id}"},
                                            ":u": {"S": "USE#"}}}
    out = []
    while True:
        resp = _ddb(settings).query(**kwargs)
        out += [json.loads(i["doc"]["S"]) for i in resp["Items"]]
        if "LastEvaluatedKey" not in resp:
            break
        kwargs["ExclusiveStartKey"] = resp["LastEvaluatedKey"]
    return out


def forget() -> None:
    _cache.clear()
