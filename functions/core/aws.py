"""Lazy, cached boto3 clients: created on first use, so cold start pays only for what it needs."""
from __future__ import annotations

import threading
from functools import cache

_lock = threading.Lock()


@cache
def _client(service: str, region: str, endpoint: str):
    import boto3  # the session import is the costly part of boto3
    from botocore.config import Config  # pulls in urllib3 and ssl: not at import time

    # S3 in AWS: presign against the bucket's regional host (the one origin the PWA's CSP
    # names, infra/site.py), never the global s3.amazonaws.com, which buckets in opt-in regions
    # do not answer. The emulator keeps path-style URLs on its loopback endpoint.
    s3 = None if endpoint else {"addressing_style": "virtual",
                                "us_east_1_regional_endpoint": "regional"}
    # The emulator serialises table writes and copies whole tables per transaction, so under
    # concurrent tests an answer can take seconds; AWS answers in milliseconds.
    cfg = Config(retries={"max_attempts": 3, "mode": "standard"}, connect_timeout=2,
                 read_timeout=60 if endpoint else 5, s3=s3)
    with _lock:
        return boto3.session.Session().client(
            service, region_name=region, endpoint_url=endpoint or None, config=cfg
        )


def client(service: str, settings=None):
    if settings is None:
        from flask import current_app

        settings = current_app.config["SETTINGS"]
    return _client(service, settings.region, settings.aws_endpoint_url)


def reset() -> None:
    """Forget cached clients (tests point them at a fresh emulator)."""
    _client.cache_clear()
