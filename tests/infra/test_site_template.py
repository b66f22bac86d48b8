"""infra/template.yaml's site: the PWA bucket, the CDN and its headers policy, in both partitions.

moto's CloudFormation has no CloudFront (and resolves AWS::Partition to aws in cn- regions), so
these read the template itself, with its conditions evaluated per region; cfn-lint runs in
global and China regions in test_template.py."""
from __future__ import annotations

import pytest
import yaml

from tests.infra.test_template import TEMPLATE, CfnLoader


@pytest.fixture(scope="module")
def template() -> dict:
    return yaml.load(TEMPLATE.read_text(encoding="utf-8"), Loader=CfnLoader)


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
    assert config["IPV6Enabled"] is not china
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
