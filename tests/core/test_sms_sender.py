"""The one SMS sender: approved templates and parameters only; SNS in global regions, Aliyun's
SendSms (checked by a loopback stand-in that verifies the signature) in the China regions."""
from __future__ import annotations

import dataclasses
import inspect
import json
import logging

import pytest

from functions.core import aws, clock, pii, sms, sms_aliyun, sms_templates
from functions.core.errors import Unavailable, Unprocessable
from functions.core.store import outbox
from functions.settings import Settings
from tests.core.sms_provider import ACCESS_KEY_ID, ACCESS_KEY_SECRET, Provider
from tests.helpers import ok

PHONES = [f"1990062{n:04d}" for n in range(100)]
KEYS_PARAM = "/hall/local/sms-keys-standin"


@pytest.fixture(scope="module")
def provider():
    stand_in = Provider()
    yield stand_in
    stand_in.stop()


@pytest.fixture
def china(settings, provider):
    """The local stage sending through the domestic provider (the stand-in), its key in SSM."""
    aws.client("ssm", settings).put_parameter(
        Name=KEYS_PARAM, Type="SecureString", Overwrite=True,
        Value=json.dumps({"access_key_id": ACCESS_KEY_ID, "access_key_secret": ACCESS_KEY_SECRET}))
    sms_aliyun.forget()
    provider.mode = "ok"
    yield dataclasses.replace(settings, sms_provider="aliyun", sms_endpoint=provider.url,
                              sms_keys_param=KEYS_PARAM)
    provider.mode = "ok"
    sms_aliyun.forget()


def send(settings, phone, template="login_code", params=None):
    return sms.send(settings, phone=phone, phone_hash=pii.keyed_hash(settings, "phone", phone),
                    template=template, params={"code": "482913", "minutes": "5"}
                    if params is None else params, at=clock.iso())


def texts(settings, phone):
    return [m["text"] for m in outbox(settings, pii.keyed_hash(settings, "phone", phone))]


# ---- the domestic provider -----------------------------------------------------------------

def test_a_template_goes_out_signed_with_its_code_and_parameters(china, provider):
    got = send(china, PHONES[0])
    assert got["status"] == "sent" and got["channel"] == "sms" and got["provider"] == "aliyun"
    assert got["template"] == "login_code" and got["message_id"].endswith("^0")
    form = provider.requests[-1]
    assert form["PhoneNumbers"] == PHONES[0]  # 11 digits, as the provider takes them
    assert form["TemplateCode"] == sms_templates.get("login_code").code("aliyun")
    assert form["SignName"] == "梅州网上办事大厅"
    assert json.loads(form["TemplateParam"]) == {"code": "482913", "minutes": "5"}
    assert form["OutId"] == got["out_id"]
    assert "482913" not in json.dumps({k: v for k, v in form.items() if k != "TemplateParam"})
    # The local stage keeps the text the phone shows, as it did before templates.
    assert texts(china, PHONES[0])[0] == (
        "【梅州网上办事大厅】登录验证码482913，5分钟内有效。请勿告诉他人。")


def test_spaces_stars_and_tildes_are_encoded_as_the_signature_wants(china, provider):
    # quote() and the documented recipe (form-encode, then fix + * ~) differ exactly here.
    title = "供水 管网*检修~通知(3)"
    assert send(china, PHONES[15], "announcement", {"title": title, "check": "7K2M"})[
        "status"] == "sent"
    assert json.loads(provider.requests[-1]["TemplateParam"])["title"] == title


def test_the_stand_in_refuses_a_signature_made_with_another_secret(china, provider):
    aws.client("ssm", china).put_parameter(
        Name=KEYS_PARAM + "-wrong", Type="SecureString", Overwrite=True,
        Value=json.dumps({"access_key_id": ACCESS_KEY_ID, "access_key_secret": "not-the-secret"}))
    before = len(provider.requests)
    with pytest.raises(sms.SmsMisconfigured) as err:
        send(dataclasses.replace(china, sms_keys_param=KEYS_PARAM + "-wrong"), PHONES[1])
    assert err.value.outcome["reason"] == "SignatureDoesNotMatch"
    assert len(provider.requests) == before  # refused before the business checks
    assert texts(china, PHONES[1]) == []


