"""`flask catalogue import|export|publish`: bulk maintenance of the catalogue."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from marshmallow import ValidationError

from ..core import clock
from . import schemas, service, store

catalogue_cli = AppGroup("catalogue", help="Import, export and publish the catalogue.")

LIST_FIELDS = ("aliases", "audiences", "themes", "hot_tags", "conditions", "process")
# English twins: a column left empty means the matter has none (not an empty list).
EN_LIST_FIELDS = schemas.EN_LISTS
JSON_FIELDS = ("fees", "materials", "form_fields")
CSV_COLUMNS = ("code", "name", "name_en", "aliases", "aliases_en", "audiences", "themes",
               "department", "level", "region", "kind", "online_depth", "visits", "legal_days",
               "promised_days", "fees", "materials", "form_fields", "hot_tags", "mobile",
               "conditions", "conditions_en", "process", "process_en", "guide", "popularity",
               "required_level", "version", "status")


def read_matters(path: Path) -> list[dict]:
    """Rows from JSON (a list of matters) or CSV (lists joined by |, nested parts as JSON)."""
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() == ".json":
        rows = json.loads(text)
        if not isinstance(rows, list):
            raise click.ClickException("A JSON catalogue is a list of matters.")
        return rows
    rows = []
    for row in csv.DictReader(io.StringIO(text)):
        for key in LIST_FIELDS:
            row[key] = [v for v in (row.get(key) or "").split("|") if v]
        for key in EN_LIST_FIELDS:
            row[key] = [v for v in (row.get(key) or "").split("|") if v] or None
        for key in JSON_FIELDS:
            row[key] = json.loads(row.get(key) or "[]")
        row["mobile"] = (row.get("mobile") or "").lower() in ("true", "1", "yes")
        rows.append({k: v for k, v in row.items() if v not in ("", None) or k in JSON_FIELDS})
    return rows


def validate_rows(rows: list[dict]) -> list[dict]:
    """All rows or nothing: every error is reported before anything is written."""
    schema, errors, docs = schemas.MatterInput(), {}, []
    for n, row in enumerate(rows, 1):
        extra = {k: row.get(k) for k in ("version", "status") if k in row}
        try:
            doc = schema.load({k: v for k, v in row.items() if k not in extra}, unknown="raise")
        except ValidationError as err:
            errors[f"row {n} ({row.get('code', '?')})"] = err.messages
            continue
        status = extra.get("status", "active")
        if status not in ("active", "withdrawn"):
            errors[f"row {n} ({row.get('code', '?')})"] = {"status": ["active or withdrawn"]}
            continue
        docs.append({**doc, "status": status})
    codes = [d["code"] for d in docs]
    dupes = sorted({c for c in codes if codes.count(c) > 1})
    if dupes:
        errors["duplicates"] = dupes
    if errors:
        raise click.ClickException("Nothing was imported:\n" + json.dumps(
            errors, ensure_ascii=False, indent=1))
    return docs


def import_matters(settings, docs: list[dict], *, actor: str, progress=None) -> dict:
    """Create new matters, version changed ones, leave identical ones alone."""
    stored = {m["code"]: m for m in store.list_drafts(settings, "MATTERS")}
    counts, writes = {"created": 0, "updated": 0, "unchanged": 0}, []
    for doc in docs:
        current = stored.get(doc["code"])
        if current is None:
            writes.append({**doc, "version": 1})
            counts["created"] += 1
        elif _normal(current) != {**doc, "version": 0}:
            writes.append({**doc, "version": current["version"] + 1})
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
    if writes:
        store.save_matters_bulk(settings, writes, actor=actor, at=clock.iso(), progress=progress)
    return counts


def _normal(draft: dict) -> dict:
    """A stored draft as an import would load it (the schema's defaults filled in), so that
    re-importing an export changes nothing even for a draft written before a default existed."""
    try:
        loaded = schemas.MatterInput().load(
            {k: v for k, v in draft.items() if k not in ("version", "status")}, unknown="raise")
    except ValidationError:
        return {**draft, "version": 0}
    return {**loaded, "status": draft.get("status", "active"), "version": 0}


def import_seed(settings, seed_dir: Path, *, actor: str = "seed", show_progress=False) -> dict:
    docs = validate_rows(read_matters(seed_dir / "matters.json"))
    with click.progressbar(length=len(docs), label="matters",
                           file=None if show_progress else io.StringIO()) as bar:
        counts = import_matters(settings, docs, actor=actor, progress=bar)
    for kind, name in (("POINTS", "service_points.json"), ("SCENARIOS", "scenarios.json")):
        path = seed_dir / name
        if path.exists():
            store.put_reference(settings, kind, json.loads(path.read_text(encoding="utf-8")))
    return counts


@catalogue_cli.command("import")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--publish/--no-publish", default=True, help="Publish a new snapshot afterwards.")
def import_command(path: Path, publish: bool) -> None:
    """Import matters from a JSON or CSV file, or a seed folder (matters, points, scenarios)."""
    settings = current_app.config["SETTINGS"]
    if path.is_dir():
        counts = import_seed(settings, path, actor="cli", show_progress=True)
    else:
        docs = validate_rows(read_matters(path))
        with click.progressbar(length=len(docs), label="matters") as bar:
            counts = import_matters(settings, docs, actor="cli", progress=bar)
    click.echo(json.dumps(counts))
    if publish:
        click.echo(json.dumps(service.publish(settings, actor="cli")))


@catalogue_cli.command("export")
@click.argument("path", type=click.Path(path_type=Path))
def export_command(path: Path) -> None:
    """Export the draft matters to PATH (.json or .csv)."""
    matters = sorted(store.list_drafts(current_app.config["SETTINGS"]), key=lambda m: m["code"])
    if path.suffix.lower() == ".json":
        path.write_text(json.dumps(matters, ensure_ascii=False, indent=1), encoding="utf-8")
    else:
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=CSV_COLUMNS, extrasaction="ignore")
            writer.writeheader()
            with click.progressbar(matters, label="matters") as bar:
                for m in bar:
                    row = dict(m)
                    for key in (*LIST_FIELDS, *EN_LIST_FIELDS):
                        row[key] = "|".join(m.get(key, []))
                    for key in JSON_FIELDS:
                        row[key] = json.dumps(m.get(key, []), ensure_ascii=False)
                    row["mobile"] = "true" if m["mobile"] else "false"
                    writer.writerow(row)
    click.echo(f"{len(matters)} matters -> {path}")


@catalogue_cli.command("publish")
def publish_command() -> None:
    """Build and publish a snapshot of the drafts now."""
    click.echo(json.dumps(service.publish(current_app.config["SETTINGS"], actor="cli")))
