"""The indicators' counters (issue 12 moves them here from intake): added to in the transaction
of the event they count."""
from __future__ import annotations

from ..intake import model as intake_model
from ..intake import store as intake_store


def move_items(settings, before: dict, after: dict, *, at: str) -> list[dict]:
    """The counters a move adds to (a first submission, a completion, by channel)."""
    counts = intake_model.counted(before, after)
    return [intake_store.counter_update(settings.table_name, at[:7], before["department"],
                                        before["region"], **counts)] if counts else []
