"""infra/publish_pwa.py on the emulator: types, cache headers, the meta CSP, idempotent reruns."""
from __future__ import annotations

import importlib.util
import os
import re
import shutil
from pathlib import Path

import boto3
import pytest

from infra import publish_pwa, site

REPO = Path(__file__).resolve().parents[2]
REGION = "ap-east-1"
YEAR = "public, max-age=31536000, immutable"


def _stamp_module():
    spec = importlib.util.spec_from_file_location("stamp_for_test", REPO / "pwa/tools/stamp.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


STAMP = _stamp_module()
# Until pwa/tools/stamp.py lists versioned paths (site_files), files go at their plain paths.
VERSIONED = hasattr(STAMP, "site_files")


def stamp(root: Path) -> str:
    """What `python pwa/tools/stamp.py` does to pwa/, done to a copy."""
    sw = root / "sw.js"
    want = STAMP.content_version(sw.read_text("utf-8"), root)
    sw.write_text(STAMP.VERSION_LINE.sub(f"const VERSION = '{want}';", sw.read_text("utf-8"),
                                         count=1), encoding="utf-8")
    for name in getattr(STAMP, "HTML", ()):
        page = root / name
        page.write_text(STAMP.VERSIONED.sub(f"/v/{want}/", page.read_text("utf-8")), "utf-8")
    return want


@pytest.fixture(scope="module")
def emulator():
    from moto.server import ThreadedMotoServer

    saved = {k: os.environ.get(k) for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")}
    os.environ["AWS_ACCESS_KEY_ID"] = os.environ["AWS_SECRET_ACCESS_KEY"] = "testing"
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    cfn = boto3.client("cloudformation", endpoint_url=endpoint, region_name=REGION)
    cfn.create_stack(StackName="hall-pub", TemplateBody=(REPO / "infra/template.yaml").read_text(),
                     Parameters=[{"ParameterKey": "Stage", "ParameterValue": "pub"}])
    # moto's CloudFormation has no CloudFront: the distribution is made through its API.
    cf = boto3.client("cloudfront", endpoint_url=endpoint, region_name="us-east-1")
    dist = cf.create_distribution(DistributionConfig={
        "CallerReference": "hall-pub", "Comment": "", "Enabled": True,
        "Origins": {"Quantity": 1, "Items": [{
            "Id": "site", "DomainName": "hall-pub-site-123456789012.s3.amazonaws.com",
            "S3OriginConfig": {"OriginAccessIdentity": ""}}]},
        "DefaultCacheBehavior": {"TargetOriginId": "site", "ViewerProtocolPolicy":
                                 "redirect-to-https", "MinTTL": 0,
                                 "ForwardedValues": {"QueryString": False,
                                                     "Cookies": {"Forward": "none"}}}},
    )["Distribution"]["Id"]
    try:
        yield endpoint, dist
    finally:
        server.stop()
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@pytest.fixture
def pwa(tmp_path):
    root = tmp_path / "pwa"
    shutil.copytree(REPO / "pwa", root)
    stamp(root)
    return root


def run(emulator, root, **kw):
    endpoint, dist = emulator
    return publish_pwa.publish(stage="pub", region=REGION, endpoint=endpoint, distribution=dist,
                               root=root, say=lambda *_: None, **kw)


def invalidations(emulator) -> list[dict]:
    endpoint, dist = emulator
    cf = boto3.client("cloudfront", endpoint_url=endpoint, region_name="us-east-1")
    listed = cf.list_invalidations(DistributionId=dist)["InvalidationList"].get("Items", [])
    return [cf.get_invalidation(DistributionId=dist, Id=i["Id"])["Invalidation"] for i in listed]


def test_a_publish_lands_with_types_cache_headers_and_the_stages_bucket_in_the_csp(emulator, pwa):
    endpoint, _ = emulator
    report = run(emulator, pwa)
    s3 = boto3.client("s3", endpoint_url=endpoint, region_name=REGION)
    bucket = report["bucket"]
    assert bucket == "hall-pub-site-123456789012"
    files = publish_pwa.site_files(pwa)
    keys = {o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]}
    assert keys == {key for key, _, _ in files}
    version = STAMP.recorded_version((pwa / "sw.js").read_text("utf-8"))

    def head(key):
        got = s3.head_object(Bucket=bucket, Key=key)
        return got["ContentType"], got["CacheControl"]

    assert head("index.html") == ("text/html; charset=utf-8", "no-cache")
    assert head("sw.js") == ("text/javascript; charset=utf-8", "no-cache")
    assert head("offline.html") == ("text/html; charset=utf-8", "no-cache")
    assert head("manifest.webmanifest") == ("application/manifest+json; charset=utf-8",
                                            "no-cache")
    for key, path, cache in files:
        assert head(key) == (publish_pwa.content_type(path), cache), key
    assert head("css/app.css")[0] == "text/css; charset=utf-8"
    assert head("icons/" + next((pwa / "icons").glob("*.png")).name)[0] == "image/png"
    immutable = {k for k, _, cache in files if cache == YEAR}
    if VERSIONED:
        assert immutable == {k for k in keys if k.startswith(f"v/{version}/")}
        assert f"v/{version}/js/app.js" in immutable and f"v/{version}/css/app.css" in immutable
        assert head(f"v/{version}/js/app.js")[0] == "text/javascript; charset=utf-8"
    else:
        assert head("js/app.js") == ("text/javascript; charset=utf-8", "public, max-age=300")
    # The page's policy names this stage's materials bucket at its regional host, and no other.
    page = s3.get_object(Bucket=bucket, Key="index.html")["Body"].read().decode()
    origin = "https://hall-pub-materials-123456789012.s3.ap-east-1.amazonaws.com"
    assert report["origin"] == origin
    assert site.meta_csp(page) == site.csp(origin, meta=True)
    assert not re.search(r"127\.0\.0\.1|localhost|\*", site.meta_csp(page))
    assert page == site.with_meta_csp((pwa / "index.html").read_bytes(), origin).decode()
    # The CDN forgets the pages and the worker; immutable assets need no invalidation.
    last = invalidations(emulator)[0]["InvalidationBatch"]["Paths"]["Items"]
    assert {"/", "/index.html", "/sw.js", "/offline.html", "/manifest.webmanifest"} <= set(last)
    assert not [p for p in last if p.startswith("/v/")]


def test_a_rerun_uploads_and_invalidates_nothing_and_a_change_only_itself(emulator, pwa):
    run(emulator, pwa)
    before = len(invalidations(emulator))
    again = run(emulator, pwa)
    assert again["uploaded"] == [] and again["invalidation"] is None and again["paths"] == []
    assert len(invalidations(emulator)) == before
    old = STAMP.recorded_version((pwa / "sw.js").read_text("utf-8"))
    css = pwa / "css" / "app.css"
    css.write_text(css.read_text("utf-8") + "\n/* a fix */\n", "utf-8")
    new = stamp(pwa)
    changed = run(emulator, pwa)
    keys = {k for k, _ in changed["uploaded"]}
    assert "css/app.css" in keys and "sw.js" in keys
    assert not [k for k in keys if k.startswith("icons/")] and "favicon.svg" not in keys
    assert "/css/app.css" in changed["paths"] and "/sw.js" in changed["paths"]
    if VERSIONED:
        assert f"v/{new}/css/app.css" in keys and "index.html" in keys
        # Pages opened before this deployment still find their own version's modules.
        endpoint, _ = emulator
        s3 = boto3.client("s3", endpoint_url=endpoint, region_name=REGION)
        assert s3.head_object(Bucket=changed["bucket"], Key=f"v/{old}/js/app.js")
    assert len(invalidations(emulator)) == before + 1
    forced = run(emulator, pwa, invalidate_all=True)
    assert forced["uploaded"] == [] and "/index.html" in forced["paths"]
    assert len(invalidations(emulator)) == before + 2


@pytest.mark.parametrize("stage", ["", "local"])
def test_a_deployed_stage_must_name_itself(emulator, pwa, stage):
    endpoint, dist = emulator
    with pytest.raises(SystemExit, match="deployed stage"):
        publish_pwa.publish(stage=stage, region=REGION, endpoint=endpoint, root=pwa)
    with pytest.raises(SystemExit):
        publish_pwa.main([])  # --stage is required: there is no default, local or otherwise


def test_another_stages_stack_or_a_stale_stamp_is_refused(emulator, pwa):
    endpoint, _ = emulator
    with pytest.raises(SystemExit, match="is not stage prod"):
        publish_pwa.publish(stage="prod", stack="hall-pub", region=REGION, endpoint=endpoint,
                            root=pwa, say=lambda *_: None)
    (pwa / "offline.html").write_text("changed, not stamped", "utf-8")
    with pytest.raises(SystemExit, match="stale"):
        run(emulator, pwa)
