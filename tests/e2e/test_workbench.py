"""The staff side in a 390x844 Chromium: after logging in, staff land on their workbench; the
navigation fits in every role x language x elder mode (each tab's box measured); an officer opens
clean materials inline (an image, a PDF) from the emulator's bucket under the page's CSP and
never an infected one (the EICAR test file, found by ClamAV with the project's test signatures);
the accept dialog asks for a note (备注), not a reason.

The registry person here (赖志杰) is used by no other e2e test; the demo officer (SCJGJ, city
level) decides, so the matter is a person's SCJGJ city matter.
"""
import re
import time

from accounts import (
    OFFICER_PASSWORD,
    OFFICER_PHONE,
    PDF,
    call,
    ensure_registered,
    post_file,
    sms_code,
)
from conftest import ARTIFACTS
from playwright.sync_api import expect

CHANGE = "441400-SCJGJ-0013"      # 个体工商户变更登记: three materials, for a person
APPLICANT = {"name": "赖志杰", "id_number": "441481193205110833", "phone": "15137021681"}
PASSWORD = "Hakka-Workbench-54"
ADMIN_PHONE, SUPERVISOR_PHONE = "13900000001", "13900000002"   # infra/seed/staff.json
# The EICAR anti-virus test file, put together here so this source file is no test file itself.
EICAR = ("X5O!P%@AP[4\\PZX54(P^)7CC" + ")7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*").encode()
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360f8cf00000301010018dd8db00000000049454e44ae426082")
WIDTH = 390



def file_application(base, token, files):
    """File CHANGE with one upload per material (content, type) and submit it. Fields the
    verified identity answers are left to the server when it fills them."""
    form = {"applicant_name": APPLICANT["name"], "id_number": APPLICANT["id_number"],
            "phone": APPLICANT["phone"], "change_item": "经营场所",
            "change_content": "梅州市梅江区彬芳大道 8 号"}
    status, app = call(base, "POST", "/applications", {"matter": CHANGE, "form": form}, token)
    if status == 422:
        filled = app["error"]["details"]["fields"]
        form = {k: v for k, v in form.items() if f"form.{k}" not in filled}
        status, app = call(base, "POST", "/applications", {"matter": CHANGE, "form": form}, token)
    assert status == 201, app
    guide = call(base, "GET", f"/matters/{CHANGE}")[1]
    assert len(guide["materials"]) == len(files)
    for m, (content, ctype) in zip(guide["materials"], files, strict=True):
        status, grant = call(base, "POST", f"/applications/{app['id']}/materials/uploads", {
            "material": m["name"], "content_type": ctype, "size": len(content)}, token)
        assert status == 201, grant
        post_file(grant["url"], grant["fields"], content, ctype=ctype)
        status, body = call(base, "POST", f"/applications/{app['id']}/materials",
                            {"material": m["name"], "upload_key": grant["key"]}, token)
        assert status == 200, body
        assert body["materials"][m["name"]]["scan"] in ("pending", "clean", "infected")
    return app, [m["name"] for m in guide["materials"]]


def scanned(base, token, app_id):
    """The application once the worker has scanned every upload (ClamAV through the queue)."""
    deadline = time.monotonic() + 90
    while True:
        status, app = call(base, "GET", f"/applications/{app_id}", None, token)
        assert status == 200, app
        scans = {m.get("scan") for m in app["materials"].values()}
        if "pending" not in scans:
            return app
        assert time.monotonic() < deadline, app["materials"]
        time.sleep(0.5)


def staff_login(page, phone):
    """Log in through the screens with the second factor (the code from the dev outbox)."""
    page.goto(page.base + "/#/login")
    expect(page.locator("#view h1")).to_have_text("登录")
    page.get_by_label("手机号").fill(phone)
    page.get_by_label("密码", exact=True).fill(OFFICER_PASSWORD)
    page.get_by_role("button", name="登录").click()
    code = page.get_by_label("短信验证码")
    expect(code).to_be_visible()
    code.fill(sms_code(page.base, phone))
    page.get_by_role("button", name="确认登录").click()
    expect(page.locator("#id-now")).to_be_visible()


