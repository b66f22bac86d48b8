"""Behind the CDN the API sees its own host: a licence's QR code names the site instead."""
from __future__ import annotations

import dataclasses

from tests.helpers import ok
from tests.licences.factories import citizen_token, issue, make_citizen

SITE = "https://hall.meizhou.gov.cn"


def test_the_qr_code_names_the_site_the_pwa_is_hosted_on(settings, token):
    from functions.app import create_app

    app = create_app(dataclasses.replace(settings, pwa_origin=SITE))
    client = app.test_client()
    holder = make_citizen(settings, "陈晓丰")
    lic = issue(client, token, holder["id"])
    # The request reached the API on its own host (as CloudFront sends it, Host not forwarded).
    full = ok(client.get(f"/api/v1/wallet/{lic['id']}", headers=citizen_token(token, holder),
                         base_url="https://abc123.execute-api.cn-north-1.amazonaws.com.cn"))
    assert full["verify_url"] == f"{SITE}/verify/{lic['id']}"
    assert full["qr_text"].startswith(f"{SITE}/verify/{lic['id']}#")
