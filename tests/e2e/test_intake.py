"""Intake and e-licences in a 390x844 Chromium: apply, officer accepts and approves, the licence
in the wallet, its QR verified by a stranger, shown offline; reuse of a licence after consent.

Registry people and companies here are used by no other e2e test. The demo officer (SCJGJ,
city level) decides, so the matters are SCJGJ city matters that issue a licence; the licences
they issue (食品经营许可证, 营业执照) are held by an enterprise, so the applicants act for their
company.
"""
import re

from accounts import (
    OFFICER_PASSWORD,
    OFFICER_PHONE,
    PDF,
    act_for,
    apply_and_approve,
    call,
    ensure_enterprise,
    ensure_registered,
    sms_code,
    submit_application,
)
from conftest import ARTIFACTS, _safe
from playwright.sync_api import expect
from test_a11y import start_session
from test_identity import log_in, switch_to

FOOD = "441400-SCJGJ-0018"        # 食品经营许可: licensing (level 2), issues a food_licence
COMPANY_SETUP = "441400-SCJGJ-0021"  # 企业设立登记: issues a business_licence
PREPACKED = "441400-SCJGJ-0019"   # 仅销售预包装食品备案: its 营业执照 may be an e-licence
# 钟荣, legal representative of a catering company.
CHEF = {"name": "钟荣", "id_number": "441424196604081298", "phone": "13311838053"}
CHEF_FIRM = ("91441424MAP4QLT18C", "梅州市丙村餐饮管理有限公司")
# 朱子子, legal representative of a car service company.
CAR = {"name": "朱子子", "id_number": "441424194705177601", "phone": "15521009301"}
CAR_FIRM = ("91441424MAL32WQD8P", "五华县众信汽车服务有限公司")
PASSWORD = "Hakka-Weilong-66"



def new_page(browser, hall_url, problems):
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN",
                              service_workers="allow")
    pg = ctx.new_page()
    pg.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))
    pg.on("console", lambda m: problems.append(f"console: {m.text}")
          if "Content Security Policy" in m.text else None)
    pg.base = hall_url
    return ctx, pg


def shot(pg, request, step):
    ARTIFACTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / f"{_safe(request.node.name)}-{step}.png"), full_page=True)


def pdf(name="material.pdf"):
    return {"name": name, "mimeType": "application/pdf", "buffer": PDF}



def test_withdraw_asks_first_and_the_workbench_reads_in_english(page, browser, hall_url):
    """Withdrawing asks first (the one confirm step); state names and the officer's labels come
    from the one string table, so the English switch shows them in English too."""
    tokens = ensure_registered(hall_url, CHEF, PASSWORD)
    ensure_enterprise(hall_url, tokens, CHEF_FIRM[0])
    app = submit_application(hall_url, act_for(hall_url, tokens, CHEF_FIRM[0]), FOOD, {
        "applicant_name": CHEF_FIRM[1], "certificate_number": CHEF_FIRM[0], "phone": CHEF["phone"],
        "premises_address": "梅州市梅江区江南路 18 号", "category": "热食类食品制售",
        "subject": "餐饮服务经营者"})

    problems = []
    octx, officer = new_page(browser, hall_url, problems)
    try:
        start_session(officer, OFFICER_PHONE, OFFICER_PASSWORD)
        officer.goto(f"{hall_url}/#/officer/{app['id']}")
        expect(officer.locator("#of-status")).to_have_text("已提交")
        officer.locator("#lang-toggle").click()
        expect(officer.locator("#of-status")).to_have_text("Submitted")
        expect(officer.get_by_role("button", name="Accept", exact=True)).to_be_visible()
        expect(officer.get_by_role("button", name="Return for correction")).to_be_visible()
        officer.goto(f"{hall_url}/#/officer?status=in_process")
        expect(officer.locator(".tabs a[aria-current=page]")).to_have_text("In process")
        expect(officer.locator(".tabs")).to_contain_text("To accept")
        expect(officer.locator("#nav-officer")).to_have_text("Workbench")
        assert not problems, problems
    finally:
        octx.close()

    log_in(page, CHEF["phone"], PASSWORD)
    switch_to(page, f"{CHEF_FIRM[1]}（法定代表人）")
    page.goto(f"{hall_url}/#/applications/{app['id']}")
    withdraw = page.get_by_role("button", name="撤回申请")
    withdraw.click()
    expect(page.locator(".confirm-q")).to_be_focused()
    expect(withdraw).to_be_hidden()
    page.locator(".confirm").get_by_role("button", name="取消").click()
    expect(withdraw).to_be_focused()
    withdraw.click()
    page.locator(".confirm").get_by_role("button", name="确定").click()
    expect(page.get_by_role("status").filter(has_text="申请已撤回。")).to_be_focused()
    expect(page.locator("#app-status")).to_have_text("已撤回")
    expect(withdraw).to_have_count(0)

