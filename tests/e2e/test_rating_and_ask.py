"""好差评 and 我要问/投诉 on a 390x844 phone. A hotel company's food licence is approved (through
the API); acting for it, its legal representative opens the application, is told under the
field to choose a level, rates 不满意 with a tag of that level and a comment holding a phone
number, sees the rectification's date and the comment masked; a second rating is refused by the
API; the department's call-back (API) then shows on the screen. A citizen makes a complaint in
their own name at #/ask to a county's department and finds it listed. English is looked at."""
import json
import re
import uuid

from accounts import (
    OFFICER_PASSWORD,
    OFFICER_PHONE,
    act_for,
    apply_and_approve,
    call,
    ensure_enterprise,
    ensure_registered,
    officer_token,
)
from playwright.sync_api import expect
from test_a11y import start_session

# Registry people no other test registers: a hotel company's legal representative, a citizen.
HOTEL_REP = {"name": "谢嘉林", "id_number": "441421197007235979", "phone": "15603258576"}
HOTEL = "91441403MA0K1EWN02"  # 梅州市梅县区广业酒店管理有限公司
CITIZEN = {"name": "李林文", "id_number": "445202194808134836", "phone": "15516814965"}
PASSWORD = "Hakka-Rating-2026"
FOOD = "441400-SCJGJ-0018"
FORM = {"applicant_name": "梅州市梅县区广业酒店管理有限公司", "certificate_number": HOTEL,
        "phone": HOTEL_REP["phone"], "premises_address": "梅县区新城华侨大道 8 号",
        "category": "热食类食品制售", "subject": "餐饮服务经营者"}


def test_rating_a_completed_application_on_the_phone(page, snap):
    base = page.base
    tokens = ensure_registered(base, HOTEL_REP, PASSWORD)
    ensure_enterprise(base, tokens, HOTEL)
    token = act_for(base, tokens, HOTEL)
    done = apply_and_approve(base, token, FOOD, FORM)
    start_session(page, HOTEL_REP["phone"], PASSWORD,
                  json.dumps({"kind": "enterprise", "id": HOTEL}))
    page.goto(f"{base}/#/applications/{done['id']}")
    box = page.locator("#ap-rating")
    expect(box.get_by_role("heading", name="评价这次服务（好差评）")).to_be_visible()
    expect(page.locator("#rt-tags")).to_be_hidden()
    box.get_by_role("button", name="提交评价").click()
    expect(page.locator("#rt-level .field-error")).to_contain_text("总体评价")
    expect(page.locator(".error-summary")).to_be_focused()
    snap("no-level")

    page.get_by_label("不满意", exact=True).check()
    tags = page.locator("#rt-tags")
    expect(tags).to_be_visible()
    expect(tags.get_by_label("材料要求超出指南")).to_be_visible()
    expect(tags.get_by_label("办事高效")).to_have_count(0)  # a tag of the upper levels
    tags.get_by_label("材料要求超出指南").check()
    page.get_by_label("评价内容").fill("窗口要我补了指南外的材料，我的电话13612345678")
    expect(page.locator("#rt-comment-count")).to_have_text("28 / 500 字")
    box.get_by_role("button", name="提交评价").click()
    sent = page.locator("#rt-sent")
    expect(sent).to_be_focused()
    expect(sent).to_contain_text(re.compile(r"部门会在 \d{4}-\d{2}-\d{2} 前整改并回访您"))
    mine = page.locator("#rt-mine")
    expect(mine).to_contain_text("不满意")
    expect(mine).to_contain_text("材料要求超出指南")
    expect(mine).to_contain_text("136****5678")
    expect(mine).not_to_contain_text("13612345678")
    expect(mine).to_contain_text("部门正在整改")
    snap("rated")

    # Once: the API refuses a second rating.
    status, body = call(base, "POST", f"/applications/{done['id']}/rating", {"level": 5}, token)
    assert status == 409 and body["error"]["details"] == {"rated": True}
    # The department (the demo SCJGJ officer) calls back; the applicant's screen shows it.
    officer = officer_token(base)
    status, body = call(base, "POST", f"/officer/ratings/R{done['id']}/callback",
                        {"text": "已回访，材料清单已按指南更正。", "rectified": True}, officer)
    assert status == 200, body
    page.reload()
    callback = page.locator("#rt-callback")
    expect(callback).to_contain_text("已整改")
    expect(callback).to_contain_text("已回访，材料清单已按指南更正。")
    page.locator("#lang-toggle").click()
    expect(box.get_by_role("heading", name="Rate this service")).to_be_visible()
    expect(page.locator("#rt-mine")).to_contain_text("Dissatisfied")
    expect(page.locator("#rt-callback")).to_contain_text("Put right")
    snap("english")


