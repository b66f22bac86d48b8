"""The spec's code lists are the catalogue's reference data, not a second copy that drifts."""
from __future__ import annotations

from functions.hall import model
from tests.helpers import SPEC


def test_enums_match_the_reference_data():
    schemas = SPEC["components"]["schemas"]
    for name, ref in (("ThemeCode", "themes"), ("DepartmentCode", "departments"),
                      ("RegionCode", "regions")):
        assert schemas[name]["enum"] == [item["code"] for item in model.reference(ref)], name


def test_licence_and_application_enums_match_the_code():
    from functions.intake import model as intake
    from functions.licences import model as licences

    schemas = SPEC["components"]["schemas"]
    assert schemas["LicenceTypeCode"]["enum"] == list(licences.licence_types())
    assert schemas["ApplicationStatus"]["enum"] == list(intake.STATES)
    assert schemas["OfficerAction"]["properties"]["action"]["enum"] == [
        action for action, (_, _, who) in intake.TRANSITIONS.items() if who == "officer"]
    assert set(schemas["ApplicationEvent"]["properties"]["action"]["enum"]) == {
        "create", "visit", *intake.TRANSITIONS}
