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
