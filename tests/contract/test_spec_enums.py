"""The spec's code lists are the catalogue's reference data, not a second copy that drifts."""
from __future__ import annotations

from functions.hall import model
from tests.helpers import SPEC


def test_enums_match_the_reference_data():
    schemas = SPEC["components"]["schemas"]
    for name, ref in (("ThemeCode", "themes"), ("DepartmentCode", "departments"),
                      ("RegionCode", "regions")):
        assert schemas[name]["enum"] == [item["code"] for item in model.reference(ref)], name