def citizen_login(page, phone, password):
    page.goto(page.base + "/#/login")
    page.get_by_label("手机号").fill(phone)
    page.get_by_label("密码", exact=True).fill(password)
    page.get_by_role("button", name="登录").click()
    expect(page.locator("#id-now")).to_be_visible()


def nav_problems(page, tabs):
    """Every nav tab measured: inside the 390 px viewport, text not cut, no two overlapping."""
    boxes = page.eval_on_selector_all(".nav a", """els => els.map((a) => {
        const r = a.getBoundingClientRect();
        return {text: a.textContent.trim(), left: r.left, right: r.right, top: r.top,
                bottom: r.bottom, cut: a.scrollWidth > a.clientWidth + 1,
                shown: r.width > 0 && r.height > 0 && getComputedStyle(a).visibility === 'visible'};
    })""")
    width = page.evaluate("document.documentElement.clientWidth")
    assert width == WIDTH
    problems = []
    if len(boxes) != tabs:
        problems.append(f"{len(boxes)} tabs, expected {tabs}: {[b['text'] for b in boxes]}")
    for b in boxes:
        if not b["shown"] or b["cut"] or b["left"] < 0 or b["right"] > width + 0.5:
            problems.append(f"{b['text']!r} at {b['left']:.0f}..{b['right']:.0f} cut={b['cut']}")
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            if (a["left"] < b["right"] - 0.5 and b["left"] < a["right"] - 0.5
                    and a["top"] < b["bottom"] - 0.5 and b["top"] < a["bottom"] - 0.5):
                problems.append(f"{a['text']!r} overlaps {b['text']!r}")
    scroll = page.eval_on_selector(".nav ul", "ul => ul.scrollWidth - ul.clientWidth")
    if scroll > 0:
        problems.append(f"the tab row scrolls by {scroll} px")
    return problems


def every_mode(page, tabs, role):
    """The four modes in turn (中文, 长辈版, English + 长辈版, English): the problems of each."""
    found = {}
    for step, (button, lang, elder) in enumerate((
            (None, "zh-CN", "false"), ("#elder-toggle", "zh-CN", "true"),
            ("#lang-toggle", "en", "true"), ("#elder-toggle", "en", "false"))):
        if button:
            page.locator(button).click()
        expect(page.locator("html")).to_have_attribute("lang", lang)
        expect(page.locator("#elder-toggle")).to_have_attribute("aria-pressed", elder)
        if role in ("officer", "catalogue_admin"):
            expect(page.locator(".nav li.staff")).to_have_count(1)
        page.wait_for_timeout(100)  # the layout after the re-render
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"workbench-nav-{role}-{lang}-elder-{elder}.png"),
                        clip={"x": 0, "y": 0, "width": WIDTH, "height": 420})
        problems = nav_problems(page, tabs)
        if problems:
            found[f"{role} {lang} elder={elder} (step {step})"] = problems
    return found


def test_staff_land_on_their_workbench_and_the_nav_fits_everywhere(browser, hall_url):
    ensure_registered(hall_url, APPLICANT, PASSWORD)
    found: dict = {}
    problems: list = []
    for role, login, landing, tabs in (
            ("anonymous", None, None, 5),
            ("citizen", lambda pg: citizen_login(pg, APPLICANT["phone"], PASSWORD), "我的", 5),
            ("officer", lambda pg: staff_login(pg, OFFICER_PHONE), "办件工作台", 6),
            ("catalogue_admin", lambda pg: staff_login(pg, ADMIN_PHONE), "事项目录管理", 6),
            ("supervisor", lambda pg: staff_login(pg, SUPERVISOR_PHONE), "效能监督", 6)):
        ctx = browser.new_context(viewport={"width": WIDTH, "height": 844}, locale="zh-CN",
                                  service_workers="allow")
        page = ctx.new_page()
        page.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))
        page.on("console", lambda m: problems.append(f"console: {m.text}")
                if "Content Security Policy" in m.text else None)
        page.base = hall_url
        try:
            if login:
                login(page)
                expect(page.locator("#view h1")).to_have_text(landing)
            if role == "catalogue_admin":  # the catalogue screen: its state and a publication
                expect(page.locator("#view .facts")).to_contain_text("已发布版本")
                page.get_by_role("button", name="发布目录").click()
                expect(page.get_by_role("status").filter(has_text="已提交发布")).to_be_visible()
            if not login:
                page.goto(hall_url + "/")
            found.update(every_mode(page, tabs, role))
        finally:
            ctx.close()
    assert not problems, problems
    assert found == {}


