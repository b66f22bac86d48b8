"""Identity's records, in five parts, each the only code that knows its keys:

  accounts     ACCOUNT#<id>/PROFILE, PHONE#<hmac>, IDNO#<hmac> (and failed logins, levels)
  codes        CODE#<hmac(phone)>, CHALLENGE#<id>
  sessions     SESSION#<sid>, REFRESH#<sha256>
  enterprises  REGISTRY#P#/REGISTRY#O#, ENTERPRISE#<uscc>/PROFILE, ACCOUNT#<id>/ENTERPRISE#<uscc>
  grants       GRANT#<id> (GSI1 GRANTEE#, GSI2 GRANTOR#)

Identity's service uses the parts; other rooms (and test factories) read what they need from
here: the names below are the room's store as others see it.
"""
from .accounts import account_by_phone, get_account
from .enterprises import create_enterprise, get_enterprise, registry_org
from .sessions import create_session

__all__ = ["account_by_phone", "create_enterprise", "create_session", "get_account",
           "get_enterprise", "registry_org"]
