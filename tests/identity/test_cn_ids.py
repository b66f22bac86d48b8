"""Resident ID numbers, credit codes, mobiles and masks: vectors and properties."""
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from functions.identity.cn_ids import (
    USCC_ALPHABET,
    USCC_AUTHORITIES,
    IdError,
    age_on,
    birth_date,
    id_check_char,
    make_id_number,
    make_uscc,
    mask_id,
    mask_phone,
    mask_uscc,
    org_code_check_char,
    region_name,
    region_of,
    sex_of,
    uscc_check_char,
    uscc_parts,
    validate_id_number,
    validate_phone,
    validate_uscc,
)

TODAY = date(2026, 11, 26)
MEIZHOU = ["441400", "441402", "441403", "441422", "441423", "441424", "441426", "441427",
           "441481"]
OTHER_REGIONS = ["110105", "310115", "440106", "440305", "445102", "650102", "810000"]


def reason(err: pytest.ExceptionInfo) -> tuple[str, str]:
    return err.value.code, str(err.value)


def with_check(body17: str) -> str:
    """An ID number whose check digit is right, so a test exercises the rule it names."""
    return body17 + id_check_char(body17)


# ------------------------------------------------------------------ ID numbers: good

# Worked by hand: 4 4 1 4 0 2 1 9 7 0 0 5 0 6 1 3 5 times 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2
# = 28+36+10+20+0+8+2+9+42+0+0+45+0+30+8+12+10 = 260; 260 mod 11 = 7; "10X98765432"[7] = "5".
DEMO_ID = "441402197005061355"


@pytest.mark.parametrize("number", [
    DEMO_ID,
    "11010519491231002X",   # the example printed in GB 11643-1999
    "44140219700506517X",   # Meizhou, ends in X (worked below)
    "441402197005060010",
])
def test_valid_id_numbers(number):
    assert validate_id_number(number, today=TODAY) == number


def test_x_example_worked_by_hand():
    # 44140219700506 517: the sum is 260 - (1*8 + 3*4 + 5*2) + (5*8 + 1*4 + 7*2) = 288,
    # 288 mod 11 = 2, and "10X98765432"[2] is "X".
    assert id_check_char("44140219700506517") == "X"


def test_lower_case_x_is_accepted_and_returned_upper_case():
    assert validate_id_number("44140219700506517x", today=TODAY) == "44140219700506517X"
    assert validate_id_number(" 11010519491231002x ", today=TODAY) == "11010519491231002X"


def test_full_width_digits_from_an_ime_are_folded():
    full = "".join(chr(ord(c) + 0xFEE0) for c in DEMO_ID)
    assert validate_id_number(full, today=TODAY) == DEMO_ID


def test_details_of_a_number():
    assert birth_date(DEMO_ID) == date(1970, 5, 6)
    assert region_of(DEMO_ID) == "441402"
    assert region_name(region_of(DEMO_ID)) == "梅江区"
    assert sex_of(DEMO_ID) == "M"            # 17th digit 5 is odd
    assert sex_of("11010519491231002X") == "F"  # 17th digit 2 is even
    assert age_on(DEMO_ID, date(2026, 5, 5)) == 55
    assert age_on(DEMO_ID, date(2026, 5, 6)) == 56


def test_age_of_someone_born_on_29_february():
    leapling = with_check("44140320000229003")
    assert age_on(leapling, date(2001, 2, 28)) == 0
    assert age_on(leapling, date(2001, 3, 1)) == 1
    assert age_on(leapling, date(2004, 2, 29)) == 4


def test_region_names():
    assert region_name("441400") == "梅州市"
    assert region_name("441481") == "兴宁市"
    assert region_name("441421") == "梅县"
    assert region_name("440305") == "深圳市"
    assert region_name("445102") == "潮州市"
    assert region_name("320102") == "江苏省"


def test_born_today_is_fine():
    assert validate_id_number(with_check(f"441402{TODAY:%Y%m%d}002"), today=TODAY)


