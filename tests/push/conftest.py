"""The push room's fixtures."""
import pytest

from tests.push.push_service import PushService


@pytest.fixture(scope="module")
def svc():
    """A loopback push service (one per test module), decrypting what it receives."""
    with PushService() as service:
        yield service
