"""The three ways of reading, in the real Chromium: over http://127.0.0.1 and from file:// with no server.
Language switch lands on the same page, search answers in the reader's language, nothing is fetched from
another origin, and the console stays clean."""

from __future__ import annotations

import pytest

import site_html
from conftest import LANGUAGES, Reader, language_root, page_names, site_url_for as _url

pytestmark = pytest.mark.browser

@pytest.mark.parametrize("language", LANGUAGES)
def test_language_switch_lands_on_the_same_page(reader, site_url, language):
    other = next(lang for lang in LANGUAGES if lang != language)
    for name in page_names():
        reader.page.goto(_url(site_url, language, name))
        assert reader.page.locator("html").get_attribute("lang") == language
        reader.page.hover(".md-header__option .md-select")
        with reader.page.expect_navigation():
            reader.page.click(f"a.md-select__link[hreflang='{other}']")
        expected = _url(site_url, other, name)
        assert reader.page.url.split("?")[0].split("#")[0] == expected, (
            f"switching {language}->{other} on {name} landed on {reader.page.url}, expected {expected}")
        assert reader.page.locator("html").get_attribute("lang") == other


@pytest.mark.parametrize("language", LANGUAGES)
def test_searching_a_page_title_finds_it_in_the_readers_language(reader, site, site_url, language):
    root = _url(site_url, language, "")
    for name in page_names():
        title = site_html.soup(language_root(site, language) / name).select_one("article h1").get_text(" ", strip=True)
        title = title.replace("¶", "").strip()
        reader.page.goto(_url(site_url, language, name))
        results = reader.search(title)
        assert results, f"searching {title!r} on {language}/{name} found nothing"
        wrong = [r for r in results if not r.startswith(root) or (language == "en" and r.startswith(site_url + "zh/"))]
        assert not wrong, f"searching {title!r} on {language}/{name} returned other-language results: {wrong}"
        found = [r.split("?")[0].split("#")[0] for r in results]
        assert _url(site_url, language, name) in found, f"searching {title!r} did not find {language}/{name}: {found}"


def test_english_and_chinese_queries_stay_in_their_language(reader, site_url):
    reader.page.goto(_url(site_url, "en", "index.html"))
    english = reader.search("fratricide")
    assert english and all("/zh/" not in r for r in english), f"English query results: {english}"
    reader.page.goto(_url(site_url, "zh", "index.html"))
    chinese = reader.search("自相残杀")
    assert chinese and all(r.startswith(site_url + "zh/") for r in chinese), f"Chinese query results: {chinese}"


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
        assert definition.is_visible(), "hover did not show the definition"

        page.mouse.move(0, 0)
        page.goto(url)
        for _ in range(200):  # keyboard only: Tab until the first term has focus
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.classList.contains('atlas-term')"):
                break
        focused = page.locator(".atlas-term:focus")
        assert focused.count() == 1, "no inline term reachable with the Tab key"
        assert focused.locator(".atlas-def").is_visible(), "keyboard focus did not show the definition"
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline != "none", "focused term has no visible focus outline"

        phone.page.goto(url)
        tapped = phone.page.locator("article .atlas-term").first
        tapped.tap()
        assert tapped.locator(".atlas-def").is_visible(), "tap did not show the definition"
    finally:
        for tab in (desktop, phone):
            errors, foreign = tab.unexpected_errors(), tab.foreign_requests()
            tab.context.close()
            assert not errors and not foreign, f"console errors {errors}, foreign requests {foreign}"


CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(
    `${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`), true);
"""


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


def test_no_page_logs_a_policy_violation_and_the_policy_is_enforced(browser, site_url):
    """Every page in both languages, over http and from file://: the policy blocks nothing the site needs
    (the theme, search, the language switch and definitions run under it in the other browser tests), and it does
    block a request to another host (so a violation would be seen)."""
    tab = Reader(browser, site_url)
    tab.context.add_init_script(CSP_VIOLATIONS)
    try:
        for language in LANGUAGES:
            for name in page_names():
                tab.page.goto(_url(site_url, language, name))
                tab.page.wait_for_load_state("load")
                violations = tab.page.evaluate("window.__cspViolations")
                assert not violations, f"{language}/{name}: {violations}"
        # search starts a worker (an iframe from file://): it too runs under the policy
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