def test_an_officer_opens_clean_materials_inline_and_never_an_infected_one(page, hall_url):
    tokens = ensure_registered(hall_url, APPLICANT, PASSWORD)
    token = tokens["access_token"]
    clean, names = file_application(hall_url, token, [(PNG, "image/png"), (PDF, "application/pdf"),
                                                      (PDF, "application/pdf")])
    bad, _ = file_application(hall_url, token, [(PNG, "image/png"), (EICAR, "application/pdf"),
                                                (PDF, "application/pdf")])
    for app in (clean, bad):
        status, body = call(hall_url, "POST", f"/applications/{app['id']}/submit", None, token)
        assert status in (200, 422), body
    clean = scanned(hall_url, token, clean["id"])
    bad = scanned(hall_url, token, bad["id"])
    assert {m["scan"] for m in clean["materials"].values()} == {"clean"}
    assert bad["materials"][names[1]]["scan"] == "infected"
    # The infected draft could not be submitted; the clean one waits in the queue.
    assert (clean["status"], bad["status"]) == ("submitted", "draft")

    staff_login(page, OFFICER_PHONE)
    expect(page.locator("#view h1")).to_have_text("办件工作台")  # landed on the queue
    page.goto(f"{hall_url}/#/officer/{clean['id']}")
    rows = page.locator(".mats .mat-row")
    expect(rows).to_have_count(3)
    expect(rows.locator(".tag.scan")).to_have_text(["已通过安全检查"] * 3)
    # An image, inline, from the emulator's bucket through the short-lived link.
    page.get_by_role("button", name=f"查看材料：{names[0]}（将记录查看日志）").click()
    image = page.locator("#of-viewer img.doc")
    expect(image).to_be_visible()
    page.wait_for_function("() => document.querySelector('#of-viewer img.doc')?.naturalWidth > 0")
    assert image.get_attribute("alt") == names[0]
    expect(page.locator("#of-viewer h3")).to_be_focused()
    # A PDF in a frame of the bucket's origin; the link serves the very file, inline.
    page.get_by_role("button", name=f"查看材料：{names[1]}（将记录查看日志）").click()
    frame = page.locator("#of-viewer iframe.doc")
    expect(frame).to_be_visible()
    src = frame.get_attribute("src")
    assert src.startswith("http://127.0.0.1:") and not src.startswith(hall_url)
    # The page may show images and frames from that origin alone (its own CSP header).
    origin = "/".join(src.split("/")[:3])
    csp = dict(d.strip().split(" ", 1) for d in page.request.get(hall_url + "/").headers[
        "content-security-policy"].split(";") if d.strip())
    assert (csp["img-src"], csp["frame-src"], csp["object-src"]) == (
        f"'self' data: {origin}", origin, "'none'")
    got = page.request.get(src)
    assert got.status == 200 and got.body() == PDF
    assert got.headers["content-type"] == "application/pdf"
    assert got.headers.get("content-disposition") == "inline"
    page.get_by_role("button", name="关闭预览").click()
    expect(page.locator("#of-viewer")).to_be_hidden()

    # The accept dialog asks for a note, not a reason.
    page.get_by_role("button", name="受理", exact=True).click()
    note = page.get_by_label("备注")
    expect(note).to_be_visible()
    expect(page.locator("#of-reason-box")).not_to_contain_text("理由")
    note.fill("材料齐全")
    page.get_by_role("button", name="确认受理").click()
    expect(page.locator("#of-status")).to_have_text("已受理")

    # The infected file says why and has no 查看 button; the clean ones of that draft have one.
    page.goto(f"{hall_url}/#/officer/{bad['id']}")
    infected = page.locator(".mats .mat-row[data-scan='infected']")
    expect(infected).to_have_count(1)
    expect(infected.locator(".tag.scan")).to_have_text("发现病毒，不能打开")
    expect(infected).to_contain_text("不能打开，也不能受理")
    expect(infected.get_by_role("button")).to_have_count(0)
    expect(page.locator(".mats button.open")).to_have_count(2)
    # In English, the workbench names the scan in English too.
    page.locator("#lang-toggle").click()
    expect(page.locator(".mats .mat-row .tag.scan").first).to_have_text("Scanned: clean")
    expect(page.get_by_role("button", name=f"View {names[0]} (the view is logged)")).to_be_visible()


