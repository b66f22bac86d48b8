"""免申即享 and 企业找政府 on the page, in a 390x844 Chromium.

An 80-year-old of the base registry (with the social security card's bank account on record)
sees the elderly allowance offered with its reason and what will be filed (masked), claims it
with one confirmation and gets the application's number; someone who no longer qualifies is
told why (the 409's reason). Acting for his company, 张三丰 asks a department a question (field
errors by the field, the due date once sent); the department's officer answers through the API
and the answer shows in the company's question list and lands in its inbox. English and elder
mode (texts >= 18 px, tap targets >= 48 px inside the new sections)."""
import re

from accounts import act_for, browser_login, call, ensure_enterprise, ensure_registered
from conftest import ARTIFACTS
from playwright.sync_api import expect
from test_a11y import axe_source, scan  # noqa: F401 (axe_source is a fixture)
from test_elder_mode import MIN_PX, TAP_PX

# Registry people of 80+ with a bank account on record, registered by no other test.
ELDER = {"name": "钟慧", "id_number": "441427193305215124", "phone": "17891611639"}
LATE = {"name": "杨婷", "id_number": "441422193812043601", "phone": "15083273629"}
SCANNED = {"name": "温玲", "id_number": "44142619400725932X", "phone": "15016421165"}
PASSWORD = "Hakka-Offer-2026"
ZHANG = {"name": "张三丰", "id_number": "441402197005061355", "phone": "13800138000"}
ZHANG_PASSWORD = "Meizhou#Hall2026"  # test_identity.py registers him with it
FIRM = ("91441402MA0MT2NFX4", "梅州市示范科技有限公司")
ALLOWANCE = "高龄老人津贴申领"

# Inside one element: visible texts under `min` px and tap targets (buttons, inputs, links that
# stand alone) under `tap` px.
TOO_SMALL = """([sel, min, tap]) => {
  const root = document.querySelector(sel);
  const texts = [];
  const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    const el = n.parentElement;
    if (!n.textContent.trim() || el.closest('.sr-only') || !el.checkVisibility()) continue;
    const px = parseFloat(getComputedStyle(el).fontSize);
    if (px < min) texts.push([n.textContent.trim().slice(0, 20), px]);
  }
  const taps = [...root.querySelectorAll('a[href], button, input, select, textarea')]
    .filter((el) => el.checkVisibility())
    .filter((el) => !(el.tagName === 'A' && getComputedStyle(el).display === 'inline'))
    .map((el) => [el.tagName + ' ' + (el.textContent || el.id).trim().slice(0, 20),
                  el.getBoundingClientRect().height])
    .filter(([, h]) => h < tap);
  return { texts, taps };
}"""


def part(locator, name):
    """A screenshot of one section (the full-page ones are long): artifacts/page-<name>.png."""
    ARTIFACTS.mkdir(exist_ok=True)
    locator.screenshot(path=str(ARTIFACTS / f"page-{name}.png"))


def elder_check(page, sel):
    got = page.evaluate(TOO_SMALL, [sel, MIN_PX, TAP_PX])
    assert got == {"texts": [], "taps": []}, got
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def open_home(page):
    page.goto(page.base + "/")
    expect(page.locator("#mine-h")).to_be_visible(timeout=30_000)
    expect(page.locator("#pg-due-h")).to_be_visible()


def test_an_elder_claims_the_allowance_with_one_confirmation(page, snap):
    ensure_registered(page.base, ELDER, PASSWORD)
    page.goto(page.base + "/")
    browser_login(page, ELDER["phone"], PASSWORD)
    open_home(page)
    offer = page.locator("#home-page li.offer")
    expect(offer).to_have_count(1)
    expect(page.locator("#pg-offers-h")).to_have_text("免申即享：不用申请，确认即可")
    expect(offer.locator("a.title")).to_have_text(ALLOWANCE)
    expect(offer.locator(".reason")).to_contain_text(re.compile("^因为您已年满80周岁"))
    filed = offer.locator("dl.filed")
    expect(filed).to_contain_text("申请人姓名")
    expect(filed).to_contain_text(ELDER["name"])
    expect(filed).to_contain_text("441427********5124")           # masked, never in full
    expect(filed).to_contain_text(re.compile(r"收款银行账号\s*6228\*+\d{4}"))
    expect(page.locator("#home-page")).not_to_contain_text(ELDER["id_number"])
    expect(offer.locator(".filed-mats")).to_contain_text("居民身份证 · 用您已核验的身份")
    expect(page.locator("#home-page li.rec", has_text=ALLOWANCE)).to_have_count(0)  # not twice
    offer.scroll_into_view_if_needed()
    snap("offer")
    part(offer, "offer")

    # the confirmation step: plain words, and a way back
    claim = offer.get_by_role("button", name=f"确认领取：{ALLOWANCE}")
    claim.click()
    expect(offer.locator(".confirm-q")).to_be_focused()
    expect(offer.locator(".confirm-q")).to_contain_text("您不用填写任何内容")
    expect(claim).to_be_hidden()
    offer.get_by_role("button", name="先不领取").click()
    expect(claim).to_be_focused()
    claim.click()
    page.locator("#elder-toggle").click()  # big buttons and text for an elder
    elder_check(page, "#home-page li.offer")
    snap("offer-confirm-elder")
    part(offer, "offer-confirm-elder")
    page.locator("#elder-toggle").click()
    offer.get_by_role("button", name="是的，确认提交").click()
    done = offer.locator(".done")
    expect(done).to_be_focused()
    expect(done).to_have_text(re.compile(r"^已替您提交申请，办件编号：MZ\d+$"))
    number = done.inner_text().rsplit("：", 1)[1]
    snap("offer-done")
    part(offer, "offer-done")
    offer.get_by_role("link", name="查看这份申请").click()
    expect(page).to_have_url(re.compile(rf"#/applications/{number}$"))
    expect(page.locator("#view")).to_contain_text(ALLOWANCE)

    # filed: no longer offered; in English the page says so in English
    open_home(page)
    expect(page.locator("#home-page li.offer")).to_have_count(0)
    expect(page.locator("#pg-apps-h + ul")).to_contain_text(ALLOWANCE)


