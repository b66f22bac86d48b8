"""Settings read once from the environment and frozen."""
from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    stage: str = "local"
    region: str = "ap-east-1"
    table_name: str = "hall-main"
    catalogue_bucket: str = "hall-catalogue"
    materials_bucket: str = "hall-materials"
    # The provincial export: JSON Lines objects to this bucket, or POSTed to the endpoint when
    # one is set (https; a loopback http stand-in only in the local stage).
    exports_bucket: str = "hall-exports"
    export_endpoint: str = ""
    queue_url: str = ""
    topic_arn: str = ""
    # Set locally and in tests to the emulator's address; empty in AWS.
    aws_endpoint_url: str = ""
    # How long a warm instance trusts its in-memory catalogue before it asks
    # storage (one small read) whether a newer version was published.
    catalogue_refresh_seconds: float = 60.0
    # SSM SecureStrings: the token signing keyring and the personal-data keys.
    jwt_keys_param: str = "/hall/local/jwt-keys"
    data_keys_param: str = "/hall/local/data-keys"
    jwt_issuer: str = "https://hall.meizhou.gov.cn"
    jwt_audience: str = "hall-api"
    access_token_seconds: int = 15 * 60
    session_seconds: int = 12 * 3600        # absolute lifetime of a login
    idle_seconds: int = 30 * 60             # a session unused this long ends
    log_level: str = "INFO"
    # The one origin the PWA is served from; CORS preflights from any other are refused.
    # Empty: the PWA and the API share an origin (the local stack, CloudFront in front).
    pwa_origin: str = ""
    # Local only: multiplies every rate limit, for the browser tests, whose many logins all come
    # from 127.0.0.1. Any other stage refuses a scale other than 1.
    rate_limit_scale: int = 1
    # Text messages: "sns" in global regions, "aliyun" (Dysmsapi, approved templates only) in
    # the China regions, where SNS sends no SMS. From HALL_SMS_PROVIDER, else by region.
    sms_provider: str = "sns"
    # SSM SecureString: the domestic provider's AccessKey {"access_key_id", "access_key_secret"}.
    sms_keys_param: str = "/hall/local/sms-keys"
    # Local only: the provider's address (tests point it at a loopback stand-in).
    sms_endpoint: str = ""

    @property
    def local(self) -> bool:
        """Dev shortcuts (the SMS outbox, dev tokens) exist in this stage and no other."""
        return self.stage == "local"

    @classmethod
    def from_env(cls, env: dict | None = None) -> Settings:
        env = os.environ if env is None else env
        stage = env.get("HALL_STAGE", "")
        on_lambda = bool(env.get("AWS_LAMBDA_FUNCTION_NAME"))
        if on_lambda and stage in ("", "local"):
            # A deployed function must name its stage: never fall back to local behaviour.
            raise RuntimeError("HALL_STAGE must name the deployed stage (dev, staging, prod)")
        stage = stage or "local"
        if not stage.replace("-", "").isalnum():
            raise RuntimeError(f"HALL_STAGE {stage!r} is not a stage name")
        scale = int(env.get("HALL_RATE_LIMIT_SCALE", "1"))
        if scale != 1 and stage != "local":
            raise RuntimeError("HALL_RATE_LIMIT_SCALE exists only in the local stage")
        region = env.get("AWS_REGION", env.get("AWS_DEFAULT_REGION", "ap-east-1"))
        sms_provider = env.get("HALL_SMS_PROVIDER") or sms_provider_for(region)
        check_sms(stage, region, sms_provider, env.get("HALL_SMS_ENDPOINT", ""))
        check_export_endpoint(stage, env.get("HALL_EXPORT_ENDPOINT", ""))
        return cls(
            stage=stage,
            sms_provider=sms_provider,
            sms_keys_param=env.get("HALL_SMS_KEYS_PARAM", f"/hall/{stage}/sms-keys"),
            sms_endpoint=env.get("HALL_SMS_ENDPOINT", ""),
            rate_limit_scale=max(1, scale),
            region=region,
            table_name=env.get("HALL_TABLE", "hall-main"),
            catalogue_bucket=env.get("HALL_CATALOGUE_BUCKET", "hall-catalogue"),
            materials_bucket=env.get("HALL_MATERIALS_BUCKET", "hall-materials"),
            exports_bucket=env.get("HALL_EXPORTS_BUCKET", "hall-exports"),
            export_endpoint=env.get("HALL_EXPORT_ENDPOINT", ""),
            queue_url=env.get("HALL_QUEUE_URL", ""),
            topic_arn=env.get("HALL_TOPIC_ARN", ""),
            aws_endpoint_url=env.get("HALL_AWS_ENDPOINT", ""),
            catalogue_refresh_seconds=float(env.get("HALL_CATALOGUE_REFRESH_SECONDS", "60")),
            jwt_keys_param=env.get("HALL_JWT_KEYS_PARAM", f"/hall/{stage}/jwt-keys"),
            data_keys_param=env.get("HALL_DATA_KEYS_PARAM", f"/hall/{stage}/data-keys"),
            jwt_issuer=env.get("HALL_JWT_ISSUER", cls.jwt_issuer),
            jwt_audience=env.get("HALL_JWT_AUDIENCE", cls.jwt_audience),
            log_level=env.get("HALL_LOG_LEVEL", "INFO"),
            pwa_origin=env.get("HALL_PWA_ORIGIN", ""),
        )


SMS_PROVIDERS = ("sns", "aliyun")


def sms_provider_for(region: str) -> str:
    """SNS sends no SMS in the China regions (cn-north-1, cn-northwest-1): a domestic provider."""
    return "aliyun" if region.startswith("cn-") else "sns"


def check_sms(stage: str, region: str, provider: str, endpoint: str) -> None:
    if provider not in SMS_PROVIDERS:
        raise RuntimeError(f"HALL_SMS_PROVIDER {provider!r} is not one of {SMS_PROVIDERS}")
    if provider == "sns" and region.startswith("cn-"):
        raise RuntimeError(f"SNS sends no SMS in {region}: HALL_SMS_PROVIDER must be aliyun")
    if endpoint and stage != "local":
        raise RuntimeError("HALL_SMS_ENDPOINT exists only in the local stage")


def check_export_endpoint(stage: str, endpoint: str) -> None:
    """Process events leave over TLS; plain http only to a loopback stand-in, locally."""
    if not endpoint or endpoint.startswith("https://"):
        return
    if stage != "local" or not endpoint.startswith(("http://127.0.0.1", "http://localhost")):
        raise RuntimeError("HALL_EXPORT_ENDPOINT must be an https:// address")