@pytest.mark.parametrize("region", MEIZHOU + OTHER_REGIONS + ["449999", "441499"])
def test_region_codes_accepted(region):
    assert validate_id_number(with_check(f"{region}19800101001"), today=TODAY)


# ------------------------------------------------------------------ ID numbers: bad

@pytest.mark.parametrize("number, code, message", [
    ("441402197005061354", "check_digit", "check digit does not match"),
    ("11010519491231002", "length", "must be 18 characters"),
    ("4414021970050613555", "length", "must be 18 characters"),
    ("", "length", "must be 18 characters"),
    ("44140219700506135A", "characters", "must be 17 digits followed by a digit or X"),
    ("4414021970O5061355", "characters", "must be 17 digits followed by a digit or X"),
    ("X41402197005061355", "characters", "must be 17 digits followed by a digit or X"),
    (with_check("99140219700506135"), "region", "unknown region code"),
    (with_check("44000019700506135"), "region", "unknown region code"),
    (with_check("00140219700506135"), "region", "unknown region code"),
    (with_check("44140220010229001"), "birth_date", "birth date is not a real date"),
    (with_check("44140219000229001"), "birth_date", "birth date is not a real date"),
    (with_check("44140219701301001"), "birth_date", "birth date is not a real date"),
    (with_check("44140219700431001"), "birth_date", "birth date is not a real date"),
    (with_check("44140219700500001"), "birth_date", "birth date is not a real date"),
    (with_check("44140220261127001"), "birth_date", "birth date is in the future"),
    ("440524188001010014", "birth_date", "birth date is before 1900-01-01"),
])
def test_invalid_id_numbers(number, code, message):
    with pytest.raises(IdError) as err:
        validate_id_number(number, today=TODAY)
    assert reason(err) == (code, message)
    assert err.value.field == "id_number"
    assert err.value.zh


def test_feb_29_leap_year_valid_and_non_leap_year_invalid():
    assert validate_id_number(with_check("44140220000229001"), today=TODAY)
    assert validate_id_number(with_check("44140219960229001"), today=TODAY)
    with pytest.raises(IdError, match="not a real date"):
        validate_id_number(with_check("44140219970229001"), today=TODAY)


def test_the_standards_1880_example_has_a_correct_check_digit_but_is_too_old_for_us():
    assert id_check_char("44052418800101001") == "4"


def test_chinese_messages():
    with pytest.raises(IdError) as err:
        validate_id_number("441402197005061354", today=TODAY)
    assert err.value.zh == "身份证号码校验位不正确"
    assert isinstance(err.value, ValueError)


def test_generator_refuses_nonsense():
    for args in [("991402", date(1970, 1, 1), 1), ("441402", date(1899, 12, 31), 1),
                 ("441402", date(1970, 1, 1), 1000), ("441402", date(1970, 1, 1), -1)]:
        with pytest.raises(ValueError):
            make_id_number(*args)


# ------------------------------------------------------------------ credit codes: good

PUBLIC_USCC = [
    "91350100M000100Y43",   # the example cited in guides to GB 32100
    "914403001922038216",   # 华为技术有限公司, from its published business licence
    "91440300708461136T",   # 深圳市腾讯计算机系统有限公司, likewise
]


@pytest.mark.parametrize("code", PUBLIC_USCC)
def test_public_credit_codes_validate(code):
    assert validate_uscc(code) == code


def test_generated_credit_codes_validate():
    enterprise = make_uscc("9", "1", "441402", 0)
    assert enterprise == "91441402MA0000007M"
    assert validate_uscc(enterprise) == enterprise
    individual = make_uscc("9", "2", "441403", 12345)
    assert individual.startswith("92441403MA")
    assert validate_uscc(individual) == individual
    assert validate_uscc(make_uscc("5", "1", "441400", 31 ** 6 - 1))


def test_org_code_check_worked_by_hand():
    # M000100Y: M=22, Y=34; 22*3 + 1*5 + 34*2 = 139; 139 mod 11 = 7; 11 - 7 = 4.
    assert org_code_check_char("M000100Y") == "4"