def test_throttled_is_a_retry_later(china, provider):
    provider.mode = "throttled"
    with pytest.raises(sms.SmsThrottled) as err:
        send(china, PHONES[2])
    assert isinstance(err.value, Unavailable) and err.value.status == 503
    assert err.value.headers["Retry-After"] == "60"
    assert err.value.outcome == {"channel": "sms", "provider": "aliyun", "template": "login_code",
                                 "status": "throttled", "reason": "isv.BUSINESS_LIMIT_CONTROL"}
    assert texts(china, PHONES[2]) == []


def test_an_invalid_number_is_rejected_not_retried(china, provider):
    provider.mode = "invalid_number"
    got = send(china, PHONES[3])
    assert got["status"] == "rejected" and got["reason"] == "isv.MOBILE_NUMBER_ILLEGAL"
    assert texts(china, PHONES[3]) == []


def test_a_template_not_approved_is_a_loud_configuration_error(china, provider, hall_caplog):
    caplog = hall_caplog
    provider.mode = "unapproved"
    with caplog.at_level(logging.ERROR, logger="hall.sms"), \
            pytest.raises(sms.SmsMisconfigured) as err:
        send(china, PHONES[4], "counter_receipt",
             {"matter": "食品经营许可", "number": "MZ20261201000001", "query_code": "K7PQ2XMA"})
    assert err.value.status == 503 and err.value.outcome["status"] == "failed"
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert errors and errors[0].reason == "isv.SMS_TEMPLATE_ILLEGAL"
    assert errors[0].template == "counter_receipt"


def test_a_code_the_provider_never_approved_is_refused_by_it(china, provider):
    real = provider.approved.pop(sms_templates.get("announcement").code("aliyun"))
    try:
        with pytest.raises(sms.SmsMisconfigured) as err:
            send(china, PHONES[5], "announcement", {"title": "供水管网检修", "check": "7K2M"})
        assert err.value.outcome["reason"] == "isv.SMS_TEMPLATE_ILLEGAL"
    finally:
        provider.approved[sms_templates.get("announcement").code("aliyun")] = real


def test_a_deployed_stage_refuses_placeholder_codes_before_any_request(china, provider):
    before = len(provider.requests)
    with pytest.raises(sms.SmsMisconfigured) as err:
        send(dataclasses.replace(china, stage="prod"), PHONES[6])
    assert err.value.outcome["reason"] == "no approved template code"
    assert len(provider.requests) == before


def test_a_missing_key_or_an_unreachable_provider(china):
    with pytest.raises(sms.SmsMisconfigured):
        send(dataclasses.replace(china, sms_keys_param="/hall/local/no-such-sms-keys"), PHONES[7])
    with pytest.raises(sms.SmsThrottled):  # nothing listens on port 9
        send(dataclasses.replace(china, sms_endpoint="http://127.0.0.1:9/"), PHONES[7])


def test_a_code_request_answers_503_with_retry_after_when_throttled(china, provider):
    from functions.app import create_app

    app = create_app(china)
    app.config["TESTING"] = True
    provider.mode = "throttled"
    resp = app.test_client().post("/api/v1/auth/codes",
                                  json={"phone": PHONES[8], "purpose": "register"})
    body = ok(resp, 503)
    assert body["error"]["code"] == "unavailable" and resp.headers["Retry-After"] == "60"
    provider.mode = "ok"
    ok(app.test_client().post("/api/v1/auth/codes",
                              json={"phone": PHONES[9], "purpose": "register"}), 202)
    assert json.loads(provider.requests[-1]["TemplateParam"])["minutes"] == "5"
    assert texts(china, PHONES[9])[0].startswith("【梅州网上办事大厅】验证码")


