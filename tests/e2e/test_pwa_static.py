"""Static checks of the PWA: manifest, icons, service-worker rules, personal data and spam words."""
import importlib.util
import json
import re
import shutil
import struct
from pathlib import Path

PWA = Path(__file__).resolve().parents[2] / "pwa"
SPAM = ("亚博网址链接", "yabo88", "亚搏app下载安装")


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
    return struct.unpack(">II", data[16:24])


def test_manifest_is_installable():
    m = json.loads((PWA / "manifest.webmanifest").read_text("utf-8"))
    assert (m["name"], m["short_name"], m["lang"], m["start_url"], m["display"]) == (
        "梅州网上办事大厅", "梅州办事", "zh-CN", "/", "standalone")
    assert m["theme_color"].startswith("#")
    sizes = {(i["sizes"], i.get("purpose", "any")) for i in m["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for icon in m["icons"]:
        path = PWA / icon["src"].lstrip("/")
        assert path.exists(), icon
        if icon["type"] == "image/png":
            w, h = png_size(path)
            assert f"{w}x{h}" == icon["sizes"], icon
            assert path.stat().st_size < 20_000, icon


def test_service_worker_serves_every_shell_file_under_its_version():
    """Every module is listed (precached, or cached on first use) and served under /v/<version>/;
    the staff and account modules wait until someone uses them (a first visit stays small)."""
    stamp = _stamp()
    sw = (PWA / "sw.js").read_text("utf-8")
    scripts = {p.relative_to(PWA).as_posix() for p in (PWA / "js").rglob("*.js")}
    styles = {p.relative_to(PWA).as_posix() for p in (PWA / "css").glob("*.css")}
    assert scripts | styles == set(stamp.assets(sw)) | set(stamp.lazy_assets(sw))
    assert {"/", "/offline.html"} <= set(stamp.pages(sw))
    staff = {"js/views/officer.js", "js/views/catalogue.js", "js/staff-strings.js", "js/session.js"}
    assert not staff & set(stamp.assets(sw))
    version = stamp.recorded_version(sw)
    for html in ("index.html", "offline.html"):
        text = (PWA / html).read_text("utf-8")
        urls = re.findall(r'(?:href|src)="([^"]+\.(?:js|css))"', text)
        assert urls and all(u.startswith(f"/v/{version}/") for u in urls), (html, urls)
    for js in scripts:  # a module reaches the others by relative paths: the same version
        text = (PWA / js).read_text("utf-8")
        assert not re.search(r"""(?:from|import)\s*\(?\s*['"`]/""", text), js


def _stamp():
    spec = importlib.util.spec_from_file_location("stamp", PWA / "tools" / "stamp.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_service_worker_version_follows_the_files_it_serves(tmp_path):
    """A shell file changed without a new version would never reach returning users:
    `python pwa/tools/stamp.py` records the version the files give."""
    stamp = _stamp()
    sw = (PWA / "sw.js").read_text("utf-8")
    assert stamp.recorded_version(sw) == stamp.content_version(sw)
    assert stamp.html_versions() == {stamp.recorded_version(sw)}
    copy = tmp_path / "pwa"
    shutil.copytree(PWA, copy, ignore=shutil.ignore_patterns("tools"))
    (copy / "css" / "app.css").write_text((PWA / "css" / "app.css").read_text("utf-8") + "\n",
                                          encoding="utf-8")
    assert stamp.content_version(sw, copy) != stamp.content_version(sw)
    assert stamp.content_version(sw.replace("NAV_TIMEOUT_MS = 5000", "NAV_TIMEOUT_MS = 4000"),
                                 copy) != stamp.content_version(sw, copy)


def test_no_inline_scripts_or_styles():
    for html in PWA.glob("*.html"):
        text = html.read_text("utf-8")
        assert "style=" not in text and "<style" not in text, html
        for tag in text.split("<script")[1:]:
            assert "src=" in tag.split(">")[0], html
    for js in (PWA / "js").rglob("*.js"):
        text = js.read_text("utf-8")
        unsafe = r"\.(inner|outer)HTML\s*=|insertAdjacentHTML|document\.write"
        assert not re.search(unsafe, text), js


def test_no_spam_words():
    for path in PWA.rglob("*"):
        suffixes = {".html", ".js", ".css", ".json", ".webmanifest", ".svg", ".py"}
        if path.is_file() and path.suffix in suffixes:
            text = path.read_text("utf-8").lower()
            for word in SPAM:
                assert word.lower() not in text, (path, word)


def test_the_version_does_not_depend_on_itself(tmp_path):
    """Stamping writes the version into sw.js and the pages: that alone changes nothing."""
    stamp = _stamp()
    copy = tmp_path / "pwa"
    shutil.copytree(PWA, copy, ignore=shutil.ignore_patterns("tools"))
    sw = (copy / "sw.js").read_text("utf-8")
    page = copy / "index.html"
    page.write_text(page.read_text("utf-8").replace(stamp.recorded_version(sw), "c000000000000"),
                    encoding="utf-8")
    assert stamp.content_version(sw, copy) == stamp.content_version(sw)
    page.write_text(page.read_text("utf-8").replace("/v/c000000000000/js/app.js", "/js/app.js"),
                    encoding="utf-8")
    assert stamp.content_version(sw, copy) != stamp.content_version(sw)


def test_site_files_put_each_asset_under_its_version():
    stamp = _stamp()
    sw = (PWA / "sw.js").read_text("utf-8")
    version = stamp.recorded_version(sw)
    files = {key: (path, cc) for key, path, cc in stamp.site_files()}
    for key in ("index.html", "sw.js", "offline.html", "manifest.webmanifest"):
        assert files[key][1] == "no-cache", key
    for rel in stamp.assets(sw) + stamp.lazy_assets(sw):
        assert files[f"v/{version}/{rel}"] == (PWA / rel, "public, max-age=31536000, immutable")
        assert files[rel][1] == "public, max-age=300"  # plain paths: clients from before versions
    served = {p for p in PWA.rglob("*") if p.is_file() and "tools" not in p.parts}
    assert served == {path for path, _ in files.values()}


def test_the_local_server_serves_versions_immutably():
    from werkzeug.test import Client

    from infra import local
    stamp = _stamp()
    version = stamp.recorded_version((PWA / "sw.js").read_text("utf-8"))
    site = Client(local.one_origin(lambda environ, start: []))
    now = site.get(f"/v/{version}/js/app.js")
    assert now.status_code == 200 and now.data == (PWA / "js" / "app.js").read_bytes()
    assert now.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    # another version than sw.js names (an older page, or a stale stamp): served, never kept
    assert site.get("/v/c123/js/app.js").headers["Cache-Control"] == "no-cache"
    assert site.get("/js/app.js").headers["Cache-Control"] == "public, max-age=300"
    assert site.get(f"/v/{version}/js/nope.js").status_code == 404
    page = site.get("/")
    assert page.headers["Cache-Control"] == "no-cache"
    again = site.get("/", headers={"If-None-Match": page.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""



IMPORT = re.compile(r"""^\s*import\s+(?:[^'"]*?\sfrom\s+)?['"](\.{1,2}/[^'"]+)['"]""", re.M)
DYNAMIC = re.compile(r"""\bimport\(\s*['"](\.{1,2}/[^'"]+)['"]""")
ROUTE = re.compile(r"""^\s*\[/.+/, '([\w-]+)', '\w+'\],$""", re.M)
T_KEY = re.compile(r"""\bt\(\s*'(\w+)'""")
STRING_KEY = re.compile(r"""\b(\w+):\s*['"`]""")


def static_imports(path: Path, seen: set[Path]) -> set[Path]:
    """`path` and the modules it loads before it runs, transitively (what an import() brings
    comes later, so its strings cannot be counted on)."""
    seen.add(path)
    for spec in IMPORT.findall(path.read_text("utf-8")):
        dep = (path.parent / spec).resolve()
        if dep not in seen:
            static_imports(dep, seen)
    return seen


def test_every_screen_loads_the_strings_it_shows():
    """Each module the app loads on its own (the shell, a route's view, an import() target)
    brings, with its static imports, every string its code asks t() for. A string that comes from
    a module another screen happens to load shows as its bare key whenever that screen was not
    opened first: the rating's '0 / 500 字' showed 'qbCounter' when the questions screen had not
    been opened."""
    js = PWA / "js"
    app = js / "app.js"
    screens = {app.resolve()} | {(js / "views" / f"{m}.js").resolve()
                                 for m in ROUTE.findall(app.read_text("utf-8"))}
    for path in js.rglob("*.js"):
        text = path.read_text("utf-8")
        screens |= {(path.parent / spec).resolve() for spec in DYNAMIC.findall(text)}
    assert len(screens) > 25 and all(s.exists() for s in screens), sorted(screens)
    wrong = []
    for screen in sorted(screens):
        loaded = static_imports(screen, set())
        defined, used = set(), set()
        for mod in loaded:
            text = mod.read_text("utf-8")
            used |= set(T_KEY.findall(text))
            if mod.name == "i18n.js" or mod.name.endswith("-strings.js"):
                defined |= set(STRING_KEY.findall(text))
        wrong += [f"{screen.relative_to(js)}: {key}" for key in sorted(used - defined)]
    assert not wrong, wrong
