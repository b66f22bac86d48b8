"""infra/template.yaml: lint-clean in global and China regions, safe defaults, deploys on moto."""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

import boto3
import pytest
import yaml

TEMPLATE = Path(__file__).resolve().parents[2] / "infra" / "template.yaml"
REGIONS = ["us-east-1", "ap-east-1", "cn-north-1", "cn-northwest-1"]
BUCKETS = ["CatalogueBucket", "MaterialsBucket", "ExportsBucket", "SiteBucket"]


class CfnLoader(yaml.SafeLoader):
    """SafeLoader that reads CloudFormation short tags (!Ref, !Sub, ...) as their long form."""


def _cfn_tag(loader: CfnLoader, suffix: str, node: yaml.Node) -> dict:
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    if suffix == "Ref":
        return {"Ref": value}
    if suffix == "Condition":
        return {"Condition": value}
    if suffix == "GetAtt" and isinstance(value, str):
        value = value.split(".", 1)
    return {f"Fn::{suffix}": value}


CfnLoader.add_multi_constructor("!", _cfn_tag)


@pytest.fixture(scope="module")
def template() -> dict:
    return yaml.load(TEMPLATE.read_text(encoding="utf-8"), Loader=CfnLoader)


def _resources(template: dict, kind: str) -> dict:
    return {k: r for k, r in template["Resources"].items() if r["Type"] == kind}


