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