def test_a_citizen_complains_in_their_own_name(page, snap):
    base = page.base
    ensure_registered(base, CITIZEN, PASSWORD)
    start_session(page, CITIZEN["phone"], PASSWORD)
    page.goto(f"{base}/#/me")
    page.locator("#me-ask").click()
    expect(page.locator("#view h1")).to_have_text("我要问 · 我要投诉")
    page.get_by_label("类型").select_option("complaint")
    page.get_by_label("问哪个部门").select_option("SCJGJ")
    region = page.get_by_label("哪个地区的部门")
    expect(region.locator("option", has_text="梅县区")).to_have_count(1)
    region.select_option(label="梅县区")
    page.get_by_role("button", name="提交问题").click()
    expect(page.locator("#qb-text-box .field-error")).to_be_visible()
    page.get_by_label("问题内容").fill("梅县区某超市出售过期食品，请核查处理。")
    page.get_by_role("button", name="提交问题").click()
    sent = page.locator("#qb-sent")
    expect(sent).to_be_focused()
    expect(sent).to_contain_text("10 个工作日内")
    first = page.locator(".qb-list li.question").first
    expect(first).to_contain_text("投诉")
    expect(first).to_contain_text("梅县区某超市出售过期食品")
    snap("complained")
    own = ensure_registered(base, CITIZEN, PASSWORD)["access_token"]
    status, body = call(base, "GET", "/me/questions", None, own)
    assert status == 200 and body["items"][0]["kind"] == "complaint"
    # Where the answer's notice links to.
    first.get_by_role("link").click()
    expect(page.locator("#view h1")).to_have_text("我要问 · 我要投诉")
    expect(page.locator("#view .question")).to_contain_text("待答复")
    page.goto(f"{base}/#/ask")
    page.locator("#lang-toggle").click()
    expect(page.locator("#view h1")).to_have_text("Ask or complain")
    expect(page.get_by_label("Type")).to_be_visible()
    snap("english")
    page.locator("#lang-toggle").click()
    # A consultation to the city's market regulator reaches the demo officer's 企业诉求 screen,
    # marked 咨询, the person's name masked.
    subject = f"个体户办食品经营许可要带什么 {uuid.uuid4().hex[:4]}"
    status, q = call(base, "POST", "/me/questions", {
        "department": "SCJGJ", "kind": "consultation", "subject": subject,
        "text": "我想在家门口开小吃店，需要准备哪些材料？"}, own)
    assert status == 201 and q["days_left"] == 5, q
    start_session(page, OFFICER_PHONE, OFFICER_PASSWORD)
    page.goto(f"{base}/#/officer/questions")
    card = page.locator(f"li.question[data-id='{q['id']}']")
    expect(card).to_contain_text("咨询")
    expect(card).to_contain_text("李*文")
    card.get_by_role("link", name=subject).click()
    expect(page.locator("#view h1")).to_have_text(subject)
    expect(page.locator("#view dl.facts")).to_contain_text("李*文（个人）")
    expect(page.locator("#view dl.facts")).to_contain_text("提问人")
    expect(page.locator("#oq-answer-help")).to_contain_text("提问人的消息中心")
    snap("officer")
