"""Reading the site as people do, in the real Chromium, on every page in both languages: accessibility (axe),
the phone's navigation drawer, keyboard, print, and no JavaScript (widths and pop-ups: test_reading.py)."""

from __future__ import annotations

import io

import pytest
from axe_playwright_python.sync_playwright import Axe
from pypdf import PdfReader

import site_html
from conftest import LANGUAGES, Reader, language_root, page_names, site_url_for as _url

pytestmark = pytest.mark.browser
PAGES = page_names()


@pytest.fixture(scope="module")
def axe():
    return Axe()


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_serious_or_critical_accessibility_violations(browser, http_url, axe, language):
    reader = Reader(browser, http_url)
    problems = []
    try:
        for name in PAGES:
            reader.page.goto(_url(http_url, language, name))
            results = axe.run(reader.page)
            for violation in results.response["violations"]:
                if violation["impact"] in ("serious", "critical"):
                    targets = [node["target"] for node in violation["nodes"][:3]]
                    problems.append(f"{language}/{name}: {violation['id']} ({violation['impact']}): "
                                    f"{violation['help']} at {targets}")
    finally:
        reader.context.close()
    assert not problems, "axe found:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_navigation_drawer_opens_on_a_phone(browser, http_url, language):
    # that no page scrolls sideways on a phone (320-390 px, every page) is checked in test_reading.py
    reader = Reader(browser, http_url, viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    try:
        reader.page.goto(_url(http_url, language, "fratricide.html"))
        reader.page.click("label.md-header__button[for='__drawer']")
        reader.page.wait_for_timeout(400)
        assert reader.page.locator("nav.md-nav--primary a.md-nav__link").first.is_visible(), "drawer did not open"
    finally:
        reader.context.close()


# that every image loads, on every page over http and from file://, is checked in test_browser.py (the walk)


@pytest.mark.parametrize("language", LANGUAGES)
def test_figures_have_alt_text_and_captions(site, language):
    missing = []
    for name in PAGES:
        for figure in site_html.article(language_root(site, language) / name).select("figure"):
            img = figure.select_one("img")
            if img is None or not img.get("alt", "").strip() or figure.select_one("figcaption") is None:
                missing.append(f"{language}/{name}: {figure.get('id') or img}")
    assert not missing, f"figures without alt text or caption: {missing}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_language_switch_works_from_the_keyboard(reader, site_url, language):
    other = "zh" if language == "en" else "en"
    reader.page.goto(_url(site_url, language, "fratricide.html"))
    for _ in range(40):
        reader.page.keyboard.press("Tab")
        if reader.page.evaluate(f"document.activeElement.matches('a.md-select__link[hreflang={other}]')"):
            break
    else:
        pytest.fail("the language switch link cannot be reached with the Tab key")
    with reader.page.expect_navigation():
        reader.page.keyboard.press("Enter")
    assert reader.page.url.split("#")[0] == _url(site_url, other, "fratricide.html")


def test_printed_page_has_no_chrome_and_shows_links_and_review_date(browser, http_url):
    reader = Reader(browser, http_url)
    try:
        reader.page.goto(_url(http_url, "en", "clinical-results.html"))
        reader.page.emulate_media(media="print")
        assert not reader.page.locator(".md-header").is_visible(), "header shows in print"
        assert not reader.page.locator(".md-sidebar--primary").is_visible(), "navigation shows in print"
        pdf = reader.page.pdf(format="A4", print_background=False)
    finally:
        reader.context.close()
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    flat = "".join(text.split())
    assert "Lastreviewed:2026-" in flat, "print footer with the review date is missing"
    assert "clinical-results.html" in flat, "print footer with the page address is missing"
    assert "https://doi.org/10.1200/JCO.21.00389" in flat, "reference link targets are not printed"


@pytest.mark.parametrize("language", LANGUAGES)
def test_pages_are_readable_without_javascript(browser, http_url, language):
    reader = Reader(browser, http_url, java_script_enabled=False)
    try:
        for name in ("index.html", "fratricide.html", "clinical-results.html"):
            reader.page.goto(_url(http_url, language, name))
            assert reader.page.locator("article h1").is_visible()
            assert len(reader.page.locator("article").inner_text()) > 1500, f"{language}/{name}: little text"
            links = reader.page.locator("nav.md-nav--primary a.md-nav__link[href$='.html']")
            assert links.count() >= 10, f"{language}/{name}: navigation links missing without JavaScript"
        reader.page.goto(_url(http_url, language, "index.html"))
        with reader.page.expect_navigation():
            reader.page.click("article a[href='fratricide.html']")
        assert reader.page.url.endswith("fratricide.html")
    finally:
        reader.context.close()
