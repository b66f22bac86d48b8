"""zappa_settings.json resolves to what Lambda needs; infra/package.sh builds a zip that runs."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = json.loads((ROOT / "zappa_settings.json").read_text(encoding="utf-8"))
TEMPLATE = ROOT / "infra" / "template.yaml"
MAX_ZIP = 25 * 1024 * 1024
# Provided by the Lambda Python runtime, so the zip leaves them out (see "exclude").
RUNTIME_SDK = ["boto3", "botocore", "s3transfer", "jmespath", "dateutil", "six.py", "urllib3"]
# No network, no real account: the app and the workers must import with only this.
OFFLINE_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "ap-east-1",
    "AWS_ENDPOINT_URL": "http://127.0.0.1:9",
    "HALL_AWS_ENDPOINT": "http://127.0.0.1:9",
    "HALL_STAGE": "test",
}
RATE = re.compile(r"^rate\((1 (minute|hour|day)|([2-9]|[1-9]\d+) (minutes|hours|days))\)$")
CRON = re.compile(r"^cron\((\S+ ){5}\S+\)$")


def resolve(stage: str) -> dict:
    """A stage with its `extends` chain applied the way Zappa does (a shallow update)."""
    own = SETTINGS[stage]
    base = resolve(own["extends"]) if "extends" in own else {}
    return {**base, **own}


STAGES = sorted(SETTINGS)
DEPLOYED = [s for s in STAGES if resolve(s).get("aws_region")]


def template_queue_timeout() -> int:
    text = TEMPLATE.read_text(encoding="utf-8")
    return int(re.search(r"^\s+VisibilityTimeout: (\d+)", text, re.M).group(1))


def run_python(code: str, cwd: Path = ROOT, **kw) -> subprocess.CompletedProcess:
    env = {**os.environ, **OFFLINE_ENV}
    return subprocess.run([sys.executable, *kw.pop("flags", []), "-c", textwrap.dedent(code)],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=120, **kw)


def test_stages_and_extends():
    assert {"dev", "prod"} <= set(SETTINGS)
    assert SETTINGS["prod"]["extends"] == "dev"
    for stage in STAGES:
        assert resolve(stage)  # no dangling or circular extends


@pytest.mark.parametrize("stage", STAGES)
def test_stage_basics(stage):
    s = resolve(stage)
    assert s["runtime"] == "python3.11"
    assert s["app_function"] == "functions.app.app"
    assert s["use_precompiled_packages"] is False
    assert s["slim_handler"] is False
    assert s.get("architecture", "x86_64") == "x86_64"  # the wheels package.sh picks
    # Zappa's DEBUG logs every raw event: request bodies would carry ID numbers and phones.
    assert s["debug"] is False
    assert s["log_level"] in {"INFO", "WARNING", "ERROR"}
    # "environment_variables" are baked into the zip and copied over os.environ by Zappa's
    # handler, overriding the template's values; Lambda configuration is the only source.
    assert not s.get("environment_variables")
    assert {"tests", "pwa", "bench", "infra"} <= set(s["exclude"])
    assert set(RUNTIME_SDK) <= set(s["exclude"])


def test_dev_does_not_touch_after_deploy():
    assert resolve("dev")["touch"] is False


def test_cfn_stage_bakes_nothing_environment_specific():
    s = resolve("cfn")
    assert s["aws_region"] is None  # else AWS_REGION=<that region> lands in the zip
    assert s["events"] == [] and s["aws_environment_variables"] == {}


@pytest.mark.parametrize("stage", DEPLOYED)
def test_lambda_environment_matches_the_template(stage):
    env = resolve(stage)["aws_environment_variables"]
    name = env["HALL_STAGE"]
    account = re.fullmatch(r"hall-\w+-catalogue-(\d{12})", env["HALL_CATALOGUE_BUCKET"]).group(1)
    region = resolve(stage)["aws_region"]
    assert name == stage
    assert env["HALL_TABLE"] == f"hall-{stage}-main"
    assert env["HALL_CATALOGUE_BUCKET"] == f"hall-{stage}-catalogue-{account}"
    assert env["HALL_MATERIALS_BUCKET"] == f"hall-{stage}-materials-{account}"
    assert env["HALL_QUEUE_URL"] == f"https://sqs.{region}.amazonaws.com/{account}/hall-{stage}-jobs"
    assert env["HALL_TOPIC_ARN"] == f"arn:aws:sns:{region}:{account}:hall-{stage}-sms"
    # The site's origin (CORS, QR codes): the city's domain in front of the PWA, https only.
    assert re.fullmatch(r"https://[a-z0-9.-]+", env["HALL_PWA_ORIGIN"])
    template_vars = re.findall(r"^\s+(HALL_[A-Z_]+): ", TEMPLATE.read_text(encoding="utf-8"), re.M)
    assert set(template_vars) == set(env)


@pytest.mark.parametrize("stage", DEPLOYED)
def test_events(stage):
    s = resolve(stage)
    events = s["events"]
    schedules = [e for e in events if "expression" in e]
    queues = [e for e in events if "event_source" in e]
    assert sorted(e["function"] for e in schedules) == [
        "functions.workers.apply_retention", "functions.workers.dispatch_notices",
        "functions.workers.export_events",
        "functions.workers.publish_revocations", "functions.workers.raise_cards",
        "functions.workers.reconcile_indicators", "functions.workers.release_campaigns",
        "functions.workers.republish_if_dirty", "functions.workers.run_corrections",
        "functions.workers.run_reminders"]
    assert [e["function"] for e in queues] == ["functions.workers.handle_queue"]
    for e in schedules:
        assert RATE.match(e["expression"]) or CRON.match(e["expression"]), e
    for e in queues:
        source = e["event_source"]
        assert isinstance(source["batch_size"], int) and 1 <= source["batch_size"] <= 10
        assert source["enabled"] is True
        # Concrete, as Zappa needs it: the queue the template names for this stage.
        assert re.fullmatch(rf"arn:aws:sqs:{s['aws_region']}:\d{{12}}:hall-{stage}-jobs",
                            source["arn"]), source["arn"]
    # One function serves API and workers here: the queue must outwait it 6 times.
    assert template_queue_timeout() >= 6 * s.get("timeout_seconds", 30)


def test_template_schedule_dispatches_to_the_zappa_event_function():
    text = TEMPLATE.read_text(encoding="utf-8")
    rule = re.search(r"^\s+Name: !Sub (hall-\$\{Stage\}-[\w.]+\.\w+)$", text, re.M).group(1)
    scheduled = {e["function"] for e in resolve("dev")["events"] if "expression" in e}
    assert rule.rsplit("-", 1)[1] in scheduled


def test_app_function_is_an_importable_flask_app():
    module, attr = resolve("dev")["app_function"].rsplit(".", 1)
    proc = run_python(f"""
        import importlib, flask
        app = getattr(importlib.import_module({module!r}), {attr!r})
        assert isinstance(app, flask.Flask), type(app)
    """)
    assert proc.returncode == 0, proc.stderr


def test_event_functions_are_importable_and_callable():
    functions = sorted({e["function"] for s in DEPLOYED for e in resolve(s)["events"]})
    proc = run_python(f"""
        import importlib, inspect
        for whole in {functions!r}:
            module, name = whole.rsplit(".", 1)
            fn = getattr(importlib.import_module(module), name)
            assert callable(fn), whole
            assert len(inspect.signature(fn).parameters) <= 2, whole  # (event, context)
    """)
    assert proc.returncode == 0, proc.stderr


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> Path:
    if os.environ.get("HALL_SKIP_PACKAGE") == "1":
        pytest.skip("HALL_SKIP_PACKAGE=1")
    out = tmp_path_factory.mktemp("package") / "hall-lambda.zip"
    env = {**os.environ, "PYTHON": sys.executable}
    proc = subprocess.run(["bash", str(ROOT / "infra" / "package.sh"), "cfn", str(out)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return out


@pytest.mark.slow
def test_package_is_small_and_holds_only_the_runtime(package):
    assert package.stat().st_size <= MAX_ZIP
    names = zipfile.ZipFile(package).namelist()
    assert "handler.py" in names and "zappa_settings.py" in names
    assert "functions/app.py" in names and "functions/workers.py" in names
    tops = {n.split("/", 1)[0] for n in names}
    assert not tops & {"tests", "pwa", "bench", "infra", "dist", ".venv-package"}
    assert not tops & set(RUNTIME_SDK)
    assert "functions/__pycache__/app.cpython-311.pyc" in names  # cold start skips compiling
    # Exclude patterns match names at any depth: no installed file of a shipped distribution
    # may fall to one (a "certifi*" once took cryptography/x509/certificate_transparency.py).
    present = set(names)
    for record in [n for n in names if n.endswith(".dist-info/RECORD")]:
        rows = zipfile.ZipFile(package).read(record).decode().splitlines()
        files = [r.split(",", 1)[0] for r in rows if r]
        # A library's own test suite (py_vapid/tests) falls to "tests" and is not runtime.
        missing = [f for f in files if not f.startswith("..") and "__pycache__" not in f
                   and "/tests/" not in f and f not in present]
        assert not missing, (record, missing)
    baked = zipfile.ZipFile(package).read("zappa_settings.py").decode()
    assert "ENVIRONMENT_VARIABLES={}" in baked and "AWS_EVENT_MAPPING={}" in baked


@pytest.mark.slow
def test_package_runs_in_a_lambda_like_interpreter(package, tmp_path):
    """Only the zip and the runtime's SDK on sys.path: the three entry points the template uses."""
    task = tmp_path / "task"
    zipfile.ZipFile(package).extractall(task)
    sdk = tmp_path / "runtime"
    sdk.mkdir()
    import boto3

    site = Path(boto3.__file__).resolve().parents[1]
    for name in RUNTIME_SDK:
        (sdk / name).symlink_to(site / name)
    proc = run_python(f"""
        import json, sys
        sys.path[:0] = [{str(task)!r}, {str(sdk)!r}]
        import handler

        # API Gateway HTTP API, payload 2.0, $default stage.
        event = {{"version": "2.0", "routeKey": "$default", "rawPath": "/no-such-page",
                  "rawQueryString": "", "headers": {{"host": "x.example", "accept": "*/*"}},
                  "requestContext": {{"http": {{"method": "GET", "path": "/no-such-page",
                  "sourceIp": "127.0.0.1", "protocol": "HTTP/1.1", "userAgent": "t"}},
                  "stage": "$default", "domainName": "x.example", "requestId": "r1",
                  "accountId": "123456789012", "apiId": "a"}},
                  "isBase64Encoded": False}}
        resp = handler.lambda_handler(event, None)
        assert resp["statusCode"] == 404, resp
        assert resp["headers"]["Content-Type"].startswith("application/json"), resp

        # EventBridge schedule, as the template's rule sends it (aws-cn ARN).
        import functions.workers as workers
        seen = []
        workers.republish_if_dirty = lambda event, context: seen.append(event) or "ok"
        rule = "arn:aws-cn:events:cn-north-1:123456789012:rule/" \\
               "hall-prod-functions.workers.republish_if_dirty"
        tick = {{"detail-type": "Scheduled Event", "source": "aws.events",
                 "resources": [rule], "detail": {{}}}}
        assert handler.lambda_handler(tick, None) == "ok" and seen == [tick]

        # SQS: the worker function's handler is functions.workers.handle_queue itself.
        import importlib
        assert importlib.reload(workers).handle_queue({{"Records": []}}, None) == \\
            {{"batchItemFailures": []}}

        import jwt.algorithms
        assert jwt.algorithms.has_crypto  # the Lambda-platform cryptography wheel loads
        import pywebpush  # the push sender's library and its compiled aiohttp deps load
        assert pywebpush.WebPusher and pywebpush.aiohttp
        assert not [m for m in sys.modules if m.split(".")[0] in {{"pytest", "moto"}}]
    """, cwd=task, flags=["-I", "-S"])
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
