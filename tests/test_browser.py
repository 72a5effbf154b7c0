"""The three ways of reading, in the real Chromium: over http://127.0.0.1 and from file:// with no server.
Language switch lands on the same page, search answers in the reader's language, nothing is fetched from
another origin, and the console stays clean."""

from __future__ import annotations

import gzip
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

import site_html
from conftest import LANGUAGES, Reader, language_root, page_names, site_url_for as _url

pytestmark = pytest.mark.browser

CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(
    `${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`), true);
"""
BROKEN_IMAGES = "imgs => imgs.filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src)"


@dataclass
class Walk:
    """What one walk over every page, in both languages, saw."""
    site_url: str
    pages: list[str] = field(default_factory=list)        # language/name of each page read
    wrong_switches: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)   # Content-Security-Policy violations
    broken_images: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)       # console errors
    foreign: list[str] = field(default_factory=list)      # requests that left the site's origin


def _read(reader: Reader, walk: Walk, language: str, name: str) -> None:
    page = reader.page
    page.wait_for_load_state("load")
    walk.pages.append(f"{language}/{name}")
    walk.violations += [f"{language}/{name}: {v}" for v in page.evaluate("window.__cspViolations")]
    walk.broken_images += [f"{language}/{name}: {src}" for src in page.eval_on_selector_all("article img", BROKEN_IMAGES)]
    lang = page.locator("html").get_attribute("lang")
    if lang != language:
        walk.wrong_switches.append(f"{language}/{name}: the page says lang={lang!r}")


def _switch(reader: Reader, walk: Walk, name: str, language: str, other: str) -> None:
    """The header's language switch, used as a reader does (hover, click): it must land on the same page."""
    page = reader.page
    page.hover(".md-header__option .md-select")
    with page.expect_navigation():
        page.click(f"a.md-select__link[hreflang='{other}']")
    landed, expected = page.url.split("?")[0].split("#")[0], _url(walk.site_url, other, name)
    if landed != expected:
        walk.wrong_switches.append(f"switching {language}->{other} on {name} landed on {landed}, expected {expected}")


@pytest.fixture(scope="module", params=["http", "file"])
def walk(request, browser, site) -> Walk:
    """Every page over http and from file://: the English page, the switch to Chinese, the Chinese page, the
    switch back. Each page is checked as it loads (policy violations, images, lang); the tests below judge."""
    site_url = request.getfixturevalue("http_url") if request.param == "http" else site.as_uri() + "/"
    seen = Walk(site_url)
    reader = Reader(browser, site_url)
    reader.context.add_init_script(CSP_VIOLATIONS)
    try:
        for name in page_names():
            reader.page.goto(_url(site_url, "en", name))
            _read(reader, seen, "en", name)
            _switch(reader, seen, name, "en", "zh")
            _read(reader, seen, "zh", name)
            _switch(reader, seen, name, "zh", "en")
    finally:
        seen.errors, seen.foreign = reader.unexpected_errors(), reader.foreign_requests()
        reader.context.close()
    return seen


def test_language_switch_lands_on_the_same_page(walk):
    assert len(walk.pages) == 2 * len(page_names()), f"only {len(walk.pages)} pages read"
    assert not walk.wrong_switches, "\n  ".join(walk.wrong_switches)


def test_no_page_logs_a_policy_violation(walk):
    """Every page in both languages, over http and from file://: the policy blocks nothing the site needs
    (search, the switch and definitions run under it in the other tests, which fail on console errors)."""
    assert len(walk.pages) == 2 * len(page_names()), f"only {len(walk.pages)} pages read"
    assert not walk.violations, "\n  ".join(walk.violations)


def test_images_load_on_every_page(walk):
    assert not walk.broken_images, f"broken images: {walk.broken_images}"


def test_reading_every_page_logs_no_console_error_and_stays_on_the_site(walk):
    assert not walk.errors, f"console errors: {walk.errors}"
    assert not walk.foreign, f"requests left the site's origin: {walk.foreign}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_searching_a_page_title_finds_it_in_the_readers_language(reader, site, site_url, language):
    """From a page of each language (the index is its language root's, whichever the page), each page's title
    finds that page, and only pages in that language."""
    root = _url(site_url, language, "")
    reader.page.goto(_url(site_url, language, "fratricide.html"))
    for name in page_names():
        title = site_html.soup(language_root(site, language) / name).select_one("article h1").get_text(" ", strip=True)
        title = title.replace("¶", "").strip()
        results = reader.search(title)
        assert results, f"searching {title!r} in {language} found nothing"
        wrong = [r for r in results if not r.startswith(root) or (language == "en" and r.startswith(site_url + "zh/"))]
        assert not wrong, f"searching {title!r} in {language} returned other-language results: {wrong}"
        found = [r.split("?")[0].split("#")[0] for r in results]
        assert _url(site_url, language, name) in found, f"searching {title!r} did not find {language}/{name}: {found}"


def test_english_and_chinese_queries_stay_in_their_language(reader, site_url):
    reader.page.goto(_url(site_url, "en", "index.html"))
    english = reader.search("fratricide")
    assert english and all("/zh/" not in r for r in english), f"English query results: {english}"
    reader.page.goto(_url(site_url, "zh", "index.html"))
    chinese = reader.search("自相残杀")
    assert chinese and all(r.startswith(site_url + "zh/") for r in chinese), f"Chinese query results: {chinese}"


def _shows(locator, timeout: int = 2000) -> bool:
    try:
        locator.wait_for(state="visible", timeout=timeout)
        return True
    except PlaywrightTimeout:
        return False


