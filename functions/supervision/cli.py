"""`flask supervision ...`: the supervision room's maintenance commands."""
from __future__ import annotations

import json

import click
from flask import current_app
from flask.cli import AppGroup

from ..core import clock

supervision_cli = AppGroup("supervision", help="Supervision: the provincial export, ...")


@supervision_cli.command("export")
@click.option("--from", "start", default=None, metavar="ISO",
              help="Replay: export again every closed hour from the hour of this time on.")
def export(start: str | None) -> None:
    """Send the closed hours after the watermark (or from --from) to the bucket/endpoint."""
    from . import exports_model, exports_service

    if start:
        try:
            exports_model.utc(start)
        except ValueError as err:
            raise click.BadParameter(f"{start!r}: an ISO time with an offset, e.g. "
                                     "2026-12-01T00:00:00+08:00") from err
    # By hand (a replay of many hours) a run may take longer than the schedule's 20 s, well
    # within its 5-minute lease.
    got = exports_service.run(current_app.config["SETTINGS"], now=clock.now(), start=start,
                              budget_seconds=240.0)
    click.echo(json.dumps(got, ensure_ascii=False))
    if not got.get("ok", True):
        raise SystemExit(1)


@supervision_cli.command("reconcile")
@click.option("--month", required=True, metavar="YYYY-MM", help="The month to recount.")
@click.option("--fix", is_flag=True, help="Add the drift's deltas to the counters.")
def reconcile_month(month: str, fix: bool) -> None:
    """Recount a month's indicator counters from the applications' events; report drift."""
    from ..core.errors import RuleError
    from . import indicators_model, reconcile

    try:
        indicators_model.month_of(month, today=clock.now().date())
    except RuleError as err:
        raise click.BadParameter(f"{month!r}: YYYY-MM, not in the future") from err
    got = reconcile.run(current_app.config["SETTINGS"], month, fix=fix)
    click.echo(json.dumps(got, ensure_ascii=False))
    if not got["ok"] and not fix:
        raise SystemExit(1)
