"""The PWA's security headers, one definition for the CDN, the local server and the publish step.

The page may load from its own site only; the one place it reaches beyond is the materials
bucket (presigned POST uploads, presigned GET previews in an <img> or a PDF <iframe>). Which
origin that is depends on where the site runs: the bucket's regional S3 endpoint in AWS
(`materials_origin`), the emulator on loopback locally. `pwa/index.html` names only 'self'; the
local server and `infra/publish_pwa.py` write the one materials origin into it (`with_meta_csp`),
and the CloudFront response headers policy in `infra/template.yaml` carries `csp()` of the
template's bucket (a test holds them equal).
"""
from __future__ import annotations

import re

# How the template spells the materials bucket's regional origin, by the bucket's name (a Ref
# would make a cycle: the bucket's CORS names the distribution). CloudFormation cannot call
# Python: tests/infra/test_template.py checks the policy against csp() of this string.
TEMPLATE_MATERIALS_ORIGIN = ("https://hall-${Stage}-materials-${AWS::AccountId}"
                             ".s3.${AWS::Region}.${AWS::URLSuffix}")

HSTS_SECONDS = 63072000  # two years (browsers' preload list asks for one at least)
REFERRER = "strict-origin-when-cross-origin"

_ORIGIN = re.compile(r"^(https://[a-z0-9.-]+|http://(127\.0\.0\.1|localhost)(:\d{1,5})?"
                     r"|" + re.escape(TEMPLATE_MATERIALS_ORIGIN) + ")$")
_META = re.compile(r'(<meta http-equiv="Content-Security-Policy" content=")([^"]*)(">)')


def materials_origin(bucket: str, region: str) -> str:
    """The bucket's regional virtual-hosted origin, which the functions' S3 client presigns
    against (functions/core/aws.py); China's regions are under amazonaws.com.cn."""
    suffix = "amazonaws.com.cn" if region.startswith("cn-") else "amazonaws.com"
    return f"https://{bucket}.s3.{region}.{suffix}"


def _checked(origin: str) -> str:
    """One exact origin: no wildcard, no path, plain http only on loopback (the emulator)."""
    if origin and not _ORIGIN.match(origin):
        raise ValueError(f"not one exact origin: {origin!r}")
    return origin


def csp(materials: str = "", *, meta: bool = False) -> str:
    """The policy. `meta`: for the <meta> element, which browsers ignore frame-ancestors in
    (the header says it; X-Frame-Options too)."""
    m = _checked(materials)
    parts = [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        " ".join(filter(None, ("img-src 'self' data:", m))),
        "frame-src " + (m or "'none'"),
        " ".join(filter(None, ("connect-src 'self'", m))),
        "font-src 'none'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "manifest-src 'self'",
        "worker-src 'self'",
    ]
    if not meta:
        parts.append("frame-ancestors 'none'")
    return "; ".join(parts)


def headers(materials: str = "", *, https: bool = False) -> list[tuple[str, str]]:
    """The PWA's response headers, as the CDN sends them (HSTS only over HTTPS)."""
    out = [("Content-Security-Policy", csp(materials)),
           ("X-Content-Type-Options", "nosniff"),
           ("X-Frame-Options", "DENY"),
           ("Referrer-Policy", REFERRER)]
    if https:
        out.append(("Strict-Transport-Security", f"max-age={HSTS_SECONDS}; includeSubDomains"))
    return out


def meta_csp(html: str) -> str:
    """The policy the page's <meta> element carries."""
    found = _META.findall(html)
    if len(found) != 1:
        raise ValueError(f"expected one CSP <meta> element, found {len(found)}")
    return found[0][1]


def with_meta_csp(html: bytes, materials: str) -> bytes:
    """The page with its <meta> policy naming this site's materials origin."""
    text = html.decode("utf-8")
    meta_csp(text)  # exactly one, or refuse
    return _META.sub(lambda g: g.group(1) + csp(materials, meta=True) + g.group(3), text,
                     count=1).encode("utf-8")