def test_lower_case_credit_code_is_upper_cased():
    assert validate_uscc("91350100m000100y43") == "91350100M000100Y43"


def test_uscc_parts():
    assert uscc_parts(make_uscc("9", "2", "441481", 7)) == {
        "authority": "9", "authority_name": "工商/市场监管", "org_type": "2",
        "region": "441481", "org_code": "MA0000074",
    }


# ------------------------------------------------------------------ credit codes: bad

def recheck(body17: str) -> str:
    """A code whose final check character is right, so only the rule under test fails."""
    return body17 + uscc_check_char(body17)


def uscc_error(code: str) -> tuple[str, str]:
    with pytest.raises(IdError) as err:
        validate_uscc(code)
    assert err.value.field == "uscc" and err.value.zh
    return reason(err)


@pytest.mark.parametrize("letter", list("IOZSV"))
def test_letters_left_out_of_the_alphabet(letter):
    code = "91350100M000100Y43"
    bad = code[:10] + letter + code[11:]
    assert uscc_error(bad) == (
        "alphabet", f"contains a character the GB 32100 alphabet leaves out: {letter}")
    assert uscc_error(bad.lower())[0] == "alphabet"


def test_wrong_check_character():
    assert uscc_error("91350100M000100Y44") == ("check_char", "check character does not match")


def test_wrong_organisation_code_check():
    bad = recheck("91350100M000100Y5")
    assert uscc_error(bad) == ("org_code_check",
                               "organisation code check character does not match")


def test_other_credit_code_rules():
    assert uscc_error("91350100M000100Y4")[0] == "length"
    assert uscc_error("91350100M000100Y4-")[0] == "characters"
    assert uscc_error(recheck("B1350100M000100Y4"))[0] == "authority"
    assert uscc_error(recheck("94350100M000100Y4"))[0] == "org_type"
    assert uscc_error(recheck("Y2350100M000100Y4"))[0] == "org_type"
    assert uscc_error(recheck("91990100M000100Y4"))[0] == "region"
    assert uscc_error(recheck("913501A0M000100Y4"))[0] == "region"


def test_central_bodies_register_under_100000():
    code = make_uscc("1", "1", "100000", 42)
    assert validate_uscc(code) == code


# ------------------------------------------------------------------ phones

@pytest.mark.parametrize("raw", [
    "13812345678", "+86 138 1234 5678", "+8613812345678", "86-138-1234-5678",
    "0086 138 1234 5678", " 138-1234-5678 ", "(+86) 13812345678",
    "１３８１２３４５６７８",
])
def test_phones_accepted(raw):
    assert validate_phone(raw) == "13812345678"


@pytest.mark.parametrize("raw", [
    "12812345678", "1381234567", "138123456789", "23812345678", "+85213812345678",
    "+86 128 1234 5678", "138-1234-567a", "", "1381234567８８",
])
def test_phones_rejected(raw):
    with pytest.raises(IdError) as err:
        validate_phone(raw)
    assert err.value.code == "phone" and err.value.zh == "请输入11位中国大陆手机号码"


def test_other_mobile_prefixes():
    for prefix in "3456789":
        assert validate_phone(f"1{prefix}900000000") == f"1{prefix}900000000"


# ------------------------------------------------------------------ masks

def test_masks():
    assert mask_id(DEMO_ID) == "441402********1355"
    assert mask_id("44140219700506517x") == "441402********517X"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("+86 138 1234 5678") == "138****5678"
    assert mask_uscc("91350100M000100Y43") == "91350100********43"


def test_masks_never_leave_a_short_value_readable():
    assert mask_id("441402") == "******"
    assert mask_phone("1234567") == "*******"
    assert mask_uscc("") == ""


# ------------------------------------------------------------------ properties

