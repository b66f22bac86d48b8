"""`flask push init-vapid-key`: the Web Push (VAPID) key, made once by hand in a deployed
stage (the local stage makes its own on first use)."""
from __future__ import annotations

import json

import click
from flask import current_app
from flask.cli import AppGroup

from ..core import clock
from . import webpush

push_cli = AppGroup("push", help="Web Push keys, default subscriptions.")


@push_cli.command("init-vapid-key")
def init_vapid_key_command() -> None:
    """Create the VAPID key if it is missing; never replaces one (devices are bound to it)."""
    created = webpush.init_vapid_key(current_app.config["SETTINGS"], clock.now())
    click.echo("created" if created else "already present")


@push_cli.command("backfill-defaults")
def backfill_defaults_command() -> None:
    """File the accounts made before default subscriptions under their default topics (and
    enterprise staff under their role's); idempotent: anyone with preferences is kept."""
    from . import preferences_defaults

    click.echo(json.dumps(preferences_defaults.backfill(current_app.config["SETTINGS"])))