def test_a_counter_receipt_goes_out_by_template_and_a_busy_provider_never_fails_intake(
        china, provider, token, hall_caplog):
    caplog = hall_caplog
    from functions.app import create_app
    from tests.intake.factories import CARD, CARD_FORM, person

    client = create_app(china).test_client()
    counter = token("officer", department="RSJ", region="441400", subject="rsj-counter")
    person(china, phone=PHONES[20])
    app = ok(client.post("/api/v1/officer/applications", headers=counter, json={
        "matter": CARD, "applicant_phone": PHONES[20], "form": CARD_FORM}), 201)
    form = provider.requests[-1]
    assert form["SignName"] == "梅州市政务服务" and form["PhoneNumbers"] == PHONES[20]
    assert json.loads(form["TemplateParam"]) == {
        "matter": "社会保障卡申领", "number": app["id"],
        "query_code": app["receipt"]["query_code"]}
    provider.mode = "throttled"
    person(china, phone=PHONES[21])
    with caplog.at_level(logging.WARNING, logger="hall"):
        ok(client.post("/api/v1/officer/applications", headers=counter, json={
            "matter": CARD, "applicant_phone": PHONES[21], "form": CARD_FORM}), 201)
    assert texts(china, PHONES[21]) == []
    assert "receipt sms failed" in [r.getMessage() for r in caplog.records]


