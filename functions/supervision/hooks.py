"""What supervision adds to the transaction of every application move (intake's
`shared.move` calls `on_move`): the indicator counters, the cards a move raises or settles, and
the process event for the provincial export. Each part returns DynamoDB transaction items and
reads nothing (a move stays one transaction and no extra round trip)."""
from __future__ import annotations


def on_move(settings, before: dict, after: dict, action: str, *, at: str, who,
            note: dict | None = None) -> list[dict]:
    """The items supervision writes with the move of `before` to `after` by `action`."""
    from . import cards, exports, indicators

    return (indicators.move_items(settings, before, after, at=at)
            + cards.move_items(settings, before, after, action, at=at, who=who, note=note)
            + exports.move_items(settings, before, after, action, at=at, who=who))