def test_the_applicant_sees_the_scan_and_an_infected_file_stops_the_submission(page, hall_url):
    ensure_registered(hall_url, APPLICANT, PASSWORD)
    citizen_login(page, APPLICANT["phone"], PASSWORD)
    page.goto(f"{hall_url}/#/apply/{CHANGE}")
    expect(page.locator("#view h1")).to_contain_text("个体工商户变更登记")
    page.get_by_label("变更事项").select_option("经营范围")
    page.get_by_label("变更后内容").fill("日用百货零售")
    guide = call(hall_url, "GET", f"/matters/{CHANGE}")[1]
    files = {guide["materials"][0]["name"]: {"name": "licence.png", "mimeType": "image/png",
                                             "buffer": PNG},
             guide["materials"][1]["name"]: {"name": "id.pdf", "mimeType": "application/pdf",
                                             "buffer": EICAR}}
    for name, file in files.items():
        field = page.get_by_label(f"上传文件：{name}")
        field.set_input_files(file)
        status = page.locator("fieldset", has=field).locator(".upl")
        # Attached, with its scan: being checked, or (the local worker is quick) its verdict.
        verdict = "已通过安全检查" if file["buffer"] == PNG else "发现病毒，不能打开"
        expect(status).to_have_text(re.compile(
            rf"^已上传：{re.escape(file['name'])} · (安全检查中|{verdict})$"))
    # Once the worker has scanned them, submitting names the infected file under its material.
    app_id = None
    deadline = time.monotonic() + 90
    while app_id is None:
        status, mine = call(hall_url, "GET", "/applications", None,
                            ensure_registered(hall_url, APPLICANT, PASSWORD)["access_token"])
        assert status == 200, mine
        drafts = [a for a in mine["items"] if a["matter"] == CHANGE and a["status"] == "draft"]
        app_id = drafts[0]["id"] if drafts else None
        assert app_id or time.monotonic() < deadline
    token = ensure_registered(hall_url, APPLICANT, PASSWORD)["access_token"]
    app = scanned(hall_url, token, app_id)
    bad = guide["materials"][1]["name"]
    assert app["materials"][bad]["scan"] == "infected"
    page.get_by_role("button", name="提交申请").click()
    box = page.locator("fieldset", has=page.get_by_label(f"上传文件：{bad}"))
    expect(box.locator(".field-error")).to_contain_text(f"“{bad}”的文件未通过病毒扫描，请重新上传。")
    assert call(hall_url, "GET", f"/applications/{app_id}", None, token)[1]["status"] == "draft"
    # The application's own page lists each material with its scan.
    page.goto(f"{hall_url}/#/applications/{app_id}")
    expect(page.locator(".mats .mat-row[data-scan='infected'] .tag.scan")).to_have_text(
        "发现病毒，不能打开")
    expect(page.locator(".mats .mat-row[data-scan='clean']")).to_contain_text(
        guide["materials"][0]["name"])
