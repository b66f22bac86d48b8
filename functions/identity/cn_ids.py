"""Chinese identifiers: resident ID numbers (GB 11643), credit codes (GB 32100), mobiles, masks."""
from __future__ import annotations

import re
import unicodedata
from datetime import date

__all__ = [
    "IdError", "validate_id_number", "birth_date", "age_on", "region_of", "region_name",
    "sex_of", "validate_uscc", "uscc_parts", "validate_phone", "make_id_number", "make_uscc",
    "mask_id", "mask_phone", "mask_uscc", "id_check_char", "uscc_check_char",
    "org_code_check_char",
]


class IdError(ValueError):
    """An identifier failed a rule. `code` is for programs, `str()` for logs, `zh` for people."""

    def __init__(self, field: str, code: str, message: str, zh: str):
        super().__init__(message)
        self.field = field
        self.code = code
        self.message = message
        self.zh = zh


# ------------------------------------------------------------------ regions (GB/T 2260)

PROVINCES = {
    "11": "北京市", "12": "天津市", "13": "河北省", "14": "山西省", "15": "内蒙古自治区",
    "21": "辽宁省", "22": "吉林省", "23": "黑龙江省",
    "31": "上海市", "32": "江苏省", "33": "浙江省", "34": "安徽省", "35": "福建省",
    "36": "江西省", "37": "山东省",
    "41": "河南省", "42": "湖北省", "43": "湖南省", "44": "广东省", "45": "广西壮族自治区",
    "46": "海南省",
    "50": "重庆市", "51": "四川省", "52": "贵州省", "53": "云南省", "54": "西藏自治区",
    "61": "陕西省", "62": "甘肃省", "63": "青海省", "64": "宁夏回族自治区",
    "65": "新疆维吾尔自治区",
    "71": "台湾省", "81": "香港特别行政区", "82": "澳门特别行政区",
}
# These regions have no county codes in GB/T 2260, so their province-level code is the whole code.
WHOLE_PROVINCE_CODES = frozenset({"710000", "810000", "820000"})

GUANGDONG_PREFECTURES = {
    "4401": "广州市", "4402": "韶关市", "4403": "深圳市", "4404": "珠海市", "4405": "汕头市",
    "4406": "佛山市", "4407": "江门市", "4408": "湛江市", "4409": "茂名市", "4412": "肇庆市",
    "4413": "惠州市", "4414": "梅州市", "4415": "汕尾市", "4416": "河源市", "4417": "阳江市",
    "4418": "清远市", "4419": "东莞市", "4420": "中山市", "4451": "潮州市", "4452": "揭阳市",
    "4453": "云浮市",
}

MEIZHOU_COUNTIES = {
    "441400": "梅州市",
    "441402": "梅江区", "441403": "梅县区", "441422": "大埔县", "441423": "丰顺县",
    "441424": "五华县", "441426": "平远县", "441427": "蕉岭县", "441481": "兴宁市",
}
# Numbers keep the code of the year they were issued: 梅县 became 梅县区 (441403) in 2013.
FORMER_CODES = {"441421": "梅县"}


def _region_ok(code: str) -> bool:
    # GB/T 2260 is revised yearly and old ID numbers keep the code of the year they were issued,
    # so a full county list would reject real people: check the province and the shape only.
    if len(code) != 6 or not _ascii_digits(code) or code[:2] not in PROVINCES:
        return False
    return code in WHOLE_PROVINCE_CODES or not code.endswith("0000")


def region_name(code: str) -> str:
    """梅江区 for 441402, 广州市 for 440106 (county unknown here), 江苏省 for 320102."""
    if code in MEIZHOU_COUNTIES or code in FORMER_CODES:
        return MEIZHOU_COUNTIES.get(code) or FORMER_CODES[code]
    if code[:4] in GUANGDONG_PREFECTURES:
        return GUANGDONG_PREFECTURES[code[:4]]
    return PROVINCES.get(code[:2], "")


# ------------------------------------------------------------------ helpers

def _ascii_digits(value: str) -> bool:
    # str.isdigit() also accepts "²" and full-width digits; only 0-9 belong in these codes.
    return bool(value) and all("0" <= ch <= "9" for ch in value)


def _clean(value: object) -> str:
    # Phones and IMEs produce full-width characters (４４１４…); NFKC folds them to ASCII.
    if not isinstance(value, str):
        value = "" if value is None else str(value)
    return unicodedata.normalize("NFKC", value).strip()


# ------------------------------------------------------------------ GB 11643-1999 ID numbers

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"  # indexed by (weighted sum mod 11): ISO 7064 MOD 11-2
EARLIEST_BIRTH = date(1900, 1, 1)


