"""Web Push endpoints: a person's devices (subscribe, list, remove) and the public VAPID key.
Each view parses, calls one use case and formats."""
from __future__ import annotations

from flask import Blueprint, Flask, current_app

from ..core import clock
from ..core.auth import principal, public
from ..core.http import body, dump
from . import schemas, subscriptions, webpush

bp = Blueprint("push_subscriptions", __name__, url_prefix="/api/v1")
PATH = "/me/push-subscriptions"


def register(app: Flask) -> None:
    from .cli import push_cli

    app.register_blueprint(bp)
    app.cli.add_command(push_cli)


def _settings():
    return current_app.config["SETTINGS"]


@bp.post(PATH)
def subscribe_push():
    device, new = subscriptions.subscribe(_settings(), principal(),
                                          body(schemas.PUSH_SUBSCRIPTION), at=clock.iso())
    return dump(schemas.PUSH_DEVICE, device, 201 if new else 200)


@bp.get(PATH)
def my_push_devices():
    return dump(schemas.PUSH_DEVICES, {"items": subscriptions.devices(_settings(), principal())})


@bp.delete(PATH)
def unsubscribe_push():
    subscriptions.unsubscribe(_settings(), principal(), body(schemas.PUSH_ENDPOINT)["endpoint"])
    return "", 204


@bp.delete(PATH + "/<sub_id>")
def remove_push_device(sub_id: str):
    subscriptions.remove_device(_settings(), principal(), sub_id)
    return "", 204


@bp.get("/push/vapid-key")
@public
def vapid_key():
    return dump(schemas.VAPID_KEY, {"public_key": webpush.vapid_public_key(_settings())},
                headers={"Cache-Control": "public, max-age=3600"})
