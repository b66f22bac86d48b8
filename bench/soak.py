"""A soak of the local stack: citizens submitting, officers accepting and approving, applicants
rating, concurrently for `--minutes`, then every record accounted for.

The stack is `infra.local.Stack` on a fresh data dir (the emulator, the template, the seed, the
queue poller and the schedules); the actors are threads calling the rooms' use cases (the
code under each route) with real accounts, so every write is the transaction the API makes.
Each citizen is new, drafts one 社会保障卡申领 (441400-RSJ-0015), attaches its materials and
submits; officer threads accept then approve; the applicant rates it. Mid-way one officer
drafts a campaign to `--recipients` enterprises subscribed to tax news and a second approves
it; the stack's own queue poller plans and delivers it. A storage fault
(Unavailable or a transient AWS error: the 503 a client retries) is counted, the step retried.

At the end: every application is where its last acknowledged step left it, each applicant
has exactly one, each has its notices with none twice, every rating is there once, and the
month's indicator counters reconcile to the records (supervision reconcile), and the
campaign's report reconciles: every recipient targeted, queued and in an inbox. The rate is
what the emulator held: it is reported, not chosen.

    .venv/bin/python bench/soak.py [--minutes 10] [--citizens 3] [--officers 2] [--recipients 200]
        [--json F]
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import queue
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
MATTER = "441400-RSJ-0015"
FORM = {"bank_choice": "中国银行", "delivery": "免费邮寄"}


class Ledger:
    """What the actors were told succeeded (acknowledged), and what failed."""

    def __init__(self):
        self.lock = threading.Lock()
        self.state: dict[str, str] = {}         # application -> last acknowledged status
        self.owner: dict[str, object] = {}      # application -> applicant principal
        self.rated: set[str] = set()
        self.steps = collections.Counter()
        self.faults = collections.Counter()

    def ack(self, app_id: str, status: str, step: str) -> None:
        with self.lock:
            self.state[app_id] = status
            self.steps[step] += 1


def _retrying(ledger: Ledger, step: str, fn, *args, **kwargs):
    from functions.core.errors import Unavailable, classify

    for attempt in range(5):
        try:
            return fn(*args, **kwargs)
        except Exception as err:  # noqa: BLE001 (the 503s a client retries; anything else ends)
            if not isinstance(err, Unavailable) and classify(err) != "transient":
                raise
            with ledger.lock:
                ledger.faults[f"{step} 503"] += 1
            time.sleep(0.2 * (attempt + 1))
    raise RuntimeError(f"{step}: storage unavailable five times")


def citizen(settings, ledger: Ledger, n: int, until: float, accepted: queue.Queue) -> None:
    from functions.core import clock
    from functions.hall import store as hall_store
    from functions.intake import service
    from tests.intake.factories import person, put_upload

    materials = hall_store.current_catalogue(settings).matters[MATTER]["materials"]
    i = 0
    while time.monotonic() < until:
        i += 1
        who = person(settings, phone=f"1990982{n}{i:03d}")
        app, _ = _retrying(ledger, "create", service.create, settings, who, matter_code=MATTER,
                           form=FORM, idem_key=None, now=clock.now())
        with ledger.lock:
            ledger.owner[app["id"]] = who
        ledger.ack(app["id"], "draft", "create")
        for m in materials:
            _retrying(ledger, "attach", service.attach_material, settings, who, app["id"],
                      material=m["name"], upload_key=put_upload(settings, app["id"]),
                      now=clock.now())
        _retrying(ledger, "submit", service.submit, settings, who, app["id"], now=clock.now())
        ledger.ack(app["id"], "submitted", "submit")
        accepted.put(app["id"])


def officer(settings, ledger: Ledger, inbox: queue.Queue, rate_q: queue.Queue,
            stop: threading.Event) -> None:
    from functions.core import clock
    from functions.intake import service
    from tests.intake.factories import officer as officer_of

    rsj = officer_of("RSJ")
    while not (stop.is_set() and inbox.empty()):
        try:
            app_id = inbox.get(timeout=0.5)
        except queue.Empty:
            continue
        _retrying(ledger, "accept", service.act, settings, rsj, app_id, action="accept",
                  now=clock.now())
        ledger.ack(app_id, "accepted", "accept")
        _retrying(ledger, "approve", service.act, settings, rsj, app_id, action="approve",
                  now=clock.now())
        ledger.ack(app_id, "approved", "approve")
        rate_q.put(app_id)


def rater(settings, ledger: Ledger, rate_q: queue.Queue, stop: threading.Event) -> None:
    """Rates what the officers approved; `stop` is set once every officer has finished."""
    from functions.core import clock
    from functions.supervision import ratings_service

    while not (stop.is_set() and rate_q.empty()):
        try:
            app_id = rate_q.get(timeout=0.5)
        except queue.Empty:
            continue
        _retrying(ledger, "rate", ratings_service.rate, settings, ledger.owner[app_id], app_id,
                  level=5, tags=[], comment="办理很快", now=clock.now())
        with ledger.lock:
            ledger.rated.add(app_id)
            ledger.steps["rate"] += 1


def campaign(settings, ledger: Ledger, recipients: int) -> dict:
    """A campaign to `recipients` enterprises subscribed to tax news: drafted by one officer,
    approved by a second; the stack's queue poller plans and delivers it meanwhile."""
    import uuid

    from functions.core import clock
    from functions.core.auth import Principal
    from functions.push import campaigns
    from tests.push.campaign_factories import body, subscribe

    industry = "茶叶" + uuid.uuid4().hex[:6]
    firms = [subscribe(settings, "hot_tax", enterprise={
        "industry": industry, "size": "micro", "founded": "2021-03-01"})
        for _ in range(recipients)]
    author, second = (Principal(subject=f"officer-soak-{x}", kind="officer",
                                roles=frozenset({"officer"}), department="SWJ",
                                region="441400") for x in "ab")
    made = _retrying(ledger, "campaign", campaigns.create, settings, author, {
        **body({"audience": "enterprise", "industry": industry}), "urgent": False},
        now=clock.now())
    _retrying(ledger, "campaign approve", campaigns.approve, settings, second, made["id"],
              now=clock.now())
    with ledger.lock:
        ledger.steps["campaign"] += 1
    return {"id": made["id"], "firms": firms, "who": second}


