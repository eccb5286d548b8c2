"""Every page of the demo reports opened in a real browser (headless Chromium) with the network
cut off: no request leaves the page, no console error, Chinese text drawn with a CJK font,
every figure decoded, every link between pages resolves. A screenshot of each season's pages
is saved under ``build/screenshots/`` to be looked at.

Chromium is Debian's package, installed by ``make test`` when missing (see the Makefile); it is
driven through Playwright, which is pointed at that binary and downloads no browser. Outside CI
the test is skipped when Chromium is not there; in CI (``CI=true``) a missing browser fails.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

import pytest

from conftest import REPO, SEASONS

CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--proxy-server=127.0.0.1:9",
                  "--proxy-bypass-list=<-loopback>"]
CJK_FONTS = ("CJK", "Source Han", "YaHei", "PingFang", "WenQuanYi", "SimHei", "SimSun")
SCREENSHOTS = REPO / "build" / "screenshots"


def _chromium() -> str:
    path = os.environ.get("EDUQA_CHROMIUM") or shutil.which("chromium") \
        or shutil.which("chromium-browser")
    if path:
        return path
    message = ("Debian's chromium is not installed: `make test` installs it (apt-get install "
               "chromium fonts-noto-cjk) when run as root")
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    executable = _chromium()
    with playwright.sync_playwright() as driver:
        instance = driver.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield instance
        instance.close()


@dataclass
class PageVisit:
    """What a page did when opened: requests beyond its own file, console errors, and what it
    showed."""
    path: Path
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lang: str = ""
    cjk_characters: int = 0
    heading: str = ""
    heading_fonts: list[str] = field(default_factory=list)
    images: int = 0
    broken_images: list[str] = field(default_factory=list)
    broken_links: list[str] = field(default_factory=list)


def visit(browser, path: Path, screenshot: Path | None = None) -> PageVisit:
    """Open ``path`` offline in a fresh browser context and record everything it did."""
    result = PageVisit(path)
    own = path.resolve().as_uri()
    context = browser.new_context(offline=True, viewport={"width": 1280, "height": 900},
                                  locale="zh-CN")

    def route(request_route):
        url = request_route.request.url
        if url == own:
            request_route.continue_()
        else:  # anything else a page asks for is a failure, and is not fetched
            result.requests.append(url)
            request_route.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda m: m.type == "error" and result.errors.append(m.text))
    page.on("pageerror", lambda e: result.errors.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: r.url != own and r.url not in result.requests
            and result.requests.append(r.url))
    page.goto(own, wait_until="load")
    page.wait_for_timeout(200)  # let late requests (fonts, lazy images) show themselves
    result.lang = page.evaluate("document.documentElement.lang")
    text = page.inner_text("body")
    result.cjk_characters = len(re.findall(r"[\u4e00-\u9fff]", text))
    heading = page.query_selector("h1")
    result.heading = heading.inner_text() if heading else ""
    if heading:
        session = context.new_cdp_session(page)
        root = session.send("DOM.getDocument")["root"]["nodeId"]
        node = session.send("DOM.querySelector", {"nodeId": root, "selector": "h1"})["nodeId"]
        session.send("CSS.enable")
        fonts = session.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
        result.heading_fonts = [f["familyName"] for f in fonts]
    images = page.evaluate("""() => Array.from(document.images).map(
        i => [i.src.slice(0, 40), i.complete && i.naturalWidth > 0])""")
    result.images = len(images)
    result.broken_images = [src for src, ok in images if not ok]
    links = page.evaluate("""() => Array.from(document.querySelectorAll('a[href]')).map(
        a => a.href)""")
    for link in links:
        if link.startswith("file://"):
            target = Path(unquote(link.removeprefix("file://").split("#")[0]))
            if not target.exists():
                result.broken_links.append(link)
    if screenshot:
        screenshot.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(screenshot))
    context.close()
    return result


def test_every_page_offline_in_chromium(built, browser):
    # (the school reports, 校本报告, have their own test below)
    pages = sorted(p for p in built.reports.rglob("*.html") if "schools" not in p.parts)
    from eduqa.project.build import PAGE_TITLES

    assert len(pages) == 1 + (1 + len(PAGE_TITLES)) * len(SEASONS)  # each season's index too
    if SCREENSHOTS.exists():
        shutil.rmtree(SCREENSHOTS)
    figures = 0
    for path in pages:
        relative = path.relative_to(built.reports).as_posix()
        shot = SCREENSHOTS / relative.replace("/", "__").replace(".html", ".png")
        seen = visit(browser, path, screenshot=shot)
        _check_page(seen, relative)
        assert shot.stat().st_size > 10_000, relative
        assert seen.images == path.read_text(encoding="utf-8").count("<img "), relative
        if path.name == "02-indicators.html":  # score distributions and the balance heatmap
            assert seen.images >= 2, relative
        figures += seen.images
    assert figures >= 3 * len(SEASONS)


def _check_page(seen: PageVisit, relative: str) -> None:
    """What every page must show in the browser: offline, no error, Chinese in a CJK font,
    every image decoded and every link resolving."""
    assert seen.requests == [], (relative, seen.requests[:5])
    assert seen.errors == [], (relative, seen.errors[:5])
    assert seen.lang == "zh-CN", relative
    assert seen.cjk_characters >= 50, (relative, seen.cjk_characters)
    assert re.search(r"[\u4e00-\u9fff]", seen.heading), (relative, seen.heading)
    assert any(word in font for font in seen.heading_fonts for word in CJK_FONTS), \
        (relative, seen.heading_fonts)
    assert seen.broken_images == [], (relative, seen.broken_images)
    assert seen.broken_links == [], (relative, seen.broken_links)


def test_school_reports_offline_in_chromium(built, browser):
    """Issue 37: the 校本报告 index and a school's page in a real browser — offline, Chinese
    glyphs, every link (the school's Word document, the season's page) resolving; a
    screenshot of each saved to be looked at."""
    folder = built.reports / "2025-spring-g9" / "schools"
    index = folder / "index.html"
    school = sorted(p for p in folder.glob("*.html") if p.name != "index.html")[0]
    for path in (index, school):
        relative = path.relative_to(built.reports).as_posix()
        shot = SCREENSHOTS / relative.replace("/", "__").replace(".html", ".png")
        seen = visit(browser, path, screenshot=shot)
        _check_page(seen, relative)
        assert shot.stat().st_size > 10_000, relative
    index_text = index.read_text(encoding="utf-8")
    documents = list(folder.glob("*.docx"))
    assert documents and index_text.count(".docx\"") == len(documents)
    assert all(f'href="{d.stem}.html"' in index_text for d in documents)
    assert "五、改进建议" in school.read_text(encoding="utf-8")


def test_the_browser_check_catches_requests_and_errors(browser, tmp_path):
    """Control: a page that reaches out to the network and logs an error is caught."""
    page = tmp_path / "bad.html"
    page.write_text(
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<link rel="stylesheet" href="https://cdn.example.org/x.css"></head>'
        '<body><h1>质量分析</h1><img src="http://example.org/a.png">'
        '<img src="figure.png"><a href="missing.html">x</a>'
        '<script>console.error("boom")</script></body></html>', encoding="utf-8")
    seen = visit(browser, page)
    assert any("cdn.example.org" in url for url in seen.requests)
    assert any("example.org/a.png" in url for url in seen.requests)
    assert any(url.endswith("figure.png") for url in seen.requests)  # even a local file
    assert "boom" in " ".join(seen.errors)
    assert len(seen.broken_images) == 2 and len(seen.broken_links) == 1


def test_wide_tables_scroll_in_their_box_on_a_narrow_screen(built, browser):
    """Issue 12: on a 480-pixel screen every table either fits or scrolls inside a box of its
    own (never cut off), and its cells do not wrap a school name one character per line."""
    checked = 0
    for season in SEASONS:
        path = built.report_season(season) / "02-indicators.html"
        context = browser.new_context(offline=True, viewport={"width": 480, "height": 900})
        context.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:")
                      else r.abort())
        page = context.new_page()
        page.goto(path.resolve().as_uri(), wait_until="load")
        tables = page.evaluate("""() => {
          const main = document.querySelector('main').getBoundingClientRect();
          return Array.from(document.querySelectorAll('table.eduqa-table')).map(t => {
            let box = t.parentElement, scrolls = false;
            while (box && box.tagName !== 'MAIN') {
              const o = getComputedStyle(box).overflowX;
              if (o === 'auto' || o === 'scroll') { scrolls = box.scrollWidth >= t.offsetWidth;
                                                    break; }
              box = box.parentElement;
            }
            const cell = t.querySelector('tbody td');
            return {fits: t.getBoundingClientRect().right <= main.right + 1, scrolls: scrolls,
                    height: cell ? cell.getBoundingClientRect().height : 0};
          });
        }""")
        context.close()
        assert tables, season
        for table in tables:
            assert table["fits"] or table["scrolls"], (season, table)
            assert table["height"] < 40, (season, table)
            checked += 1
    assert checked > 20