def test_apply_accept_approve_wallet_verify_offline(page, browser, hall_url, snap, request):
    ensure_enterprise(hall_url, ensure_registered(hall_url, CHEF, PASSWORD), CHEF_FIRM[0])
    log_in(page, CHEF["phone"], PASSWORD)
    switch_to(page, f"{CHEF_FIRM[1]}（法定代表人）")

    # The guide offers 在线申请; the apply screen renders the matter's form with its types.
    page.goto(f"{hall_url}/#/matters/{FOOD}")
    page.get_by_role("link", name="在线申请").click()
    expect(page.locator("#view h1")).to_have_text("申请：食品经营许可")
    # What the city knows is filled by the server from the identity: masked, read-only.
    expect(page.get_by_label("联系电话")).to_have_attribute("readonly", "")
    masked_phone = CHEF["phone"][:3] + "****" + CHEF["phone"][-4:]
    expect(page.get_by_label("联系电话")).to_have_value(masked_phone)
    expect(page.get_by_label("申请人（单位）名称")).to_have_value(CHEF_FIRM[1])
    expect(page.get_by_label("身份证号码或统一社会信用代码")).to_have_value(CHEF_FIRM[0])
    expect(page.get_by_label("经营场所地址")).to_have_js_property("tagName", "TEXTAREA")
    expect(page.get_by_label("经营项目")).to_have_js_property("tagName", "SELECT")

    # Empty: the errors are listed, focused, and shown under each field.
    page.get_by_role("button", name="提交申请").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("请填写经营场所地址")
    expect(summary).to_contain_text("请提供材料：食品安全管理制度")
    expect(page.get_by_label("经营场所地址")).to_have_attribute("aria-invalid", "true")

    page.get_by_label("经营场所地址").fill("梅州市梅江区江南路 18 号")
    page.get_by_label("经营项目").select_option("热食类食品制售")
    page.get_by_label("主体业态").select_option("餐饮服务经营者")

    # Files are checked before any upload: type and size, in plain Chinese.
    guide = call(hall_url, "GET", f"/matters/{FOOD}")[1]
    first = guide["materials"][0]["name"]
    up = page.get_by_label(f"上传文件：{first}")
    up.set_input_files({"name": "notes.txt", "mimeType": "text/plain", "buffer": b"hello"})
    box = page.locator("fieldset", has=up)
    expect(box.locator(".upl")).to_have_text(re.compile("不是 PDF、JPG 或 PNG"))
    up.set_input_files({"name": "big.pdf", "mimeType": "application/pdf",
                        "buffer": b"%PDF" + b"0" * (10 * 1024 * 1024)})
    expect(box.locator(".upl")).to_have_text(re.compile("超过 10 MB"))
    for m in guide["materials"]:
        field = page.get_by_label(f"上传文件：{m['name']}")
        field.set_input_files(pdf(f"{len(m['name'])}.pdf"))
        status = page.locator("fieldset", has=field).locator(".upl")
        expect(status).to_have_text(re.compile(r"^已上传："))
    snap("filled")
    page.get_by_role("button", name="提交申请").click()

    expect(page.locator("#view h1")).to_have_text("食品经营许可")
    expect(page.get_by_role("status").filter(has_text="申请已提交")).to_be_visible()
    expect(page.locator("#app-status")).to_have_text("已提交")
    app_id = re.search(r"MZ\d{14}", page.locator(".facts").first.inner_text()).group()
    expect(page.locator(".deadlines")).to_contain_text("受理期限")
    snap("submitted")

    # The officer, in a browser of their own, logs in with the code, finds it and decides.
    problems = []
    octx, officer = new_page(browser, hall_url, problems)
    try:
        officer.goto(hall_url + "/#/login")
        officer.get_by_label("手机号").fill(OFFICER_PHONE)
        officer.get_by_label("密码", exact=True).fill(OFFICER_PASSWORD)
        officer.get_by_role("button", name="登录").click()
        expect(officer.get_by_role("heading", name="输入短信验证码")).to_be_focused()
        officer.get_by_label("短信验证码").fill(sms_code(hall_url, OFFICER_PHONE))
        officer.get_by_role("button", name="确认登录").click()
        # Staff land on their workbench; the tab leads there too.
        expect(officer.locator("#view h1")).to_have_text("办件工作台")
        officer.locator(".nav").get_by_role("link", name="我的").click()
        expect(officer.locator("#view h1")).to_have_text("我的")
        officer.locator(".nav").get_by_role("link", name="工作台").click()
        expect(officer.locator("#view h1")).to_have_text("办件工作台")
        expect(officer.locator(".tabs a[aria-current=page]")).to_have_text("待受理")
        item = officer.locator(".queue li").filter(has_text=app_id)
        expect(item).to_contain_text("期限：")
        shot(officer, request, "queue")
        item.get_by_role("link").click()
        expect(officer.locator("#of-status")).to_have_text("已提交")
        expect(officer.locator("#view")).to_contain_text("梅州市梅江区江南路 18 号")
        # The phone arrives masked; one tap asks for it in full (an audited reveal).
        masked = CHEF["phone"][:3] + "****" + CHEF["phone"][-4:]
        expect(officer.locator("#view")).to_contain_text(masked)
        expect(officer.locator("#view")).not_to_contain_text(CHEF["phone"])
        officer.get_by_role("button", name=re.compile("显示联系电话的完整号码")).click()
        expect(officer.locator("#view")).to_contain_text(CHEF["phone"])
        officer.get_by_role("button", name="受理", exact=True).click()
        officer.get_by_role("button", name="确认受理").click()
        expect(officer.get_by_role("status").filter(has_text="已受理。")).to_be_focused()
        expect(officer.locator("#of-status")).to_have_text("已受理")
        # 不予 needs a reason: said under the field, nothing sent.
        officer.get_by_role("button", name="不予", exact=True).click()
        officer.get_by_role("button", name="确认不予").click()
        expect(officer.locator(".error-summary")).to_be_focused()
        expect(officer.get_by_label("理由")).to_have_attribute("aria-invalid", "true")
        officer.get_by_role("button", name="取消").click()
        officer.get_by_role("button", name="准予", exact=True).click()
        officer.get_by_role("button", name="确认准予").click()
        expect(officer.locator("#of-status")).to_have_text("已办结（准予）")
        expect(officer.locator(".timeline")).to_contain_text("准予办结")
        shot(officer, request, "approved")
        assert not problems, problems
    finally:
        octx.close()

    # The applicant sees it decided on the timeline, and the licence in the wallet.
    page.reload()
    expect(page.locator("#app-status")).to_have_text("已办结（准予）")
    expect(page.locator(".timeline")).to_contain_text("准予办结")
    expect(page.locator(".timeline")).to_contain_text("受理")
    snap("decided")
    page.goto(hall_url + "/#/wallet")
    card = page.locator(".list li").filter(has_text="食品经营许可证")
    expect(card).to_contain_text("有效")
    card.get_by_role("link").click()
    expect(page.locator("#view h1")).to_have_text("食品经营许可证")
    expect(page.locator("#lic-status")).to_have_text("有效")
    qr = page.locator("#lic-qr")
    expect(qr).to_be_visible()
    assert page.evaluate("document.getElementById('lic-qr').naturalWidth") > 0
    lid = page.url.rsplit("/", 1)[-1]

    # The verify URL is the wallet licence's; a stranger opens it without logging in.
    token = act_for(hall_url, ensure_registered(hall_url, CHEF, PASSWORD), CHEF_FIRM[0])
    status, full = call(hall_url, "GET", f"/wallet/{lid}", token=token)
    assert status == 200, full
    verify_url = full["verify_url"]
    assert verify_url.endswith(f"/verify/{lid}")
    expect(page.locator("#lic-url")).to_have_text(verify_url)
    public = call(hall_url, "GET", f"/verify/{lid}")[1]
    problems = []
    sctx, stranger = new_page(browser, hall_url, problems)
    try:
        stranger.goto(verify_url)
        expect(stranger.locator("#view h1")).to_have_text("电子证照核验")
        expect(stranger.locator("#verdict")).to_have_text("有效")
        expect(stranger.locator("#v-holder")).to_have_text(public["holder"])
        expect(stranger.locator("#view")).to_contain_text("梅州市市场监督管理局")
        assert "hall_in" not in stranger.evaluate("document.cookie")  # no session of anyone's
        shot(stranger, request, "verify")
        assert not problems, problems
    finally:
        sctx.close()

    # Offline, on the owner's device, the licence and its QR still show.
    assert page.evaluate("navigator.serviceWorker.ready.then(r => Boolean(r.active))")
    page.context.set_offline(True)
    try:
        page.reload()
        expect(page.locator("#view h1")).to_have_text("食品经营许可证")
        expect(page.get_by_role("status").filter(has_text="现在离线")).to_be_visible()
        expect(page.locator("#lic-qr")).to_be_visible()
        assert page.evaluate("document.getElementById('lic-qr').naturalWidth") > 0
        snap("offline")
    finally:
        page.context.set_offline(False)