def _id_error(code: str, message: str, zh: str) -> IdError:
    return IdError("id_number", code, message, zh)


def id_check_char(body: str) -> str:
    """The 18th character for the first 17 digits."""
    return ID_CHECK[sum(int(d) * w for d, w in zip(body, ID_WEIGHTS, strict=True)) % 11]


def validate_id_number(value: str, *, today: date | None = None) -> str:
    """The 18-character resident ID number, upper-cased, or IdError saying which rule failed."""
    number = _clean(value).upper()
    if len(number) != 18:
        raise _id_error("length", "must be 18 characters", "身份证号码应为18位")
    body, check = number[:17], number[17]
    if not _ascii_digits(body) or not (_ascii_digits(check) or check == "X"):
        raise _id_error("characters", "must be 17 digits followed by a digit or X",
                        "身份证号码应为17位数字加1位数字或X")
    if not _region_ok(body[:6]):
        raise _id_error("region", "unknown region code", "身份证号码的地区码不正确")
    try:
        born = date(int(body[6:10]), int(body[10:12]), int(body[12:14]))
    except ValueError:
        raise _id_error("birth_date", "birth date is not a real date",
                        "身份证号码中的出生日期不存在") from None
    if born < EARLIEST_BIRTH:
        raise _id_error("birth_date", "birth date is before 1900-01-01",
                        "身份证号码中的出生日期早于1900年")
    if born > (today or date.today()):
        raise _id_error("birth_date", "birth date is in the future",
                        "身份证号码中的出生日期晚于今天")
    if id_check_char(body) != check:
        raise _id_error("check_digit", "check digit does not match", "身份证号码校验位不正确")
    return number


def birth_date(id_number: str) -> date:
    number = validate_id_number(id_number)
    return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def age_on(id_number: str, day: date) -> int:
    """Full years on `day`; someone born on 29 February turns a year older on 1 March."""
    born = birth_date(id_number)
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def region_of(id_number: str) -> str:
    """The six-digit region code where the number was issued (see region_name for its name)."""
    return validate_id_number(id_number)[:6]


def sex_of(id_number: str) -> str:
    """"M" or "F": the 17th digit is odd for men and even for women."""
    return "M" if int(validate_id_number(id_number)[16]) % 2 else "F"


def make_id_number(region: str, birth: date, seq: int) -> str:
    """A valid number for synthetic data; seq 0-999 is the order code (odd seq = male)."""
    if not _region_ok(region):
        raise ValueError(f"unknown region code {region!r}")
    if not 0 <= seq <= 999:
        raise ValueError("seq must be 0-999")
    if birth < EARLIEST_BIRTH:
        raise ValueError("birth must be on or after 1900-01-01")
    body = f"{region}{birth:%Y%m%d}{seq:03d}"
    return body + id_check_char(body)


# ------------------------------------------------------------------ GB 32100-2015 credit codes

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, S, V, Z
USCC_VALUE = {ch: i for i, ch in enumerate(USCC_ALPHABET)}
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)  # GB 11714 organisation code

# Registration authority -> organisation types. GB 32100-2015 Annex A plus the categories added
# by later notices (村/居委会 54/55, 基层工会 82, 公安 G, 住建 J, 侨联 Q …): a credit code is for
# life, so refusing a real one is worse than letting through a rare combination.
USCC_AUTHORITIES = {
    "1": ("机构编制", "1239"),
    "2": ("外交", "19"),
    "3": ("司法行政", "1234569"),
    "4": ("文化", "19"),
    "5": ("民政", "123459"),
    "6": ("旅游", "129"),
    "7": ("宗教", "129"),
    "8": ("工会", "129"),
    "9": ("工商/市场监管", "1239"),
    "A": ("中央军委改革和编制办公室", "19"),
    "G": ("公安", "19"),
    "J": ("住房和城乡建设", "19"),
    "N": ("农业农村", "1239"),
    "Q": ("侨联", "1239"),
    "Y": ("其他", "1"),
}


def _uscc_error(code: str, message: str, zh: str) -> IdError:
    return IdError("uscc", code, message, zh)