def test_the_offer_in_english_and_a_refusal_shows_its_reason(page, snap):
    tokens = ensure_registered(page.base, LATE, PASSWORD)
    page.goto(page.base + "/")
    browser_login(page, LATE["phone"], PASSWORD)
    open_home(page)
    offer = page.locator("#home-page li.offer")
    expect(offer).to_have_count(1)
    page.locator("#lang-toggle").click()
    expect(page.locator("#pg-offers-h")).to_have_text("Granted without applying: just confirm")
    expect(offer.locator(".reason")).to_contain_text(re.compile("^Because you are 80 or older"))
    expect(offer.locator("dl.filed")).to_contain_text("Applicant's name")
    expect(offer.locator(".filed-mats")).to_contain_text("ID card · from your verified identity")
    expect(offer.get_by_role("button", name="Claim it")).to_be_visible()
    offer.scroll_into_view_if_needed()
    snap("offer-en")
    part(offer, "offer-en")
    page.locator("#lang-toggle").click()
    expect(page.locator("#pg-offers-h")).to_have_text("免申即享：不用申请，确认即可")

    # meanwhile she started the same application herself: the offer no longer stands
    code = offer.get_attribute("data-code")
    status, draft = call(page.base, "POST", "/applications", {"matter": code, "form": {}},
                         tokens["access_token"])
    assert status == 201, draft
    offer.get_by_role("button", name=re.compile("^确认领取")).click()
    offer.get_by_role("button", name="是的，确认提交").click()
    refusal = offer.locator(".offer-result .error")
    expect(refusal).to_be_focused()
    expect(refusal).to_contain_text(f"暂时不能领取：您已有该事项的申请（{draft['id']}")
    expect(offer.get_by_role("button", name=re.compile("^确认领取"))).to_be_hidden()
    snap("offer-refused")
    part(offer, "offer-refused")


def officer_token(base):
    """An officer of the market regulator of 梅江区, the company's county (its questions' queue),
    through the local stage's dev session (python -m infra.local token)."""
    status, body = call(base, "POST", "/dev/sessions",
                        {"role": "officer", "department": "SCJGJ", "region": "441402"})
    assert status == 201, body
    return body["access_token"]


