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


def test_service_worker_precaches_every_shell_file():
    sw = (PWA / "sw.js").read_text("utf-8")
    assert "const VERSION" in sw
    scripts = [p.relative_to(PWA).as_posix() for p in (PWA / "js").rglob("*.js")]
    for path in ["index.html", "offline.html", "css/app.css", *scripts]:
        url = "/" if path == "index.html" else "/" + path
        assert f"'{url}'" in sw, url


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
