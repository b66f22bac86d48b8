"""Lambda entry points for the queue and the schedules: thin, like views."""
from __future__ import annotations

import importlib
import json
import logging

from .core import log
from .push.delivery import RetryLater
from .settings import Settings

logger = logging.getLogger("hall.workers")
# Each room declares its queue jobs in its service (JOBS: job name -> function(settings, job)).
ROOMS = ("hall", "intake")
# Job tables outside a room's service.py (functions.<module>.JOBS): the campaign planner
# and the delivery worker.
JOB_MODULES = ("push.planner", "push.delivery")
_settings: Settings | None = None


def configure(settings: Settings | None) -> None:
    """Set the settings the handlers use (Lambda reads them from the environment once)."""
    global _settings
    _settings = settings


def _config() -> Settings:
    if _settings is None:
        configure(Settings.from_env())
        log.configure(_settings.log_level)
    return _settings


def jobs() -> dict:
    table: dict = {}
    for module in [f"{room}.service" for room in ROOMS] + list(JOB_MODULES):
        room_jobs = importlib.import_module(f"functions.{module}").JOBS
        clash = set(table) & set(room_jobs)
        if clash:
            raise RuntimeError(f"jobs declared twice: {sorted(clash)}")
        table.update(room_jobs)
    return table


def handle_job(settings: Settings, job: dict) -> dict:
    """One queue message. Every job is safe to run twice (SQS may deliver twice)."""
    run = jobs().get(job.get("job"))
    if run is None:
        raise ValueError(f"unknown job {job.get('job')!r}")
    log.set_request_id(job.get("request_id"))
    return run(settings, job)


def handle_queue(event: dict, context=None) -> dict:
    """SQS batch: report failed records one by one so only they come back (partial batch)."""
    settings = _config()
    failures = []
    for record in event.get("Records", []):
        try:
            job = json.loads(record["body"])
            # How many times SQS has handed this record out (the delivery's push retries).
            job["receive_count"] = int(
                record.get("attributes", {}).get("ApproximateReceiveCount") or 1)
            handle_job(settings, job)
        except RetryLater as err:  # e.g. a push service's 429: seen again after Retry-After
            _retry_later(settings, record, err.seconds)
            failures.append({"itemIdentifier": record.get("messageId")})
        except Exception:
            logger.exception("job failed", extra={"message_id": record.get("messageId")})
            failures.append({"itemIdentifier": record.get("messageId")})
    return {"batchItemFailures": failures}


def _retry_later(settings: Settings, record: dict, seconds: int) -> None:
    """Set the record's visibility so SQS hands it out again after `seconds`."""
    from .core import aws

    try:
        aws.client("sqs", settings).change_message_visibility(
            QueueUrl=settings.queue_url, ReceiptHandle=record["receiptHandle"],
            VisibilityTimeout=seconds)
    except Exception:  # the queue's own visibility timeout then decides when
        logger.warning("visibility not changed", extra={"message_id": record.get("messageId")})


def run_corrections(event: dict | None = None, context=None) -> dict:
    """Hourly (safe at any moment): remind applicants whose correction deadline is near, lapse
    applications past it."""
    from .intake import service

    return service.run_corrections(_config())


def republish_if_dirty(event: dict | None = None, context=None) -> dict:
    """Every few minutes: publish when departments changed drafts since the last snapshot."""
    from .hall import service

    return service.republish_if_dirty(_config())


def publish_revocations(event: dict | None = None, context=None) -> dict:
    """Daily: sign and publish the licence revocation list for offline verifiers."""
    from .core import clock
    from .licences import service

    return service.publish_revocations(_config(), now=clock.now())


def apply_retention(event: dict | None = None, context=None) -> dict:
    """Daily: delete or anonymise personal records past their retention period (PIPL)."""
    from .core import clock, retention

    return retention.run(_config(), at=clock.now())


def release_campaigns(event: dict | None = None, context=None) -> dict:
    """Every 5 minutes: hand approved campaigns whose time came to the planner."""
    from .core import clock
    from .push import campaigns

    return campaigns.release_due(_config(), now=clock.now())


def run_reminders(event: dict | None = None, context=None) -> dict:
    """Daily: the recurring reminders defined as data (push/data/reminders.json) that fall
    due today, each a system campaign through the same planner."""
    from .core import clock
    from .push import reminders

    return reminders.run(_config(), now=clock.now())


def dispatch_notices(event: dict | None = None, context=None) -> dict:
    """Every minute: the triggered inbox notices (application status, deadlines, licences,
    delegations, answers) due to go out on their owners' push channels; and the daily
    digests whose hour has come (push/digest.py)."""
    from .core import clock
    from .push import digest, dispatch

    now = clock.now()
    return {**dispatch.sweep(_config(), now=now), "digests": digest.sweep(_config(), now=now)}


def reconcile_indicators(event: dict | None = None, context=None) -> dict:
    """Daily: recount the month's indicator counters from the applications' events and log
    any drift as a structured warning (`flask supervision reconcile --fix` repairs it)."""
    from .core import clock
    from .supervision import reconcile

    return reconcile.daily(_config(), now=clock.now())


def export_events(event: dict | None = None, context=None) -> dict:
    """Hourly: send the process events of the closed hours after the watermark to the
    provincial exports bucket (or endpoint); logs the lag as a metric line. A failed run
    raises after recording itself, so Lambda retries the invocation (twice, minutes apart)."""
    from .core import clock
    from .supervision import exports_service

    got = exports_service.run(_config(), now=clock.now())
    if got.get("ok") is False:
        raise RuntimeError(f"export failed: {got.get('error')}")
    return got


def raise_cards(event: dict | None = None, context=None) -> dict:
    """Every 15 minutes: the red and yellow cards whose moment came (80% or all of an
    acceptance or promised limit used, a question past its answer deadline), each raised and
    told once however often this runs."""
    from .core import clock
    from .supervision import cards_service

    return cards_service.raise_due(_config(), now=clock.now())
