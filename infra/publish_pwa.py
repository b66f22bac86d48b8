"""Publish the PWA to a deployed stage: its site bucket, then the CDN's copies of what changed.

    python -m infra.publish_pwa --stage prod --region cn-north-1 [--stack hall-prod]
    make publish STAGE=prod REGION=cn-north-1

Reads the stack's outputs (SiteBucket, MaterialsBucket, DistributionId), uploads every file of
pwa/ with its Content-Type and Cache-Control (the pages, the worker and the manifest
revalidate; versioned assets are immutable for a year), index.html with its <meta> policy
naming this stage's materials bucket (infra/site.py), and invalidates the changed files that
are not immutable. What goes where is `site_files()` of pwa/tools/stamp.py: versioned assets
under v/<version>/, older versions kept for pages opened before this deployment. Unchanged
objects are left alone, so a rerun uploads and invalidates nothing (after a run whose
invalidation failed, rerun with --invalidate-all: the uploads are done already).
"""
from __future__ import annotations

import argparse
import hashlib
import importlib.util
import mimetypes
import os
import time
from pathlib import Path

from infra import site

ROOT = Path(__file__).resolve().parent.parent
PWA = ROOT / "pwa"
REVALIDATE = "no-cache"
IMMUTABLE = "public, max-age=31536000, immutable"
SHORT = "public, max-age=300"
FIXED = ("index.html", "offline.html", "sw.js", "manifest.webmanifest")
mimetypes.add_type("application/manifest+json", ".webmanifest")
mimetypes.add_type("text/javascript", ".js")


def _stamp(root: Path):
    spec = importlib.util.spec_from_file_location("hall_stamp", root / "tools" / "stamp.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def site_files(root: Path = PWA) -> list[tuple[str, Path, str]]:
    """(key, file, Cache-Control) for every file of the site, refusing a stale stamp."""
    stamp = _stamp(root)
    sw = (root / "sw.js").read_text("utf-8")
    if stamp.recorded_version(sw) != stamp.content_version(sw, root):
        raise SystemExit("pwa/sw.js's VERSION is stale: run python pwa/tools/stamp.py first")
    if hasattr(stamp, "site_files"):
        return stamp.site_files(root)
    # Hook for a stamp.py without site_files(): every file at its plain path.
    return [(p.relative_to(root).as_posix(), p, REVALIDATE if p.name in FIXED else SHORT)
            for p in sorted(root.rglob("*"))
            if p.is_file() and "tools" not in p.relative_to(root).parts]


def content_type(path: Path) -> str:
    ctype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if ctype.startswith("text/") or ctype.endswith(("json", "javascript", "svg+xml")):
        ctype += "; charset=utf-8"
    return ctype


def _order(item: tuple[str, Path, str]) -> tuple[int, str]:
    """Assets before the pages that name them; the worker, which precaches them, last."""
    key, _, cache = item
    return (3 if key == "sw.js" else 2 if cache == REVALIDATE else 0 if cache == IMMUTABLE
            else 1, key)


def stack_outputs(cfn, stack: str) -> dict[str, str]:
    found = cfn.describe_stacks(StackName=stack)["Stacks"][0]
    return {o["OutputKey"]: o["OutputValue"] for o in found.get("Outputs", [])}


def publish(*, stage: str, region: str, stack: str | None = None,
            distribution: str | None = None, endpoint: str | None = None,
            root: Path = PWA, invalidate_all: bool = False, say=print) -> dict:
    """Upload the site of `root` to the stage's bucket; invalidate what changed (everything
    that is not immutable with `invalidate_all`, after a run whose invalidation failed).

    `endpoint` is for tests against an emulator: a stage is always named, never `local`."""
    import boto3

    if not stage or stage == "local":
        raise SystemExit("publish needs the deployed stage it is for (--stage dev|prod|...); "
                         "the local stage serves pwa/ itself")
    stack = stack or f"hall-{stage}"

    def client(service):
        return boto3.client(service, region_name=region, endpoint_url=endpoint)

    outputs = stack_outputs(client("cloudformation"), stack)
    bucket, materials = outputs["SiteBucket"], outputs["MaterialsBucket"]
    if not bucket.startswith(f"hall-{stage}-"):
        raise SystemExit(f"stack {stack} is not stage {stage} (its site bucket is {bucket})")
    origin = site.materials_origin(materials, region)
    s3 = client("s3")
    uploaded, unchanged, changes = [], 0, hashlib.sha256()
    files = sorted(site_files(root), key=_order)
    for key, path, cache in files:
        body = path.read_bytes()
        if key == "index.html":
            body = site.with_meta_csp(body, origin)
        ctype = content_type(path)
        if _same(s3, bucket, key, body, ctype, cache):
            unchanged += 1
            continue
        s3.put_object(Bucket=bucket, Key=key, Body=body, ContentType=ctype, CacheControl=cache)
        uploaded.append((key, cache))
        changes.update(f"{key} {hashlib.md5(body).hexdigest()}\n".encode())
    fresh = files if invalidate_all else uploaded
    paths = sorted({"/" + item[0] for item in fresh if item[-1] != IMMUTABLE})
    if "/index.html" in paths:
        paths.insert(0, "/")
    distribution = distribution or outputs.get("DistributionId")
    invalidation = None
    if paths and distribution:
        items = paths if len(paths) <= 100 else ["/*"]
        changes.update("\n".join(items).encode())
        if invalidate_all:  # asked for again: a new invalidation, not the last one's twin
            changes.update(str(time.time_ns()).encode())
        ref = changes.hexdigest()[:32]  # this content and these paths: one invalidation
        invalidation = client("cloudfront").create_invalidation(
            DistributionId=distribution, InvalidationBatch={
                "Paths": {"Quantity": len(items), "Items": items}, "CallerReference": ref},
        )["Invalidation"]["Id"]
    elif paths:
        say(f"stack {stack} has no CDN (no DistributionId): nothing to invalidate")
    say(f"{bucket}: {len(uploaded)} uploaded, {unchanged} unchanged; materials from {origin}; "
        f"invalidated {len(paths)} path(s)" + (f" ({invalidation})" if invalidation else ""))
    return {"bucket": bucket, "origin": origin, "uploaded": uploaded, "unchanged": unchanged,
            "paths": paths, "invalidation": invalidation}


def _same(s3, bucket: str, key: str, body: bytes, ctype: str, cache: str) -> bool:
    from botocore.exceptions import ClientError

    try:
        head = s3.head_object(Bucket=bucket, Key=key)
    except ClientError as err:
        if err.response["Error"]["Code"] in ("404", "NoSuchKey", "NotFound"):
            return False
        raise
    # A single PUT with SSE-S3 has the MD5 of the body as its ETag.
    return (head["ETag"].strip('"') == hashlib.md5(body).hexdigest()
            and head.get("ContentType") == ctype and head.get("CacheControl") == cache)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m infra.publish_pwa")
    parser.add_argument("--stage", required=True, help="the deployed stage (not local)")
    parser.add_argument("--region", default=os.environ.get("AWS_REGION")
                        or os.environ.get("AWS_DEFAULT_REGION"), required=False)
    parser.add_argument("--stack", help="the stack's name (default hall-<stage>)")
    parser.add_argument("--invalidate-all", action="store_true",
                        help="invalidate every file that is not immutable, changed or not")
    args = parser.parse_args(argv)
    if not args.region:
        parser.error("--region (or AWS_REGION) names where the stage's stack is")
    publish(stage=args.stage, region=args.region, stack=args.stack,
            invalidate_all=args.invalidate_all)


if __name__ == "__main__":
    main()