regions = st.sampled_from(MEIZHOU + OTHER_REGIONS)
births = st.dates(min_value=date(1900, 1, 1), max_value=TODAY)
seqs = st.integers(min_value=0, max_value=999)
types = st.sampled_from([a + t for a, (_, ts) in USCC_AUTHORITIES.items() for t in ts])
orgs = st.integers(min_value=0, max_value=31 ** 6 - 1)


@given(regions, births, seqs)
def test_every_generated_id_number_validates(region, birth, seq):
    number = make_id_number(region, birth, seq)
    assert validate_id_number(number, today=TODAY) == number
    assert birth_date(number) == birth
    assert sex_of(number) == ("M" if seq % 2 else "F")


@given(regions, births, seqs, st.sampled_from("0123456789X"))
def test_any_other_id_check_digit_fails(region, birth, seq, check):
    number = make_id_number(region, birth, seq)
    if check != number[-1]:
        with pytest.raises(IdError) as err:
            validate_id_number(number[:-1] + check, today=TODAY)
        assert err.value.code == "check_digit"


@given(regions, births, seqs, st.integers(0, 16), st.sampled_from("0123456789"))
def test_any_single_digit_change_fails(region, birth, seq, where, digit):
    # MOD 11-2 catches every single substitution: 11 is prime and no weight is 0 mod 11.
    number = make_id_number(region, birth, seq)
    if number[where] != digit:
        with pytest.raises(IdError):
            validate_id_number(number[:where] + digit + number[where + 1:], today=TODAY)


@given(types, st.sampled_from(MEIZHOU + ["100000"]), orgs)
def test_every_generated_uscc_validates(kind, region, org):
    code = make_uscc(kind[0], kind[1], region, org)
    assert validate_uscc(code) == code
    assert validate_uscc(code.lower()) == code


@given(types, st.sampled_from(MEIZHOU), orgs, st.sampled_from(USCC_ALPHABET))
def test_any_other_uscc_check_character_fails(kind, region, org, check):
    code = make_uscc(kind[0], kind[1], region, org)
    if check != code[-1]:
        with pytest.raises(IdError) as err:
            validate_uscc(code[:-1] + check)
        assert err.value.code == "check_char"


@given(types, st.sampled_from(MEIZHOU), orgs, st.integers(0, 16),
       st.sampled_from(USCC_ALPHABET))
def test_any_single_character_change_of_a_uscc_fails(kind, region, org, where, ch):
    # MOD 31 with weights 3**i mod 31: 31 is prime and no weight is 0 mod 31.
    code = make_uscc(kind[0], kind[1], region, org)
    if code[where] != ch:
        with pytest.raises(IdError):
            validate_uscc(code[:where] + ch + code[where + 1:])


def test_dates_just_around_today():
    assert validate_id_number(make_id_number("441402", TODAY, 1), today=TODAY)
    with pytest.raises(IdError, match="future"):
        validate_id_number(make_id_number("441402", TODAY + timedelta(days=1), 1), today=TODAY)


# ------------------------------------------------------------------ the synthetic registry

def test_registry_json_is_what_the_generator_builds_and_holds_the_demo_identities():
    import json
    from pathlib import Path

    from infra.seed import build_registry

    path = Path(build_registry.OUT)
    assert json.loads(path.read_text(encoding="utf-8")) == build_registry.build()
    registry = json.loads(path.read_text(encoding="utf-8"))
    person, org = registry["persons"][0], registry["organisations"][0]
    assert person == {"id_number": DEMO_ID, "name": "张三丰", "phone": "13800138000",
                      "birth": "1970-05-06", "region": "441402", "sex": "M",
                      "employment": person["employment"],
                      "ssc_bank_account": person["ssc_bank_account"]}
    assert person["employment"] in ("cadre", "worker", None)  # the pages' retirement rule
    assert person["ssc_bank_account"].startswith("622848") and len(person["ssc_bank_account"]) == 19
    assert org["uscc"] == "91441402MA0MT2NFX4" == validate_uscc(org["uscc"])
    assert (org["name"], org["legal_rep_id_number"]) == ("梅州市示范科技有限公司", DEMO_ID)
