"""`flask licences init-keys|rotate-keys`: the licence signing keyring, made and rotated by
hand (a deployed stage never creates keys on its own)."""
from __future__ import annotations

import json

import click
from flask import current_app
from flask.cli import AppGroup

from ..core import clock
from . import service

licences_cli = AppGroup("licences", help="The e-licence signing keys.")


@licences_cli.command("init-keys")
def init_keys_command() -> None:
    """Create the licence keyring (a signing and a next key) if it is missing."""
    created = service.init_keys(current_app.config["SETTINGS"], now=clock.now())
    click.echo("created" if created else "already present")


@licences_cli.command("rotate-keys")
def rotate_keys_command() -> None:
    """Promote the next key to signing; the old one retires but stays published for good."""
    published = service.rotate_keys(current_app.config["SETTINGS"], None, now=clock.now())
    click.echo(json.dumps({"signing": next(k["kid"] for k in published["keys"]
                                           if k["status"] == "signing"),
                           "published": [k["kid"] for k in published["keys"]]}))