@pytest.mark.parametrize("language", LANGUAGES)
def test_inline_definitions_open_on_hover_tap_and_keyboard(browser, site_url, language):
    url = _url(site_url, language, "fratricide.html")
    desktop = Reader(browser, site_url)
    phone = Reader(browser, site_url, viewport={"width": 375, "height": 740}, has_touch=True, is_mobile=True)
    try:
        page = desktop.page
        page.goto(url)
        term = page.locator("article .atlas-term").first
        definition = term.locator(".atlas-def")
        assert not definition.is_visible(), "definition visible before any interaction"
        term.hover()
        # (the first pop-up of a page waits for Floating UI to load: a few milliseconds)
        assert _shows(definition), "hover did not show the definition"

        page.mouse.move(0, 0)
        page.goto(url)
        for _ in range(200):  # keyboard only: Tab until the first term has focus
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.classList.contains('atlas-term')"):
                break
        focused = page.locator(".atlas-term:focus")
        assert focused.count() == 1, "no inline term reachable with the Tab key"
        assert _shows(focused.locator(".atlas-def")), "keyboard focus did not show the definition"
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline != "none", "focused term has no visible focus outline"

        phone.page.goto(url)
        tapped = phone.page.locator("article .atlas-term").first
        tapped.tap()
        assert _shows(tapped.locator(".atlas-def")), "tap did not show the definition"
    finally:
        for tab in (desktop, phone):
            errors, foreign = tab.unexpected_errors(), tab.foreign_requests()
            tab.context.close()
            assert not errors and not foreign, f"console errors {errors}, foreign requests {foreign}"


def test_every_page_carries_a_content_security_policy_that_allows_only_the_site(site):
    pages = sorted(site.rglob("*.html"))
    assert len(pages) >= 2 * len(page_names()), f"only {len(pages)} pages built"
    for path in pages:
        head = path.read_text(encoding="utf-8").split("<head", 1)[1]
        first = head.split(">", 1)[1].lstrip()
        assert first.startswith('<meta http-equiv="Content-Security-Policy"'), (
            f"{path.relative_to(site)}: the policy is not the first element of <head> (it must precede every script)")
        policy = first.split('content="', 1)[1].split('"', 1)[0]
        directives = dict((d.split(" ", 1) + [""])[:2] for d in policy.split("; "))
        assert directives["default-src"] == "'self'", f"{path.relative_to(site)}: {policy}"
        sources = directives["script-src"].split()
        assert sources[0] == "'self'" and all(s.startswith("'sha256-") for s in sources[1:]), (
            f"{path.relative_to(site)}: scripts allowed beyond the site and hashed inline ones: {sources}")
        assert "http" not in policy and "*" not in policy, f"{path.relative_to(site)}: {policy}"


def test_the_policy_is_enforced_and_search_runs_under_it(browser, site_url):
    """The policy does block a request to another host (so the walk would see a violation), and search, which
    starts a worker (an iframe from file://), runs under it."""
    tab = Reader(browser, site_url)
    tab.context.add_init_script(CSP_VIOLATIONS)
    try:
        tab.page.goto(_url(site_url, "zh", "index.html"))
        results = tab.search("CD7")
        assert results, "search found nothing under the policy"
        assert not tab.page.evaluate("window.__cspViolations")
        tab.page.evaluate("new Image().src = 'https://example.org/atlas-csp-probe.png'")
        tab.page.wait_for_function("window.__cspViolations.length > 0", timeout=5000)
        assert "img-src" in tab.page.evaluate("window.__cspViolations")[0]
    finally:
        errors = [e for e in tab.unexpected_errors() if "atlas-csp-probe" not in e]
        tab.context.close()
    assert not errors, f"console errors: {errors}"
    assert not [r for r in tab.foreign_requests() if "atlas-csp-probe" not in r], tab.foreign_requests()


FIRST_LOAD_BUDGET_KB = 120  # issue 11: a typical text page, everything fetched before the reader interacts
LOADED_ON_DEMAND = ("search_docs.js", "photoswipe", "floating-ui")


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_typical_page_loads_within_its_budget_and_leaves_the_rest_for_later(browser, http_url, language):
    """fratricide.html (text, a figure, citations, definitions) fetches at most 120 KB gzip on first load;
    the search index, the lightbox and the pop-up positioning load only when a reader needs them."""
    reader = Reader(browser, http_url)
    bodies: dict[str, bytes] = {}
    reader.page.on("response", lambda r: bodies.__setitem__(r.url, r.body()) if r.ok else None)
    try:
        reader.page.goto(_url(http_url, language, "fratricide.html"), wait_until="networkidle")
        reader.page.wait_for_timeout(1000)  # anything the scripts fetch by themselves after load
        packed = sum(len(gzip.compress(body, 6)) for body in bodies.values()) / 1024
        early = [url for url in bodies if any(name in url for name in LOADED_ON_DEMAND)]
        assert not early, f"loaded before the reader asked: {early}"
        assert packed <= FIRST_LOAD_BUDGET_KB, (
            f"{language}/fratricide.html fetches {packed:.1f} KB gzip on first load (budget {FIRST_LOAD_BUDGET_KB})")
        # and each does load when wanted: a figure tapped, a definition hovered
        reader.page.locator("article figure a.atlas-figure-link").first.click()
        reader.page.locator(".pswp__img").first.wait_for(state="visible", timeout=5000)
        reader.page.keyboard.press("Escape")
        reader.page.locator("article .atlas-term").first.hover()
        reader.page.wait_for_function("() => !!document.querySelector('.atlas-def.is-open')", timeout=5000)
        assert any("photoswipe" in url for url in bodies) and any("floating-ui" in url for url in bodies)
    finally:
        errors = reader.unexpected_errors()
        reader.context.close()
    assert not errors, f"console errors: {errors}"