def test_the_secret_is_never_logged_and_phones_are_masked(china, provider):
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(record)

    # Ours and our HTTP client's, at DEBUG. (botocore's DEBUG prints every SSM answer, any
    # secret included: it is never on outside a developer's shell.)
    keep = Keep(level=logging.DEBUG)
    loggers = [logging.getLogger("hall"), logging.getLogger("urllib3")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.addHandler(keep)
        lg.setLevel(logging.DEBUG)
    try:
        send(china, PHONES[10])
        provider.mode = "throttled"
        with pytest.raises(sms.SmsThrottled):
            send(china, PHONES[10])
        provider.mode = "unapproved"
        with pytest.raises(sms.SmsMisconfigured):
            send(china, PHONES[10])
    finally:
        for lg, level in zip(loggers, levels, strict=True):
            lg.removeHandler(keep)
            lg.setLevel(level)
    assert any(r.name == "hall.sms" for r in records)
    for record in records:
        raw = record.getMessage() + repr(record.__dict__)
        assert ACCESS_KEY_SECRET not in raw and "482913" not in raw
        assert PHONES[10] not in raw  # masked before it is logged, not only by the formatter
    assert any(getattr(r, "phone", "") == "199****0010" for r in records)


# ---- templates and parameters: no free text -------------------------------------------------

def test_there_is_no_way_to_send_free_text(settings):
    assert list(inspect.signature(sms.send).parameters) == [  # out_id: an idempotency key
        "settings", "phone", "phone_hash", "template", "params", "at", "out_id"]
    with pytest.raises(TypeError):
        sms.send(settings, phone=PHONES[11], phone_hash="x", text="任意内容", at=clock.iso())
    with pytest.raises(sms.SmsParamError) as err:
        send(settings, PHONES[11], "free_text", {"text": "任意内容"})
    assert err.value.details["fields"] == {"template": ["no such approved template"]}
    assert texts(settings, PHONES[11]) == []


@pytest.mark.parametrize("title", [
    "详见 https://mz.example.cn/a", "http:/x", "打开www.meizhou-gov.top", "登录 mzgov.cn 查看",
    "访问 10.1.2.3", "第一行\n第二行", "【梅州市政务服务】假冒", "超长" * 11, "",
])
def test_parameters_with_links_or_beyond_their_limits_are_422(china, provider, title):
    before = len(provider.requests)
    with pytest.raises(sms.SmsParamError) as err:
        send(china, PHONES[12], "announcement", {"title": title, "check": "7K2M"})
    assert isinstance(err.value, Unprocessable) and err.value.status == 422
    assert err.value.field == "title" and err.value.details["template"] == "announcement"
    assert len(provider.requests) == before  # refused here, never sent


@pytest.mark.parametrize(("params", "field"), [
    ({"code": "48291a", "minutes": "5"}, "code"), ({"code": "4829130", "minutes": "5"}, "code"),
    ({"code": "482913"}, "minutes"), ({"code": "482913", "minutes": "5", "url": "x"}, "url"),
    ({"code": ["482913"], "minutes": "5"}, "code"),
])
def test_digits_are_digits_and_the_parameters_are_exactly_the_templates(settings, params, field):
    with pytest.raises(sms.SmsParamError) as err:
        send(settings, PHONES[13], "login_code", params)
    assert err.value.field == field


def test_dates_and_clipped_names(settings):
    tpl = sms_templates.get("licence_expiry")
    with pytest.raises(sms.SmsParamError):
        sms_templates.checked(tpl, {"licence": "食品经营许可证", "date": "2026-02-30",
                                    "check": "7K2M"})
    long_name = "第二类、第三类非药品类易制毒化学品生产经营备案凭证（含变更、延续及注销登记）"
    values = sms_templates.checked(tpl, {"licence": long_name, "date": "2026-12-31",
                                         "check": "7K2M"})
    assert len(values["licence"]) == 35 and values["licence"].endswith("…")


def test_every_template_is_complete_and_renders_only_its_approved_text():
    all_templates = sms_templates.templates()
    assert {"account_code", "login_code", "recovery_code", "staff_2fa", "counter_receipt",
            "application_status", "licence_expiry", "deadline_reminder",
            "announcement"} <= set(all_templates)
    for tpl in all_templates.values():
        assert tpl.code("aliyun"), tpl.id
        assert tpl.sign in ("梅州网上办事大厅", "梅州市政务服务")
        for p in tpl.params:
            assert p.kind in sms_templates.KINDS and p.max <= 35
        assert "http" not in tpl.zh and "www" not in tpl.zh  # no links in any message
    with pytest.raises(ValueError, match="slots"):
        sms_templates._template({"id": "bad", "sign": "s", "zh": "{a}{b}", "codes": {},
                                 "params": [{"name": "a", "kind": "text", "max": 5}],
                                 "urgent": False, "legal": False})


# ---- SNS, and which sender a region gets -----------------------------------------------------

def test_sns_publishes_the_rendered_text_in_global_regions(settings):
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.sns.models import sns_backends

    assert settings.sms_provider == "sns"
    got = send(settings, PHONES[14], "recovery_code")
    assert got["status"] == "sent" and got["provider"] == "sns"
    sent = sns_backends[DEFAULT_ACCOUNT_ID][settings.region].sms_messages[got["message_id"]]
    assert sent == (f"+86{PHONES[14]}",
                    "【梅州网上办事大厅】您正在重置密码，验证码482913，5分钟内有效。如非本人操作，请忽略。")
    assert texts(settings, PHONES[14])[0] == sent[1]


def test_china_regions_default_to_the_domestic_provider_and_refuse_sns():
    for region in ("cn-north-1", "cn-northwest-1"):
        assert Settings.from_env({"AWS_REGION": region}).sms_provider == "aliyun"
        with pytest.raises(RuntimeError, match="SNS sends no SMS"):
            Settings.from_env({"AWS_REGION": region, "HALL_SMS_PROVIDER": "sns"})
        deployed = Settings.from_env({"AWS_REGION": region, "HALL_STAGE": "prod",
                                      "AWS_LAMBDA_FUNCTION_NAME": "hall-prod-api"})
        assert deployed.sms_provider == "aliyun"
        assert deployed.sms_keys_param == "/hall/prod/sms-keys"
    assert Settings.from_env({"AWS_REGION": "ap-east-1"}).sms_provider == "sns"
    with pytest.raises(RuntimeError, match="HALL_SMS_PROVIDER"):
        Settings.from_env({"HALL_SMS_PROVIDER": "tencent"})
    with pytest.raises(RuntimeError, match="local"):  # only the local stage points elsewhere
        Settings.from_env({"HALL_STAGE": "prod", "HALL_SMS_ENDPOINT": "http://127.0.0.1:1/"})


def test_deployed_stages_name_a_provider_their_region_accepts():
    from tests.helpers import ROOT

    stages = json.loads((ROOT / "zappa_settings.json").read_text(encoding="utf-8"))
    for name, stage in stages.items():
        region = stage.get("aws_region", stages.get(stage.get("extends"), {}).get("aws_region"))
        env = stage.get("aws_environment_variables") or {}
        if not region or not env:
            continue
        got = Settings.from_env({**env, "AWS_REGION": region,
                                 "AWS_LAMBDA_FUNCTION_NAME": f"hall-{name}-api"})
        assert env["HALL_SMS_PROVIDER"] == got.sms_provider == (
            "aliyun" if region.startswith("cn-") else "sns"), name
    template = (ROOT / "infra" / "template.yaml").read_text(encoding="utf-8")
    assert template.count("HALL_SMS_PROVIDER: !If [IsChina, aliyun, sns]") == 2  # both functions