def test_a_licence_is_reused_after_a_consent_preview(page, hall_url, snap):
    tokens = ensure_registered(hall_url, CAR, PASSWORD)
    ensure_enterprise(hall_url, tokens, CAR_FIRM[0])
    token = act_for(hall_url, tokens, CAR_FIRM[0])
    done = apply_and_approve(hall_url, token, COMPANY_SETUP, {
        "org_name": CAR_FIRM[1], "uscc": CAR_FIRM[0], "contact_name": CAR["name"],
        "contact_phone": CAR["phone"], "ent_name": CAR_FIRM[1], "ent_type": "有限责任公司",
        "capital": 100, "premises_address": "五华县水寨镇华兴路 8 号",
        "business_scope": "汽车维修、汽车用品销售", "legal_rep_name": CAR["name"],
        "legal_rep_id_number": CAR["id_number"]})
    lid = done["licences"][0]
    preview = call(hall_url, "POST", f"/wallet/{lid}/preview", {"matter": PREPACKED}, token)[1]

    log_in(page, CAR["phone"], PASSWORD)
    switch_to(page, f"{CAR_FIRM[1]}（法定代表人）")
    page.goto(f"{hall_url}/#/apply/{PREPACKED}")
    expect(page.locator("#view h1")).to_have_text("申请：仅销售预包装食品备案")
    use = page.get_by_role("button", name="使用电子证照：营业执照")
    status = page.locator("fieldset", has=use).locator(".upl")

    # The preview lists exactly the fields the matter gets; 取消 shares nothing.
    use.click()
    dialog = page.get_by_role("dialog", name="使用电子证照")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("button", name="同意并使用")).to_be_focused()
    expect(dialog.locator("dt")).to_have_text([f["label"] for f in preview["fields"]])
    expect(dialog.locator("dd")).to_have_text([f["value"] for f in preview["fields"]])
    snap("consent")
    dialog.get_by_role("button", name="取消").click()
    expect(dialog).to_have_count(0)
    expect(use).to_be_focused()
    expect(status).to_have_text("已取消，没有共享任何信息。")
    assert call(hall_url, "GET", f"/wallet/{lid}/usage", token=token)[1]["items"] == []

    use.click()
    page.get_by_role("dialog").get_by_role("button", name="同意并使用").click()
    expect(status).to_have_text(f"已使用电子证照：营业执照（共享 {len(preview['fields'])} 项信息）")
    expect(page.get_by_label("申请人（单位）名称")).to_have_value(CAR_FIRM[1])
    page.get_by_label("经营场所地址").fill("五华县水寨镇华兴路 8 号")
    page.get_by_label("上传文件：经营者身份证件").set_input_files(pdf())
    expect(page.locator(".upl").filter(has_text="已上传")).to_be_visible()
    page.get_by_role("button", name="提交申请").click()
    expect(page.locator("#app-status")).to_have_text("已提交")

    # The wallet's usage log says who used it, when, for what.
    page.goto(f"{hall_url}/#/wallet/{lid}")
    usage = page.locator(".usage li")
    expect(usage).to_have_count(1)
    expect(usage).to_contain_text("本人")
    expect(usage).to_contain_text("仅销售预包装食品备案")
    expect(usage).to_contain_text("统一社会信用代码")
    snap("usage")
