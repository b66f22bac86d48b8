"""补正 in a 390x844 Chromium: apply (identity fields filled by the server, read-only), the
officer returns it, the applicant sees each point, fixes the form, replaces a material and
resubmits from the correction screen, the officer accepts; the receipt shows the progress to
someone not logged in; the list reads offline and says what it holds.

刘琳诗 and her company are used by no other e2e test. The demo officer (SCJGJ, city level)
decides, so the matter is SCJGJ's 食品经营许可, applied for as the company.
"""
from accounts import PDF, call, ensure_enterprise, ensure_registered, officer_token
from conftest import ARTIFACTS, _safe
from playwright.sync_api import expect
from test_identity import log_in, switch_to

FOOD = "441400-SCJGJ-0018"
OWNER = {"name": "刘琳诗", "id_number": "441422195604116342", "phone": "18100629848"}
FIRM = ("91441422MAJXR37F44", "大埔县梅花旅游开发有限公司")
PASSWORD = "Hakka-Meihua-53"
FIX = "经营场所使用证明（产权证明或租赁合同）"



def shot(pg, request, step):
    ARTIFACTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / f"{_safe(request.node.name)}-{step}.png"), full_page=True)


def pdf(name):
    return {"name": name, "mimeType": "application/pdf", "buffer": PDF}


def officer_acts(base, app_id, body):
    status, got = call(base, "POST", f"/officer/applications/{app_id}/actions", body,
                       officer_token(base))
    assert status == 200, got
    return got


def test_return_fix_resubmit_accept_and_the_receipt(page, browser, hall_url, request):
    tokens = ensure_registered(hall_url, OWNER, PASSWORD)
    ensure_enterprise(hall_url, tokens, FIRM[0])
    log_in(page, OWNER["phone"], PASSWORD)
    switch_to(page, f"{FIRM[1]}（法定代表人）")

    # Apply: what the city knows is filled in, masked and read-only; the rest is typed.
    page.goto(f"{hall_url}/#/apply/{FOOD}")
    name = page.locator("input[name=applicant_name]")
    expect(name).to_have_value(FIRM[1])
    expect(name).to_have_attribute("readonly", "")
    expect(page.locator("input[name=certificate_number]")).to_have_value(FIRM[0])
    phone = page.locator("input[name=phone]")
    expect(phone).to_have_value(OWNER["phone"][:3] + "****" + OWNER["phone"][-4:])
    expect(phone).to_have_attribute("readonly", "")
    page.locator("textarea[name=premises_address]").fill("大埔县湖寮镇梅花路 1 号")
    page.locator("select[name=category]").select_option("预包装食品销售")
    page.locator("select[name=subject]").select_option("食品销售经营者")
    files = page.locator("input[type=file]")
    for i in range(files.count()):
        files.nth(i).set_input_files(pdf(f"m{i}.pdf"))
        expect(page.locator(".mat-up .status").nth(i)).to_contain_text("已上传")
    shot(page, request, "1-apply")
    page.get_by_role("button", name="提交申请").click()
    expect(page.locator("#app-status")).to_have_text("已提交")
    number = page.locator("#rc-no").inner_text()
    code = page.locator("#rc-code").inner_text()
    assert number.startswith("MZ") and len(code) == 8
    shot(page, request, "2-submitted-receipt")

    # The officer returns it for one material of the guide.
    officer_acts(hall_url, number, {"action": "return", "items": [FIX]})
    page.reload()
    expect(page.locator("#app-status")).to_have_text("待补正")
    expect(page.locator("#ret-items")).to_contain_text(FIX)
    expect(page.locator("#corr-due")).to_be_visible()
    # No countdown of the department's while it waits for the applicant.
    expect(page.locator("#dl-paused")).to_be_visible()
    expect(page.locator(".deadlines")).to_have_count(0)
    shot(page, request, "3-returned")

    # The correction screen: the point to fix, the form as it was, replace the material.
    page.locator("#to-correct").click()
    expect(page.locator("#fix-items")).to_contain_text(FIX)
    address = page.locator("textarea[name=premises_address]")
    expect(address).to_have_value("大埔县湖寮镇梅花路 1 号")
    expect(page.locator("input[name=applicant_name]")).to_have_attribute("readonly", "")
    address.fill("大埔县湖寮镇梅花路 18 号")
    box = page.locator(".mat-up", has_text=FIX)
    expect(box.locator(".status")).to_contain_text("已提交")
    box.locator("input[type=file]").set_input_files(pdf("lease.pdf"))
    expect(box.locator(".status")).to_contain_text("已上传")
    shot(page, request, "4-correcting")
    page.get_by_role("button", name="重新提交").click()
    expect(page.locator("#app-status")).to_have_text("已提交")
    expect(page.locator(".notice")).to_contain_text("已重新提交")
    # Both rounds in the timeline, and the deadlines count again.
    expect(page.locator(".timeline li", has_text="提交申请")).to_have_count(2)
    expect(page.locator(".timeline li", has_text="退回补正")).to_have_count(1)
    expect(page.locator(".deadlines")).to_be_visible()
    shot(page, request, "5-resubmitted")

    done = officer_acts(hall_url, number, {"action": "accept"})
    assert done["form"]["premises_address"] == "大埔县湖寮镇梅花路 18 号"
    page.reload()
    expect(page.locator("#app-status")).to_have_text("已受理")
    shot(page, request, "6-accepted")

    # The list keeps a copy: offline it says what it holds and when it was updated.
    page.goto(f"{hall_url}/#/applications")
    expect(page.locator(".card.app", has_text=number)).to_contain_text(code)
    page.context.set_offline(True)
    try:
        page.reload()
        expect(page.locator("#apps-offline")).to_contain_text("离线副本，更新于")
        expect(page.locator(".card.app", has_text=number)).to_be_visible()
        shot(page, request, "7-offline-list")
    finally:
        page.context.set_offline(False)

    # Anyone with the receipt follows it without logging in; nothing personal.
    stranger = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    try:
        other = stranger.new_page()
        other.goto(f"{hall_url}/#/progress")
        other.locator("input[name=number]").fill(number)
        other.locator("input[name=code]").fill("AAAA2222" if code != "AAAA2222" else "BBBB3333")
        other.get_by_role("button", name="查询").click()
        expect(other.locator(".error-summary")).to_contain_text("申请编号或查询码不正确")
        other.locator("input[name=code]").fill(code)
        other.get_by_role("button", name="查询").click()
        expect(other.locator("#pg-status")).to_have_text("已受理")
        text = other.locator("main").inner_text()
        assert OWNER["name"] not in text and OWNER["phone"][-4:] not in text
        ARTIFACTS.mkdir(exist_ok=True)
        other.screenshot(path=str(ARTIFACTS / f"{_safe(request.node.name)}-8-progress.png"),
                         full_page=True)
        # The English switch reads the same screen in English.
        other.locator("#lang-toggle").click()
        expect(other.locator("#view h1")).to_have_text("Check progress")
        other.get_by_label("Application number").fill(number)
        other.get_by_label("Query code").fill(code)
        other.get_by_role("button", name="Check").click()
        expect(other.locator("#pg-status")).to_have_text("Accepted")
        expect(other.locator(".timeline")).to_contain_text("Returned for correction")
    finally:
        stranger.close()
