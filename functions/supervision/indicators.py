"""The indicators' counters (issue 12 moves them here from intake): added to in the transaction
of the event they count, with the marker the reconciliation re-reads the month by."""
from __future__ import annotations

from ..core import clock
from ..intake import model as intake_model
from . import indicators_model, indicators_store


def move_counts(before: dict, after: dict) -> dict[str, int]:
    """The counters a move adds to: intake's (first submission, first acceptance, completion,
    by channel) and, on an approval that issued e-licences, one per licence type issued."""
    from ..licences import model as licences_model

    counts = intake_model.counted(before, after)
    if after["status"] == "approved" and after.get("licences"):
        for code in licences_model.types_issued_by(before["matter"]):
            counts[indicators_model.ELICENCE + code] = 1
    return counts


def move_items(settings, before: dict, after: dict, *, at: str) -> list[dict]:
    """The counter update (if the move counts) and the month's marker of the application."""
    counts = move_counts(before, after)
    table, month = settings.table_name, clock.beijing_month(at)  # Beijing's, whatever offset
    items = [indicators_store.moved_marker(table, month, before)]
    if counts:
        items.append(indicators_store.counter_update(table, month, before["department"],
                                                     before["region"], **counts))
    return items
