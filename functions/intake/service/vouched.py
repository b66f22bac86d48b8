"""Materials the hall vouches for itself, on an application it files for the person
(免申即享, pages.offers): the verified identity in place of the ID card, the base registry's
record of the social security card's account in place of the bank details. Anything a
person supplies goes through attach_material (an upload or an e-licence with consent)."""
from __future__ import annotations

from datetime import datetime

from ...core import clock
from ...core.errors import Forbidden, RuleError
from .. import model, store
from .shared import edit, editable, matter_named, view

# identity: the account's name and ID number, matched against the population registry
# (real-name level 2+); registry: a record of the base registry (`source` names the field).
KINDS = frozenset({"identity", "registry"})


def attach_vouched(settings, who, app_id: str, entries: dict[str, dict], *,
                   now: datetime) -> dict:
    """Attach `entries` (material name -> {"kind", ...}) to an auto-filled draft, audited as
    any attachment. Only the server's own applications take them."""
    app = store.owned(settings, app_id, who.acting_for)
    editable(app)
    if not app.get("auto_filled"):
        raise Forbidden("Only an application the hall filed itself takes vouched materials.")
    matter = matter_named(settings, app["matter"])
    at = clock.iso(now)
    attached = {}
    for name, entry in entries.items():
        model.material_slot(matter, name)
        if entry.get("kind") not in KINDS:
            raise RuleError("material", "Not a kind of material the hall vouches for.",
                            "不是系统可核验的材料")
        attached[name] = {**entry, "at": at}
    new = edit(settings, who, app, now=now, action="application.material",
               detail={"materials": sorted(attached), "kind": "vouched"},
               materials={**app["materials"], **attached})
    return view(settings, new)
