"""企业找政府 on the officer workbench in a 390x844 Chromium: the demo enterprise asks the market
regulator a question through the API; the demo officer (SCJGJ, city level) finds it under 企业诉求
with its working days left, opens it, answers it; the answer is then in the enterprise's inbox
(checked through the API), the question leaves the open queue, and a second answer is refused.
English and elder mode are looked at, and axe finds nothing on either screen."""
import re
import uuid

from accounts import (
    OFFICER_PASSWORD,
    OFFICER_PHONE,
    act_for,
    browser_login,
    call,
    ensure_enterprise,
    ensure_registered,
    officer_tokens,
)
from playwright.sync_api import expect
from test_a11y import axe_source, scan  # noqa: F401 (axe_source is a fixture)

ZHANG = {"name": "张三丰", "id_number": "441402197005061355", "phone": "13800138000"}
ZHANG_PASSWORD = "Meizhou#Hall2026"  # test_identity.py registers him with it
FIRM = "91441402MA0MT2NFX4"          # 梅州市示范科技有限公司
FOOD = "441400-SCJGJ-0018"           # 食品经营许可 (the city's market regulator)
ANSWER = "可以全程网上办理。请在线提交申请书和经营场所证明，材料齐全的当场受理。"


def ask(base) -> tuple[str, dict, str]:
    """The question (its id), as the company's legal representative, and his acting token."""
    tokens = ensure_registered(base, ZHANG, ZHANG_PASSWORD)
    ensure_enterprise(base, tokens, FIRM)
    token = act_for(base, tokens, FIRM)
    subject = f"食品经营许可能否网上办理 {uuid.uuid4().hex[:4]}"
    status, q = call(base, "POST", "/me/questions", {
        "department": "SCJGJ", "matter": FOOD, "subject": subject,
        "text": "我司准备在梅江区开设门店销售预包装食品，\n"
                "请问食品经营许可能否全程网上办理？"}, token)
    assert status == 201, q
    assert q["status"] == "open" and q["days_left"] == 5
    return q["id"], q, token


def test_an_officer_answers_an_enterprise_question_and_it_reaches_the_inbox(
        page, snap, axe_source):  # noqa: F811
    base = page.base
    qid, q, firm_token = ask(base)
    before = call(base, "GET", "/me/inbox/unread", None, firm_token)[1]

    browser_login(page, OFFICER_PHONE, OFFICER_PASSWORD)
    page.goto(base + "/#/officer")
    expect(page.locator("#view h1")).to_have_text("办件工作台")
    page.get_by_role("link", name="企业诉求").click()
    expect(page.locator("#view h1")).to_have_text("企业诉求")
    expect(page.locator(".tabs a[aria-current=page]")).to_have_text("待答复")
    card = page.locator(f"li.question[data-id='{qid}']")
    expect(card).to_be_visible()
    expect(card.locator("a.title")).to_have_text(q["subject"])
    expect(card).to_contain_text("梅州市示范科技有限公司")
    expect(card.locator(".tag")).to_have_text("剩余 5 个工作日")
    expect(card).to_contain_text(f"答复期限 {q['due']}")
    assert scan(page, axe_source) == []
    snap("queue")

    card.locator("a.title").click()
    expect(page.locator("#view h1")).to_have_text(q["subject"])
    expect(page.locator(".q-text").first).to_have_text(q["text"])
    expect(page.locator("dl.facts")).to_contain_text("法定代表人")
    expect(page.locator("dl.facts")).to_contain_text("梅州市市场监督管理局")
    box = page.get_by_label(re.compile("答复内容"))
    # an empty answer is stopped in the page, named by its field
    page.get_by_role("button", name="提交答复").click()
    expect(page.locator(".error-summary")).to_be_focused()
    box.fill(ANSWER)
    expect(page.locator("#oq-answer-count")).to_have_text(f"{len(ANSWER)}/2000 字")
    assert scan(page, axe_source) == []
    snap("answering")
    page.get_by_role("button", name="提交答复").click()
    expect(page.locator(".notice")).to_have_text("答复已发送，企业将在消息中心收到。")
    expect(page.locator("#oq-status")).to_contain_text("已答复")
    expect(page.locator(".q-answer")).to_have_text(ANSWER)
    expect(page.locator("#oq-answer")).to_have_count(0)
    snap("answered")

    # The enterprise's inbox holds the answer (and its badge went up by one).
    status, inbox = call(base, "GET", "/me/inbox", None, firm_token)
    assert status == 200, inbox
    notice = next(n for n in inbox["items"] if n["link"] == f"/#/questions/{qid}")
    assert notice["kind"] == "question" and ANSWER in notice["body"] and not notice["read"]
    after = call(base, "GET", "/me/inbox/unread", None, firm_token)[1]
    assert after["unread"] == before["unread"] + 1
    status, mine = call(base, "GET", f"/me/questions/{qid}", None, firm_token)
    assert (status, mine["status"], mine["answer"]) == (200, "answered", ANSWER)

    # It left the open queue for the answered one.
    page.goto(base + "/#/officer/questions")
    expect(page.locator(".status")).not_to_have_text("正在加载…")
    expect(page.locator(f"li.question[data-id='{qid}']")).to_have_count(0)
    page.get_by_role("link", name="已答复").click()
    expect(page.locator(f"li.question[data-id='{qid}'] .tag")).to_have_text("按期答复")

    # English, then elder mode.
    page.locator("#lang-toggle").click()
    expect(page.locator("#view h1")).to_have_text("Enterprise questions")
    expect(page.locator(".tabs a[aria-current=page]")).to_have_text("Answered")
    expect(page.locator(f"li.question[data-id='{qid}'] .tag")).to_have_text("Answered on time")
    page.goto(base + f"/#/officer/questions/{qid}")
    expect(page.locator("#oq-ans-h")).to_have_text("Answer")
    expect(page.locator("dl.facts")).to_contain_text("Legal representative")
    expect(page.locator("dl.facts")).to_contain_text("Food business licence")
    snap("en")
    page.locator("#elder-toggle").click()
    expect(page.locator("html")).to_have_class(re.compile("elder"))
    expect(page.locator(".q-answer")).to_be_visible()
    snap("en-elder")
    page.locator("#elder-toggle").click()
    page.locator("#lang-toggle").click()


def test_a_second_answer_is_refused_and_the_screen_says_so(page):
    base = page.base
    qid, _, _ = ask(base)
    browser_login(page, OFFICER_PHONE, OFFICER_PASSWORD)
    page.goto(base + f"/#/officer/questions/{qid}")
    expect(page.get_by_role("button", name="提交答复")).to_be_visible()
    # Meanwhile a colleague answers it through the API.
    colleague = officer_tokens(base)["access_token"]
    status, _ = call(base, "POST", f"/officer/questions/{qid}/answer", {"answer": "已电话答复。"},
                     colleague)
    assert status == 200
    page.get_by_label(re.compile("答复内容")).fill("另一份答复")
    page.get_by_role("button", name="提交答复").click()
    expect(page.locator(".notice")).to_have_text("这个问题已经答复过了。")
    expect(page.locator(".q-answer")).to_have_text("已电话答复。")