def uscc_check_char(body: str) -> str:
    """The 18th character for the first 17."""
    total = sum(USCC_VALUE[ch] * w for ch, w in zip(body, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def org_code_check_char(body: str) -> str:
    """GB 11714: the 9th character of an organisation code for its first 8 (A=10 … Z=35)."""
    total = sum(int(ch, 36) * w for ch, w in zip(body, ORG_WEIGHTS, strict=True))
    c = 11 - total % 11
    return "X" if c == 10 else "0" if c == 11 else str(c)


def validate_uscc(value: str) -> str:
    """The 18-character unified social credit code, upper-cased, or IdError."""
    code = _clean(value).upper()
    if len(code) != 18:
        raise _uscc_error("length", "must be 18 characters", "统一社会信用代码应为18位")
    for ch in code:
        if ch in "IOSVZ":
            raise _uscc_error("alphabet",
                              f"contains a character the GB 32100 alphabet leaves out: {ch}",
                              f"统一社会信用代码不使用字母{ch}")
        if ch not in USCC_VALUE:
            raise _uscc_error("characters", f"contains a character that is not allowed: {ch!r}",
                              "统一社会信用代码只能由数字和大写字母组成")
    authority, org_type, region, org_code = code[0], code[1], code[2:8], code[8:17]
    if authority not in USCC_AUTHORITIES:
        raise _uscc_error("authority", f"unknown registration authority code: {authority}",
                          "统一社会信用代码的登记管理部门代码不正确")
    if org_type not in USCC_AUTHORITIES[authority][1]:
        raise _uscc_error("org_type",
                          f"organisation type {org_type} is not defined for authority {authority}",
                          "统一社会信用代码的机构类别代码不正确")
    # Central bodies register under 100000; everyone else under a GB/T 2260 region.
    if not _ascii_digits(region) or not (region == "100000" or region[:2] in PROVINCES):
        raise _uscc_error("region", "unknown region code", "统一社会信用代码的行政区划码不正确")
    if org_code_check_char(org_code[:8]) != org_code[8]:
        raise _uscc_error("org_code_check", "organisation code check character does not match",
                          "统一社会信用代码中的组织机构代码校验位不正确")
    if uscc_check_char(code[:17]) != code[17]:
        raise _uscc_error("check_char", "check character does not match",
                          "统一社会信用代码校验位不正确")
    return code


def uscc_parts(value: str) -> dict:
    """The named parts of a valid code, for display and for matching an enterprise to a county."""
    code = validate_uscc(value)
    return {"authority": code[0], "authority_name": USCC_AUTHORITIES[code[0]][0],
            "org_type": code[1], "region": code[2:8], "org_code": code[8:17]}


def make_uscc(authority: str, org_type: str, region: str, org_seq: int) -> str:
    """A valid code for synthetic data. The organisation code is "MA" + org_seq in base 31: the
    shape of the codes market regulators have assigned since 2015."""
    if org_type not in USCC_AUTHORITIES.get(authority, ("", ""))[1]:
        raise ValueError(f"unknown authority/type {authority}{org_type}")
    if not _ascii_digits(region) or len(region) != 6:
        raise ValueError("region must be 6 digits")
    if not 0 <= org_seq < 31 ** 6:
        raise ValueError("org_seq out of range")
    digits = []
    for _ in range(6):
        org_seq, r = divmod(org_seq, 31)
        digits.append(USCC_ALPHABET[r])
    org = "MA" + "".join(reversed(digits))
    body = authority + org_type + region + org + org_code_check_char(org)
    return body + uscc_check_char(body)


# ------------------------------------------------------------------ mobile numbers

_PHONE_SEPARATORS = re.compile(r"[\s\-()]")
_MOBILE = re.compile(r"1[3-9]\d{9}")


def validate_phone(value: str) -> str:
    """A mainland mobile number as 11 digits; +86, 0086 or 86 and separators are dropped."""
    phone = _PHONE_SEPARATORS.sub("", _clean(value))
    for prefix in ("+86", "0086", "86"):
        if phone.startswith(prefix) and len(phone) == len(prefix) + 11:
            phone = phone[len(prefix):]
            break
    if not (phone.isascii() and _MOBILE.fullmatch(phone)):
        raise IdError("phone", "phone", "must be an 11-digit mainland mobile number (1[3-9]…)",
                      "请输入11位中国大陆手机号码")
    return phone


# ------------------------------------------------------------------ masks

def _mask(value: str, head: int, tail: int, stars: int | None = None) -> str:
    # Anything too short to keep both ends would leak most of itself: hide it all.
    if len(value) <= head + tail:
        return "*" * len(value)
    middle = stars if stars is not None else len(value) - head - tail
    return value[:head] + "*" * middle + value[len(value) - tail:]


def mask_id(value: str) -> str:
    """441402********1234: region and last four, so a person can recognise their own number."""
    return _mask(_clean(value).upper(), 6, 4, 8)


def mask_phone(value: str) -> str:
    """138****5678."""
    try:
        phone = validate_phone(value)
    except IdError:
        phone = _clean(value)
    return _mask(phone, 3, 4, 4)


def mask_uscc(value: str) -> str:
    """91441402********3X: authority, type and region stay readable; the subject is hidden."""
    return _mask(_clean(value).upper(), 8, 2, 8)