def campaign_accounted(settings, sent: dict, wait_s: float = 180.0) -> list[str]:
    """Every recipient delivered once (the report's counters reconcile, to the inbox)."""
    from functions.push import campaigns

    deadline = time.monotonic() + wait_s
    while True:
        got = campaigns.report(settings, sent["who"], sent["id"])
        if (got["state"] == "done" and got.get("pending") == 0) or time.monotonic() > deadline:
            break
        time.sleep(2)
    sent["report"] = got
    out = []
    if got["state"] != "done" or got.get("pending") != 0 or not got.get("reconciled"):
        out.append(f"campaign {sent['id']}: {got}")
    if got.get("targeted") != len(sent["firms"]) or \
            got["delivered"]["inbox"] != len(sent["firms"]):
        out.append(f"campaign {sent['id']}: targeted {got.get('targeted')}, inbox "
                   f"{got['delivered']['inbox']} of {len(sent['firms'])}")
    return out


def account_for(settings, ledger: Ledger) -> dict:
    """Every acknowledged application, notice and rating, and the month's counters."""
    from functions.core import clock
    from functions.intake import service
    from functions.intake import store as intake_store
    from functions.push import service as push
    from functions.supervision import ratings_service, reconcile

    problems, notices, kinds, per_state = [], 0, collections.Counter(), {}
    for app_id, expected in ledger.state.items():
        who = ledger.owner[app_id]
        got = intake_store.owned(settings, app_id, who.acting_for)
        if got["status"] != expected:
            problems.append(f"{app_id}: {got['status']}, acknowledged {expected}")
        mine, _ = service.mine(settings, who, limit=50, start=None)
        if len(mine) != 1:
            problems.append(f"{app_id}: its applicant has {len(mine)} applications")
        box = push.inbox(settings, who, unread=False, limit=100, start=None)["items"]
        ids = [n.get("id") for n in box]
        if len(ids) != len(set(ids)):
            problems.append(f"{app_id}: a notice twice in the inbox")
        seen = collections.Counter((n.get("kind"), n.get("link"), n.get("title"), n.get("body"))
                                   for n in box)
        if any(c > 1 for c in seen.values()):
            problems.append(f"{app_id}: the same notice twice {seen.most_common(1)}")
        per_state.setdefault(expected, collections.Counter())[len(box)] += 1
        notices += len(box)
        kinds.update(n.get("kind") for n in box)
        if app_id in ledger.rated:
            rating = ratings_service.mine(settings, who, app_id)
            if not rating or rating.get("level") != 5:
                problems.append(f"{app_id}: rating missing ({rating})")
    for state, counts in per_state.items():   # alike moves, alike notices: none lost
        if len(counts) > 1:
            problems.append(f"applications {state}: notice counts differ {dict(counts)}")
    month = clock.now().strftime("%Y-%m")
    rec = reconcile.run(settings, month)
    if not rec["ok"]:
        problems.append(f"indicators drift: {rec['drift'][:3]}")
    return {"problems": problems, "notices": notices, "notice_kinds": dict(kinds),
            "per_state": {k: dict(v) for k, v in per_state.items()},
            "reconciled": rec["ok"], "month": month}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--citizens", type=int, default=3)
    parser.add_argument("--officers", type=int, default=2)
    parser.add_argument("--recipients", type=int, default=200,
                        help="enterprises the campaign reaches (one mid-way)")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    from infra.local import Stack

    with tempfile.TemporaryDirectory() as tmp, Stack(Path(tmp)) as stack:
        settings, ledger = stack.settings, Ledger()
        accepted_q, rate_q, stop = queue.Queue(), queue.Queue(), threading.Event()
        t0 = time.monotonic()
        until = t0 + args.minutes * 60
        citizens = [threading.Thread(target=citizen, args=(settings, ledger, n, until,
                                                           accepted_q))
                    for n in range(args.citizens)]
        back = [threading.Thread(target=officer, args=(settings, ledger, accepted_q, rate_q,
                                                       stop)) for _ in range(args.officers)]
        done = threading.Event()
        rating = threading.Thread(target=rater, args=(settings, ledger, rate_q, done))
        for t in [*citizens, *back, rating]:
            t.start()
        time.sleep(min(60.0, args.minutes * 30))
        sent = campaign(settings, ledger, args.recipients)
        for t in citizens:
            t.join()
        stop.set()
        for t in back:
            t.join()
        done.set()
        rating.join()
        elapsed = time.monotonic() - t0
        found = account_for(settings, ledger)
        found["problems"] += campaign_accounted(settings, sent)
    steps = sum(ledger.steps.values())
    print(f"soak: {elapsed / 60:.1f} min, {args.citizens} citizens, {args.officers} officers, "
          f"1 rater (threads); load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"applications {len(ledger.state)}, steps {dict(ledger.steps)}; "
          f"{steps / elapsed:.2f} acknowledged steps/s "
          f"({ledger.steps['submit'] / elapsed * 60:.1f} submissions a minute)")
    rep = sent["report"]
    print(f"campaign: {rep.get('targeted')} targeted, {rep.get('queued')} queued, delivered "
          f"{rep['delivered']}, state {rep['state']}, reconciled {rep.get('reconciled')}")
    print(f"storage faults retried: {dict(ledger.faults) or 'none'}")
    print(f"notices {found['notices']} {found['notice_kinds']}, per application by state "
          f"{found['per_state']}; ratings {len(ledger.rated)}; "
          f"indicators of {found['month']} reconcile: {found['reconciled']}")
    for p in found["problems"][:20]:
        print("PROBLEM", p)
    print("accounted for: " + ("everything" if not found["problems"]
                               else f"{len(found['problems'])} problems"))
    if args.json:
        args.json.write_text(json.dumps({
            "minutes": round(elapsed / 60, 2), "applications": len(ledger.state),
            "steps": dict(ledger.steps), "steps_per_s": round(steps / elapsed, 2),
            "faults": dict(ledger.faults), "notices": found["notices"],
            "ratings": len(ledger.rated), "reconciled": found["reconciled"],
            "campaign": {k: rep.get(k) for k in ("targeted", "queued", "delivered", "state",
                                                 "reconciled")},
            "problems": found["problems"]}, ensure_ascii=False), encoding="utf-8")
    return 1 if found["problems"] else 0


if __name__ == "__main__":
    sys.exit(main())
