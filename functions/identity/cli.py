"""`flask identity ...`: keys, the base registry and staff accounts."""
from __future__ import annotations

import json
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from ..core import clock, keys
from . import service

identity_cli = AppGroup("identity", help="Signing keys, the base registry, staff accounts.")


def load_registry(settings, path: Path) -> dict:
    return service.load_registry(settings, json.loads(path.read_text(encoding="utf-8")))


def create_staff(settings, *, kind: str, name: str, id_number: str, phone: str, password: str,
                 roles: list[str], department: str | None = None,
                 region: str | None = None) -> dict:
    """The account document of a new staff member (or, in tests, any account of level 3)."""
    return service.new_staff(settings, None, kind=kind, name=name, id_number=id_number,
                             phone=phone, password=password, roles=roles,
                             department=department, region=region, at=clock.now(),
                             actor="cli")


def seed_demo(settings, seed_dir: Path) -> dict:
    """The local stack's registry, demo staff (infra/seed/staff.json) and the demo company's
    business licence (infra/seed/licences.json)."""
    from ..licences import service as licences

    counts = load_registry(settings, seed_dir / "registry.json")
    demo = json.loads((seed_dir / "staff.json").read_text(encoding="utf-8"))
    for person in demo["staff"]:
        create_staff(settings, password=demo["password"], **person)
    issued = licences.seed(settings, seed_dir / "licences.json", now=clock.now())
    return {**counts, "staff": len(demo["staff"]), "licences": issued}


@identity_cli.command("init-keys")
def init_keys_command() -> None:
    """Create the signing keyring and the personal-data keys in SSM if they are missing."""
    created = keys.init_keys(current_app.config["SETTINGS"], clock.now())
    click.echo("created" if created else "already present")


@identity_cli.command("rotate-keys")
def rotate_keys_command() -> None:
    """Promote the next key to signing, retire the current one, publish a new next key."""
    ring = service.rotate_keys(current_app.config["SETTINGS"], None, at=clock.now(),
                               actor="cli")
    click.echo(json.dumps({"signing": ring.signing()[0],
                           "published": [k["kid"] for k in ring.jwks()["keys"]]}))


@identity_cli.command("load-registry")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
def load_registry_command(path: Path) -> None:
    """Load a base registry file (persons and organisations)."""
    click.echo(json.dumps(load_registry(current_app.config["SETTINGS"], path)))


@identity_cli.command("recount-registry")
def recount_registry_command() -> None:
    """Rebuild the registry's counts (page use rates' bases) from its records: one Scan, for a
    registry loaded before the counts existed or a load interrupted midway."""
    from .service import admin

    click.echo(json.dumps(admin.recount_registry(current_app.config["SETTINGS"])))


@identity_cli.command("create-staff")
@click.option("--kind", type=click.Choice(["officer", "supervisor", "admin"]), required=True)
@click.option("--name", required=True)
@click.option("--id-number", required=True)
@click.option("--phone", required=True)
@click.option("--role", "roles", multiple=True, required=True)
@click.option("--department")
@click.option("--region")
@click.password_option()
def create_staff_command(kind, name, id_number, phone, roles, department, region, password):
    """Create an officer, supervisor or administrator account (they log in with two factors)."""
    account = create_staff(current_app.config["SETTINGS"], kind=kind, name=name,
                           id_number=id_number, phone=phone, password=password,
                           roles=list(roles), department=department, region=region)
    click.echo(account["id"])
