"""Red and yellow cards (issue 12): raised at each transition and by a schedule."""
from __future__ import annotations


def move_items(settings, before: dict, after: dict, action: str, *, at: str, who,
               note: dict | None = None) -> list[dict]:
    """The cards a move raises or settles, as transaction items (none yet)."""
    return []
