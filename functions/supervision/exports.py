"""Process events for the provincial monitoring system (issue 12)."""
from __future__ import annotations


def move_items(settings, before: dict, after: dict, action: str, *, at: str, who) -> list[dict]:
    """The process event of a move, as transaction items (none yet)."""
    return []
