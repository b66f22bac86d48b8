"""Intake fixtures: an applicant with a real account and officers of two departments."""
from __future__ import annotations

import pytest

from tests.intake.factories import person


@pytest.fixture
def someone(settings):
    """A fresh level-2 applicant as a principal, for the service tests."""
    return person(settings)


@pytest.fixture
def citizen(token, someone):
    """The same applicant's Authorization header, for the HTTP tests."""
    return token("citizen", subject=someone.subject, kind="citizen", lvl=2)


@pytest.fixture
def rsj(token):
    return token("officer", department="RSJ", region="441400", subject="rsj-officer")


@pytest.fixture
def scj(token):
    return token("officer", department="SCJGJ", region="441400", subject="scj-officer")


@pytest.fixture
def admin(token):
    return token("admin", subject="admin-1", kind="admin")