def test_a_company_asks_and_the_answer_lands_in_its_inbox(page, snap):
    tokens = ensure_registered(page.base, ZHANG, ZHANG_PASSWORD)
    ensure_enterprise(page.base, tokens, FIRM[0])
    firm_token = act_for(page.base, tokens, FIRM[0])
    page.goto(page.base + "/")
    browser_login(page, ZHANG["phone"], ZHANG_PASSWORD)
    open_home(page)
    expect(page.locator("#pg-ask-h")).to_have_count(0)  # a person's own page has no question box
    label = f"{FIRM[1]}（法定代表人）"
    page.locator("#id-toggle").click()
    page.locator("#id-menu").get_by_role("button", name=label, exact=True).click()
    expect(page.locator("#mine-h")).to_have_text(f"{FIRM[1]}的主页")
    box = page.locator("#pg-ask-h").locator("xpath=..")
    expect(page.locator("#pg-ask-h")).to_have_text("企业找政府")
    expect(box.locator("#qb-department option", has_text="市场监督管理局")).to_have_count(1)

    # nothing filled: both required fields say so, by the field
    box.get_by_role("button", name="提交问题").click()
    expect(box.locator(".error-summary")).to_be_focused()
    expect(box.locator("#qb-department-box .field-error")).to_contain_text("请填写问哪个部门")
    expect(box.locator("#qb-text-box .field-error")).to_contain_text("请填写问题内容")
    # over the limit: the counter warns, the server's 422 shows under the field
    box.locator("#qb-department").select_option("SCJGJ")
    box.locator("#qb-text").fill("经" * 1001)
    expect(box.locator("#qb-text-count")).to_have_text("1001 / 1000 字 · 超出 1 个字")
    expect(box.locator("#qb-text-count")).to_have_class(re.compile("over"))
    box.get_by_role("button", name="提交问题").click()
    expect(box.locator("#qb-text-box .field-error")).to_contain_text("最多1000字")
    expect(box.locator("#qb-text")).to_have_attribute("aria-invalid", "true")
    expect(box.locator("#qb-department-box .field-error")).to_have_count(0)

    subject = f"经营范围变更要带什么材料（{page.evaluate('Date.now() % 10000')}）"
    box.locator("#qb-subject").fill(subject)
    expect(box.locator("#qb-subject-count")).to_have_text(f"{len(subject)} / 60 字")
    box.locator("#qb-text").fill("我们想增加食品销售，需要准备哪些材料？")
    box.get_by_role("button", name="提交问题").click()
    sent = box.locator("#qb-sent")
    expect(sent).to_be_focused()
    expect(sent).to_have_text(
        re.compile(r"^已提交。部门会在 \d{4}-\d\d-\d\d 前答复（5 个工作日内）"))
    due = re.search(r"\d{4}-\d\d-\d\d", sent.inner_text()).group()
    mine = box.locator("li.question", has_text=subject)
    expect(mine).to_have_count(1)
    expect(mine.locator(".tag.q-open")).to_have_text("待答复")
    expect(mine).to_contain_text(f"答复期限：{due}")
    expect(mine).to_contain_text("梅江区市场监督管理局")
    snap("question-sent")
    part(box, "question-sent")

    # the department answers from its workbench (the API): list and inbox show it
    status, listed = call(page.base, "GET", "/me/questions", None, firm_token)
    assert status == 200, listed
    qid = next(q["id"] for q in listed["items"] if q["subject"] == subject)
    answer = "需要食品经营许可证的申请材料，详见办事指南。"
    officer = officer_token(page.base)
    status, body = call(page.base, "POST", f"/officer/questions/{qid}/answer",
                        {"answer": answer}, officer)
    assert status == 200, body
    open_home(page)
    expect(mine.locator(".tag.q-answered")).to_have_text("已答复")
    expect(mine.locator(".q-answer")).to_have_text(answer)
    expect(page.locator("#nav-badge")).to_be_visible()
    page.locator("#lang-toggle").click()
    expect(page.locator("#pg-ask-h")).to_have_text("Ask the government")
    expect(mine.locator(".tag.q-answered")).to_have_text("Answered")
    expect(box.get_by_role("button", name="Send the question")).to_be_visible()
    expect(box.locator("#qb-text-count")).to_have_text("0 / 1000 characters")
    box.scroll_into_view_if_needed()
    snap("questions-en")
    part(box, "questions-en")
    page.locator("#lang-toggle").click()
    expect(page.locator("#pg-ask-h")).to_have_text("企业找政府")
    expect(mine.locator(".tag.q-answered")).to_have_text("已答复")
    page.locator("#elder-toggle").click()
    elder_check(page, "#home-page section:has(#pg-ask-h)")
    box.scroll_into_view_if_needed()
    snap("questions-elder")
    part(box, "questions-elder")
    page.locator("#elder-toggle").click()

    page.goto(page.base + "/#/inbox")
    notice = page.locator("#view li.notice-item", has_text="您的咨询已有答复").first
    expect(notice).to_have_class(re.compile("unread"))
    notice.locator("button.ib-open").click()
    expect(notice.locator(".ib-body")).to_contain_text(answer)
    expect(notice).not_to_have_class(re.compile("unread"))
    notice.get_by_role("link", name="去查看").click()
    expect(page).to_have_url(re.compile(rf"#/questions/{qid}$"))
    expect(page.locator("#view .q-answer")).to_have_text(answer)
    snap("question-answered")
    part(page.locator("#view"), "question-answered")


def test_an_offer_passes_axe(page, axe_source):  # noqa: F811
    ensure_registered(page.base, SCANNED, PASSWORD)
    page.goto(page.base + "/")
    browser_login(page, SCANNED["phone"], PASSWORD)
    for prefix in ("/", "/?elder=1"):
        page.goto(page.base + prefix)
        expect(page.locator("#pg-offers-h")).to_be_visible(timeout=30_000)
        assert scan(page, axe_source) == [], prefix
    page.locator("#home-page li.offer button.claim").click()  # the confirmation step too
    expect(page.locator("#home-page li.offer .confirm-q")).to_be_focused()
    assert scan(page, axe_source) == []
    page.goto(page.base + "/?elder=0")