def _strings(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for k, v in node.items():
            yield k
            yield from _strings(v)
    elif isinstance(node, list):
        for v in node:
            yield from _strings(v)


def test_cfn_lint_is_clean_in_global_and_china_regions():
    from cfnlint.api import ManualArgs, lint

    matches = lint(
        TEMPLATE.read_text(encoding="utf-8"),
        config=ManualArgs(regions=REGIONS, include_checks=["I"]),
    )
    assert [str(m) for m in matches] == []


def test_table_keys_indexes_and_protection(template):
    table = template["Resources"]["MainTable"]
    props = table["Properties"]
    assert table["DeletionPolicy"] == table["UpdateReplacePolicy"] == "Retain"
    assert props["BillingMode"] == "PAY_PER_REQUEST"
    assert props["KeySchema"] == [
        {"AttributeName": "pk", "KeyType": "HASH"},
        {"AttributeName": "sk", "KeyType": "RANGE"},
    ]
    gsis = {g["IndexName"]: g for g in props["GlobalSecondaryIndexes"]}
    assert set(gsis) == {"GSI1", "GSI2"}
    for n in (1, 2):
        gsi = gsis[f"GSI{n}"]
        assert [k["AttributeName"] for k in gsi["KeySchema"]] == [f"gsi{n}pk", f"gsi{n}sk"]
        assert gsi["Projection"] == {"ProjectionType": "ALL"}
    assert all(a["AttributeType"] == "S" for a in props["AttributeDefinitions"])
    assert props["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert props["SSESpecification"]["SSEEnabled"] is True
    assert props["TimeToLiveSpecification"] == {"AttributeName": "ttl", "Enabled": True}


def test_every_bucket_is_versioned_encrypted_private_and_retained(template):
    buckets = _resources(template, "AWS::S3::Bucket")
    assert set(buckets) == set(BUCKETS)
    for name, bucket in buckets.items():
        props = bucket["Properties"]
        assert bucket["DeletionPolicy"] == bucket["UpdateReplacePolicy"] == "Retain", name
        assert props["VersioningConfiguration"] == {"Status": "Enabled"}, name
        sse = props["BucketEncryption"]["ServerSideEncryptionConfiguration"]
        assert sse[0]["ServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256", name
        assert props["PublicAccessBlockConfiguration"] == {
            "BlockPublicAcls": True,
            "BlockPublicPolicy": True,
            "IgnorePublicAcls": True,
            "RestrictPublicBuckets": True,
        }, name
        rules = props["LifecycleConfiguration"]["Rules"]
        assert any(
            r["Status"] == "Enabled" and r["NoncurrentVersionExpiration"]["NoncurrentDays"] == 90
            for r in rules
        ), name
        assert "${AWS::AccountId}" in props["BucketName"]["Fn::Sub"], name


def test_queue_redrives_to_the_dead_letter_queue(template):
    res = template["Resources"]
    queue = res["JobsQueue"]["Properties"]
    assert queue["RedrivePolicy"] == {
        "deadLetterTargetArn": {"Fn::GetAtt": ["DeadLetterQueue", "Arn"]},
        "maxReceiveCount": 5,
    }
    assert queue["SqsManagedSseEnabled"] is True
    dlq = res["DeadLetterQueue"]["Properties"]
    assert dlq["SqsManagedSseEnabled"] is True
    assert dlq["MessageRetentionPeriod"] == 14 * 24 * 3600
    assert dlq["MessageRetentionPeriod"] > queue["MessageRetentionPeriod"]
    # AWS: visibility timeout at least 6x the timeout of the function consuming the queue.
    worker = res["WorkerFunction"]["Properties"]
    assert queue["VisibilityTimeout"] >= 6 * worker["Timeout"]


def test_no_literal_partition_and_constructed_arns_use_the_partition(template):
    strings = list(_strings(template))
    assert not [s for s in strings if "arn:aws:" in s or "arn:aws-cn:" in s]
    arns = [s for s in strings if s.startswith("arn:")]
    assert arns, "expected ARNs built with Fn::Sub"
    assert all(s.startswith("arn:${AWS::Partition}:") for s in arns), arns
    # Hosts too: amazonaws.com.cn in China, so only ${AWS::URLSuffix} may spell them.
    assert not [s for s in strings if re.search(r"\.amazonaws\.com(?!\.cn)\b", s)
                and not s.endswith("amazonaws.com")]


def test_functions_are_conditional_and_run_the_zappa_zip(template):
    res = template["Resources"]
    code = ["AWS::IAM::Role", "AWS::Lambda::Function", "AWS::Lambda::EventSourceMapping",
            "AWS::Lambda::Permission", "AWS::Events::Rule", "AWS::Logs::LogGroup"]
    site = {"SiteOriginAccessControl": "HasGlobalSite", "SiteOriginIdentity": "HasChinaSite"}
    for name, r in res.items():
        if name in site:
            assert r["Condition"] == site[name], name
        elif r["Type"] in code or r["Type"].startswith(("AWS::ApiGatewayV2::",
                                                        "AWS::CloudFront::")):
            assert r.get("Condition") == "HasCode", name
        else:
            assert "Condition" not in r, name
    api, worker = res["ApiFunction"]["Properties"], res["WorkerFunction"]["Properties"]
    assert api["Handler"] == "handler.lambda_handler"
    # Zappa's handler maps SQS records by the ARNs baked into the zip: the worker skips it.
    assert worker["Handler"] == "functions.workers.handle_queue"
    for fn in (api, worker):
        assert fn["Runtime"] == "python3.11"
        assert fn["Code"] == {"S3Bucket": {"Ref": "CodeBucket"}, "S3Key": {"Ref": "CodeKey"}}
        assert set(fn["Environment"]["Variables"]) >= {
            "HALL_STAGE", "HALL_TABLE", "HALL_CATALOGUE_BUCKET", "HALL_MATERIALS_BUCKET",
            "HALL_QUEUE_URL", "HALL_TOPIC_ARN",
        }
    esm = res["JobsEventSource"]["Properties"]
    assert esm["EventSourceArn"] == {"Fn::GetAtt": ["JobsQueue", "Arn"]}
    assert esm["FunctionName"] == {"Ref": "WorkerFunction"}
    rule = res["RepublishSchedule"]["Properties"]
    assert rule["ScheduleExpression"] == "rate(5 minutes)"
    assert rule["Targets"][0]["Arn"] == {"Fn::GetAtt": ["ApiFunction", "Arn"]}
    # Zappa's handler runs the function named by the rule name's last "-"-separated part.
    assert rule["Name"]["Fn::Sub"].rsplit("-", 1)[1] == "functions.workers.republish_if_dirty"
    route = res["HttpApiRoute"]["Properties"]
    assert route["RouteKey"] == "$default"
    assert template["Outputs"]["ApiUrl"]["Condition"] == "HasCode"


def test_policy_is_scoped_to_the_stack_resources(template):
    role = template["Resources"]["FunctionRole"]["Properties"]
    for policy in role["Policies"]:
        for statement in policy["PolicyDocument"]["Statement"]:
            actions = statement["Action"]
            actions = [actions] if isinstance(actions, str) else actions
            assert not [a for a in actions if "*" in a], statement
            resources = statement["Resource"]
            resources = resources if isinstance(resources, list) else [resources]
            if statement["Sid"] == "SmsToPhones":  # SNS authorises direct SMS only on "*"
                assert actions == ["sns:Publish"], statement
                continue
            assert "*" not in resources, statement


# What each S3 call the functions make needs from IAM (head and download read the object).
S3_ACTIONS = {"put_object": "s3:PutObject", "get_object": "s3:GetObject",
              "head_object": "s3:GetObject", "download_file": "s3:GetObject",
              "generate_presigned_post": "s3:PutObject", "generate_presigned_url": "s3:GetObject",
              "delete_object": "s3:DeleteObject", "list_objects_v2": "s3:ListBucket"}


def test_the_role_allows_every_s3_call_the_functions_make(template):
    source = "".join(p.read_text(encoding="utf-8")
                     for p in (TEMPLATE.parents[1] / "functions").rglob("*.py"))
    called = set(re.findall(r"\.(" + "|".join(S3_ACTIONS) + r")\(", source))
    allowed = set()
    for policy in template["Resources"]["FunctionRole"]["Properties"]["Policies"]:
        for statement in policy["PolicyDocument"]["Statement"]:
            actions = statement["Action"]
            allowed |= {actions} if isinstance(actions, str) else set(actions)
    assert "delete_object" in called
    assert {call for call in called if S3_ACTIONS[call] not in allowed} == set()


@pytest.fixture(scope="module")
def moto_endpoint():
    from moto.server import ThreadedMotoServer

    saved = {k: os.environ.get(k) for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")}
    os.environ["AWS_ACCESS_KEY_ID"] = os.environ["AWS_SECRET_ACCESS_KEY"] = "testing"
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def test_deploys_data_resources_on_moto(moto_endpoint):
    def client(service):
        return boto3.client(service, endpoint_url=moto_endpoint, region_name="ap-east-1")

    cf = client("cloudformation")
    cf.create_stack(StackName="hall-test", TemplateBody=TEMPLATE.read_text(encoding="utf-8"),
                    Parameters=[{"ParameterKey": "Stage", "ParameterValue": "test"}])
    stack = cf.describe_stacks(StackName="hall-test")["Stacks"][0]
    assert stack["StackStatus"] == "CREATE_COMPLETE"
    out = {o["OutputKey"]: o["OutputValue"] for o in stack["Outputs"]}
    # No code, no site: the site bucket alone (moto's CloudFormation has no CloudFront).
    assert set(out) == {"TableName", "CatalogueBucket", "MaterialsBucket", "ExportsBucket",
                        "SiteBucket", "QueueUrl", "DeadLetterQueueUrl", "TopicArn"}

    table = client("dynamodb").describe_table(TableName=out["TableName"])["Table"]
    assert out["TableName"] == "hall-test-main"
    assert {g["IndexName"] for g in table["GlobalSecondaryIndexes"]} == {"GSI1", "GSI2"}

    names = {b["Name"] for b in client("s3").list_buckets()["Buckets"]}
    assert {out["CatalogueBucket"], out["MaterialsBucket"], out["ExportsBucket"],
            out["SiteBucket"]} <= names
    assert out["SiteBucket"] == "hall-test-site-123456789012"

    sqs = client("sqs")
    attrs = sqs.get_queue_attributes(QueueUrl=out["QueueUrl"], AttributeNames=["All"])
    dlq_arn = sqs.get_queue_attributes(
        QueueUrl=out["DeadLetterQueueUrl"], AttributeNames=["QueueArn"]
    )["Attributes"]["QueueArn"]
    redrive = json.loads(attrs["Attributes"]["RedrivePolicy"])
    assert redrive["deadLetterTargetArn"] == dlq_arn
    assert int(redrive["maxReceiveCount"]) == 5

    topics = [t["TopicArn"] for t in client("sns").list_topics()["Topics"]]
    assert out["TopicArn"] in topics
    assert out["TopicArn"].endswith(":hall-test-sms")


# ---- the site: PWA bucket, CDN, headers policy, in both partitions ------------------------

CODE = {"CodeBucket": "code", "CodeKey": "hall.zip"}


def _conditions(template: dict, region: str, params: dict) -> dict[str, bool]:
    """The template's conditions for a region and parameter values, as CloudFormation reads
    them (moto resolves AWS::Partition to aws even in cn- regions: this checks the template)."""
    values = {name: p.get("Default", "") for name, p in template["Parameters"].items()}
    values.update(params, **{"AWS::Region": region,
                             "AWS::Partition": "aws-cn" if region.startswith("cn-") else "aws"})
    done: dict[str, bool] = {}

    def ev(node):
        if isinstance(node, dict):
            (fn, arg), = node.items()
            if fn == "Ref":
                return values[arg]
            if fn == "Condition":
                return cond(arg)
            args = [ev(a) for a in arg]
            return {"Fn::Equals": lambda: args[0] == args[1], "Fn::Not": lambda: not args[0],
                    "Fn::And": lambda: all(args), "Fn::Or": lambda: any(args)}[fn]()
        return node

    def cond(name):
        if name not in done:
            done[name] = ev(template["Conditions"][name])
        return done[name]

    return {name: cond(name) for name in template["Conditions"]}


def _resolve(node, conds: dict):
    """A resource's properties with every Fn::If taken and AWS::NoValue dropped."""
    if isinstance(node, dict):
        if set(node) == {"Fn::If"}:
            name, yes, no = node["Fn::If"]
            return _resolve(yes if conds[name] else no, conds)
        out = {k: _resolve(v, conds) for k, v in node.items()}
        return {k: v for k, v in out.items() if v != {"Ref": "AWS::NoValue"}}
    if isinstance(node, list):
        return [v for v in (_resolve(v, conds) for v in node) if v != {"Ref": "AWS::NoValue"}]
    return node


def _created(template: dict, conds: dict) -> dict:
    return {k: _resolve(r, conds) for k, r in template["Resources"].items()
            if conds.get(r.get("Condition", ""), True)}


@pytest.mark.parametrize("region", ["ap-east-1", "us-east-1", "cn-north-1", "cn-northwest-1"])
def test_the_cdn_serves_the_pwa_and_the_api_on_one_site_in_each_partition(template, region):
    china = region.startswith("cn-")
    res = _created(template, _conditions(template, region, CODE))
    config = res["Distribution"]["Properties"]["DistributionConfig"]
    origins = {o["Id"]: o for o in config["Origins"]}
    assert set(origins) == {"site", "api"}
    site = origins["site"]
    assert site["DomainName"] == {"Fn::GetAtt": ["SiteBucket", "RegionalDomainName"]}
    # CloudFront in China has no origin access control: the origin access identity there.
    assert ("SiteOriginAccessControl" in res) is not china
    assert ("SiteOriginIdentity" in res) is china
    if china:
        assert "OriginAccessControlId" not in site
        assert site["S3OriginConfig"]["OriginAccessIdentity"] == {
            "Fn::Sub": "origin-access-identity/cloudfront/${SiteOriginIdentity}"}
    else:
        assert site["OriginAccessControlId"] == {"Fn::GetAtt": ["SiteOriginAccessControl", "Id"]}
        assert site["S3OriginConfig"]["OriginAccessIdentity"] == ""
    assert origins["api"]["CustomOriginConfig"]["OriginProtocolPolicy"] == "https-only"
    assert config["HttpVersion"] == ("http2" if china else "http2and3")
    assert config["DefaultRootObject"] == "index.html"
    # No error page turns a missing file into the shell (it would hide real 404s).
    assert "CustomErrorResponses" not in config
    default = config["DefaultCacheBehavior"]
    assert default["TargetOriginId"] == "site" and default["Compress"] is True
    behaviours = {b["PathPattern"]: b for b in config["CacheBehaviors"]}
    assert set(behaviours) == {"/api/*", "/.well-known/*", "/verify/*"}
    for b in [default, *behaviours.values()]:
        assert b["ViewerProtocolPolicy"] == "redirect-to-https"
    for path, b in behaviours.items():
        assert b["TargetOriginId"] == "api", path
        assert b["CachePolicyId"] == {"Ref": "ApiCachePolicy"}, path
        assert b["OriginRequestPolicyId"] == {"Ref": "ApiOriginRequestPolicy"}, path
    assert "POST" in behaviours["/api/*"]["AllowedMethods"]
    assert behaviours["/verify/*"]["ResponseHeadersPolicyId"] == {"Ref": "SiteHeadersPolicy"}
    assert default["ResponseHeadersPolicyId"] == {"Ref": "SiteHeadersPolicy"}
    # The API: nothing cached, every viewer header, cookie and query string but Host.
    nocache = res["ApiCachePolicy"]["Properties"]["CachePolicyConfig"]
    assert nocache["MaxTTL"] == nocache["DefaultTTL"] == nocache["MinTTL"] == 0
    forward = res["ApiOriginRequestPolicy"]["Properties"]["OriginRequestPolicyConfig"]
    assert forward["HeadersConfig"] == {"HeaderBehavior": "allExcept", "Headers": ["Host"]}
    assert forward["CookiesConfig"] == {"CookieBehavior": "all"}
    assert forward["QueryStringsConfig"] == {"QueryStringBehavior": "all"}
    # /verify/<id>: the API's HTTP API answers it with the shell, through the site.
    route = res["ShellRoute"]["Properties"]
    assert route["RouteKey"] == "GET /verify/{id}"
    shell = res["ShellIntegration"]["Properties"]
    assert shell["IntegrationType"] == "HTTP_PROXY"
    assert shell["IntegrationUri"] == {
        "Fn::Sub": "https://${Distribution.DomainName}/index.html"}


@pytest.mark.parametrize("region,field", [("ap-east-1", "AcmCertificateArn"),
                                          ("cn-north-1", "IamCertificateId")])
def test_a_site_domain_brings_its_certificate_acm_or_iam_in_china(template, region, field):
    params = {**CODE, "SiteDomain": "hall.meizhou.gov.cn", "SiteCertificate": "ASCAEXAMPLE0123456"}
    res = _created(template, _conditions(template, region, params))
    config = res["Distribution"]["Properties"]["DistributionConfig"]
    assert config["Aliases"] == [{"Ref": "SiteDomain"}]
    assert config["ViewerCertificate"] == {field: {"Ref": "SiteCertificate"},
                                           "SslSupportMethod": "sni-only",
                                           "MinimumProtocolVersion": "TLSv1.2_2021"}
    origin = {"Fn::Sub": "https://${SiteDomain}"}
    cors = res["MaterialsBucket"]["Properties"]["CorsConfiguration"]["CorsRules"]
    assert cors == [{"AllowedMethods": ["POST"], "AllowedOrigins": [origin],
                     "AllowedHeaders": ["*"], "MaxAge": 3000}]
    env = res["ApiFunction"]["Properties"]["Environment"]["Variables"]
    assert env["HALL_PWA_ORIGIN"] == origin
    assert template["Outputs"]["SiteUrl"]["Value"]["Fn::If"][1] == origin
    rule = template["Rules"]["DomainNeedsCertificate"]
    assert rule["Assertions"][0]["Assert"] == {
        "Fn::Not": [{"Fn::Equals": [{"Ref": "SiteCertificate"}, ""]}]}


def test_without_a_domain_the_site_is_the_distributions_own_and_without_code_none(template):
    res = _created(template, _conditions(template, "ap-east-1", CODE))
    own = {"Fn::Sub": "https://${Distribution.DomainName}"}
    assert res["Distribution"]["Properties"]["DistributionConfig"]["ViewerCertificate"] == {
        "CloudFrontDefaultCertificate": True}
    cors = res["MaterialsBucket"]["Properties"]["CorsConfiguration"]["CorsRules"]
    assert cors[0]["AllowedOrigins"] == [own]
    assert res["ApiFunction"]["Properties"]["Environment"]["Variables"]["HALL_PWA_ORIGIN"] == own
    # Data only (the emulator, a Zappa stage): no CDN, and uploads are allowed from nowhere.
    bare = _created(template, _conditions(template, "ap-east-1", {}))
    assert "Distribution" not in bare and "SiteBucket" in bare
    assert "CorsConfiguration" not in bare["MaterialsBucket"]["Properties"]


@pytest.mark.parametrize("region", ["ap-east-1", "cn-north-1"])
def test_the_site_bucket_is_read_by_the_cdn_alone_over_tls(template, region):
    res = _created(template, _conditions(template, region, CODE))
    statements = res["SiteBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    deny, read = statements
    assert deny["Effect"] == "Deny" and deny["Principal"] == "*" and deny["Action"] == "s3:*"
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    assert read["Effect"] == "Allow" and read["Action"] == ["s3:GetObject", "s3:ListBucket"]
    if region.startswith("cn-"):
        assert read["Principal"] == {
            "CanonicalUser": {"Fn::GetAtt": ["SiteOriginIdentity", "S3CanonicalUserId"]}}
    else:
        assert read["Principal"] == {"Service": "cloudfront.amazonaws.com"}
        assert "${Distribution}" in read["Condition"]["StringEquals"]["AWS:SourceArn"]["Fn::Sub"]
    bare = _created(template, _conditions(template, region, {}))
    assert len(bare["SiteBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"]) == 1


def test_the_headers_policy_is_what_infra_site_builds_for_the_materials_bucket(template):
    from infra import site

    res = template["Resources"]
    # The policy names the bucket by its name (a Ref would be a cycle through the CORS rule).
    assert res["MaterialsBucket"]["Properties"]["BucketName"] == {
        "Fn::Sub": "hall-${Stage}-materials-${AWS::AccountId}"}
    assert site.TEMPLATE_MATERIALS_ORIGIN == (
        "https://hall-${Stage}-materials-${AWS::AccountId}.s3.${AWS::Region}.${AWS::URLSuffix}")
    headers = res["SiteHeadersPolicy"]["Properties"]["ResponseHeadersPolicyConfig"][
        "SecurityHeadersConfig"]
    csp = headers["ContentSecurityPolicy"]
    assert csp["Override"] is True
    assert csp["ContentSecurityPolicy"] == {"Fn::Sub": site.csp(site.TEMPLATE_MATERIALS_ORIGIN)}
    text = csp["ContentSecurityPolicy"]["Fn::Sub"]
    assert "unsafe-inline" not in text and "*" not in text and "127.0.0.1" not in text
    assert "frame-ancestors 'none'" in text
    hsts = headers["StrictTransportSecurity"]
    assert hsts["AccessControlMaxAgeSec"] >= 365 * 24 * 3600 and hsts["IncludeSubdomains"] is True
    assert headers["FrameOptions"] == {"Override": True, "FrameOption": "DENY"}
    assert headers["ContentTypeOptions"] == {"Override": True}
    assert headers["ReferrerPolicy"]["ReferrerPolicy"] == "strict-origin-when-cross-origin"
    # The API keeps its own CSP (/api/docs allows its scripts by hash) and gets the rest.
    api = res["ApiHeadersPolicy"]["Properties"]["ResponseHeadersPolicyConfig"][
        "SecurityHeadersConfig"]
    assert "ContentSecurityPolicy" not in api
    assert api["StrictTransportSecurity"] == hsts
    assert api["FrameOptions"] == headers["FrameOptions"]


def test_the_stack_names_its_site(template):
    out = template["Outputs"]
    assert out["SiteBucket"]["Value"] == {"Ref": "SiteBucket"}
    assert out["DistributionId"] == {"Condition": "HasCode", "Value": {"Ref": "Distribution"}}
    assert out["SiteUrl"]["Condition"] == "HasSiteOrigin"
