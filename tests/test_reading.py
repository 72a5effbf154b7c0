"""Reading on a phone, a tablet, a desktop and on paper, in the real Chromium: nothing widens the page,
definitions and citation previews open inside the window, figures can be enlarged until their smallest
label is legible, printed tables fit the page, the language switch keeps the section, citations and
reference lists link both ways. One browser context per viewport, looping over every page of both languages."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

import site_html
from conftest import LANGUAGES, ROOT, Reader, language_root, page_names, site_url_for as _url

pytestmark = pytest.mark.browser
PAGES = page_names()
VIEWPORTS = (320, 375, 390, 768, 1366)
PHONE_MAX = 767  # narrower than this: a touch screen, tapped; wider: a mouse, hovered
LEGIBLE_PX = 11
FONT_SIZE = re.compile(r'font-size(?:="|:\s*)([\d.]+)')

# the box of the open pop-up (definition or citation preview), or null
OPEN_POPUP_BOX = """() => {
  const popup = document.querySelector('.atlas-def.is-open, .atlas-cite-preview.is-open');
  if (!popup) return null;
  const r = popup.getBoundingClientRect();
  return {left: r.left, right: r.right, top: r.top, bottom: r.bottom,
          width: document.documentElement.clientWidth, height: window.innerHeight};
}"""


def _point_on(locator) -> tuple[float, float]:
    """A point on the first line of an element (a term may wrap, and its centre is then between lines)."""
    locator.scroll_into_view_if_needed()
    x, y = locator.evaluate(
        "e => { const r = e.getClientRects()[0]; return [r.left + Math.min(r.width / 2, 6), r.top + r.height / 2] }")
    return x, y


def _open(page, locator, touch: bool) -> None:
    x, y = _point_on(locator)
    if touch:
        page.touchscreen.tap(x, y)
    else:
        page.mouse.move(x, y)
    page.wait_for_function("() => document.querySelector('.atlas-def.is-open, .atlas-cite-preview.is-open')",
                           timeout=2000)


def _sample(locator, count: int) -> list:
    total = locator.count()
    step = max(1, total // count)
    return [locator.nth(i) for i in range(0, total, step)][:count]


def _outside(box: dict) -> bool:
    return box["left"] < 0 or box["top"] < 0 or box["right"] > box["width"] + 0.5 or box["bottom"] > box["height"] + 0.5


@pytest.mark.parametrize("width", VIEWPORTS)
def test_pages_fit_and_popups_open_inside_the_window(browser, http_url, width):
    touch = width <= PHONE_MAX
    reader = Reader(browser, http_url, viewport={"width": width, "height": 800}, is_mobile=touch, has_touch=touch)
    problems = []
    samples = 2 if width in (320, 390, 1366) else 1  # several terms per page, not all: the suite stays fast
    try:
        page = reader.page
        page.set_default_timeout(5000)
        for language in LANGUAGES:
            for name in PAGES:
                page.goto(_url(http_url, language, name), wait_until="domcontentloaded")
                where = f"{language}/{name} at {width}px"
                scroll_width = page.evaluate("document.documentElement.scrollWidth")
                if scroll_width > width:
                    problems.append(f"{where}: page is {scroll_width}px wide")
                for kind, selector in (("definition", "article .atlas-term:visible"),
                                       ("citation preview", "article sup.atlas-cite a[data-cite]:visible")):
                    for anchor in _sample(page.locator(selector), samples):
                        label = anchor.evaluate("e => e.textContent.slice(0, 30)")
                        try:
                            _open(page, anchor, touch)
                        except Exception:  # noqa: BLE001 - reported as a reader would see it
                            problems.append(f"{where}: {kind} of {label!r} did not open")
                            continue
                        box = page.evaluate(OPEN_POPUP_BOX)
                        if _outside(box):
                            problems.append(f"{where}: {kind} of {label!r} runs outside the window: {box}")
                        if page.evaluate("document.documentElement.scrollWidth") > width:
                            problems.append(f"{where}: opening the {kind} of {label!r} widened the page")
                        page.keyboard.press("Escape")
    finally:
        errors = reader.unexpected_errors()
        reader.context.close()
    assert not problems, "\n  ".join(["reading problems:"] + problems)
    assert not errors, f"console errors: {errors}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_popups_close_on_escape_a_tap_elsewhere_and_scrolling(browser, site_url, language):
    reader = Reader(browser, site_url, viewport={"width": 390, "height": 800}, is_mobile=True, has_touch=True)
    try:
        page = reader.page
        page.goto(_url(site_url, language, "fratricide.html"))
        term = page.locator("article .atlas-term:visible").nth(2)
        is_open = "() => !!document.querySelector('.atlas-def.is-open, .atlas-cite-preview.is-open')"
        _open(page, term, touch=True)
        page.keyboard.press("Escape")
        assert not page.evaluate(is_open), "Escape did not close the definition"
        _open(page, term, touch=True)
        page.touchscreen.tap(5, 400)
        assert not page.evaluate(is_open), "a tap elsewhere did not close the definition"
        marker = page.locator("article sup.atlas-cite a[data-cite]:visible").nth(3)
        before = page.url
        _open(page, marker, touch=True)
        assert page.url == before, "tapping a citation number jumped away instead of previewing the reference"
        preview = page.locator(".atlas-cite-preview.is-open")
        key = marker.get_attribute("data-cite")
        assert preview.locator("cite").count() == 1, "the citation preview shows no title"
        page.mouse.wheel(0, 600)
        page.wait_for_timeout(300)
        assert not page.evaluate(is_open), f"scrolling did not close the preview of {key}"
    finally:
        errors = reader.unexpected_errors()
        reader.context.close()
    assert not errors, f"console errors: {errors}"


def _smallest_label(svg: Path) -> float:
    return min(float(size) for size in FONT_SIZE.findall(svg.read_text(encoding="utf-8")))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_figure_can_be_enlarged_until_its_smallest_label_is_legible_on_a_phone(browser, http_url, site, language):
    reader = Reader(browser, http_url, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    problems, measured = [], 0
    try:
        page = reader.page
        for name in PAGES:
            figures = site_html.article(language_root(site, language) / name).select("figure img[src$='.svg']")
            if not figures:
                continue
            page.goto(_url(http_url, language, name))
            for index, img in enumerate(figures):
                smallest = _smallest_label(ROOT / "docs" / language / Path(name).parent / img["src"])
                view_box = re.search(r'viewBox="[\d.\s-]+?([\d.]+)\s+([\d.]+)"',
                                     (ROOT / "docs" / language / Path(name).parent / img["src"]).read_text())
                link = page.locator("article figure a.atlas-figure-link").nth(index)
                link.scroll_into_view_if_needed()
                link.tap()
                shown = page.locator(".pswp__item:not([aria-hidden='true']) img.pswp__img").first
                shown.wait_for(state="visible", timeout=5000)
                page.wait_for_timeout(150)
                rendered = shown.evaluate("img => img.getBoundingClientRect().width")
                scale = rendered / float(view_box.group(1))
                if smallest * scale < LEGIBLE_PX - 0.05:
                    problems.append(f"{language}/{name} {img['src']}: smallest label {smallest} px shown at "
                                    f"{smallest * scale:.1f} px")
                measured += 1
                page.keyboard.press("Escape")
                page.wait_for_timeout(100)
    finally:
        errors = reader.unexpected_errors()
        reader.context.close()
    assert measured >= 8, f"only {measured} figures measured"
    assert not problems, "figures not legible at 390 px:\n  " + "\n  ".join(problems)
    assert not errors, f"console errors: {errors}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_image_has_width_and_height_and_captions_are_smaller_than_text(site, language):
    missing = []
    for name in PAGES:
        for img in site_html.article(language_root(site, language) / name).select("img"):
            if not (img.get("width") and img.get("height")):
                missing.append(f"{language}/{name}: {img.get('src')}")
    assert not missing, f"images without width and height (the page shifts as they load): {missing}"


def test_printed_pages_keep_tables_inside_the_page_and_start_with_site_address_and_date(browser, http_url):
    # A4 at 25 mm margins leaves 160 mm = 605 CSS px for the content
    reader = Reader(browser, http_url, viewport={"width": 605, "height": 900})
    wide = []
    try:
        page = reader.page
        page.emulate_media(media="print")
        for language in LANGUAGES:
            for name in PAGES:
                page.goto(_url(http_url, language, name))
                wide += [f"{language}/{name}: {w}" for w in page.evaluate(
                    "() => [...document.querySelectorAll('article table')].filter(t => t.getBoundingClientRect().right > 606 "
                    "|| t.scrollWidth > t.clientWidth + 1).map(t => (t.querySelector('caption, th') || t).textContent.slice(0, 40))")]
        page.goto(_url(http_url, "en", "products.html"))
        pdf = page.pdf(format="A4", print_background=False)
    finally:
        reader.context.close()
    assert not wide, f"printed tables wider than the page: {wide}"
    first_page = "".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    for expected in ("Atlas·https:", "products.html", "Lastreviewed:2026-"):
        assert expected in first_page, f"first printed page lacks {expected!r}: {first_page[:300]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_language_switch_keeps_the_section_being_read(reader, site, site_url, language):
    other = "zh" if language == "en" else "en"
    for name in ("fratricide.html", "clinical-results.html"):
        headings = [h["id"] for h in site_html.article(language_root(site, language) / name).select("h2[id]")]
        target = headings[len(headings) // 2]
        reader.page.goto(_url(site_url, language, name))
        reader.page.evaluate("id => { const h = document.getElementById(id); window.scrollTo(0, h.getBoundingClientRect().top + scrollY - 70); }", target)
        reader.page.hover(".md-header__option .md-select")
        with reader.page.expect_navigation():
            reader.page.click(f"a.md-select__link[hreflang='{other}']")
        assert reader.page.url.endswith(f"{name}#{target}"), (
            f"switching {language}->{other} while reading #{target} of {name} landed on {reader.page.url}")


@pytest.mark.parametrize("language", LANGUAGES)
def test_reference_lists_link_back_to_every_citation(site, language):
    problems, checked = [], 0
    for name in PAGES:
        node = site_html.article(language_root(site, language) / name)
        ids = {e.get("id") for e in node.select("[id]")}
        for entry in node.select("ol.atlas-references > li[id^='ref-']"):
            key = entry["id"][len("ref-"):]
            markers = node.select(f"sup.atlas-cite a[data-cite='{key}']")
            backlinks = [a["href"].lstrip("#") for a in entry.select(".atlas-backlinks a")]
            if len(backlinks) != len(markers) or any(b not in ids for b in backlinks):
                problems.append(f"{language}/{name}: {key} cited {len(markers)}× but has back-links {backlinks}")
            checked += 1
    assert checked > 50, f"only {checked} reference list entries checked"
    assert not problems, "\n  ".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_reference_lists_show_the_kind_of_page_checked_never_an_address(site, language):
    raw = re.compile(r"\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b|\b[a-z0-9-]+(?:\.[a-z0-9-]+)+\.(?:com|org|net|io|cn|ai|gov|edu|uk)\b")
    problems = []
    for name in ("references.html",) + tuple(PAGES):
        node = site_html.article(language_root(site, language) / name)
        for entry in node.select(".atlas-references li"):
            found = raw.findall(entry.get_text(" "))  # what a reader sees: link texts, not their targets
            if found:
                problems.append(f"{language}/{name} {entry.get('id')}: shows {found}")
    assert not problems, "reference lists show raw addresses:\n  " + "\n  ".join(problems[:20])



@pytest.mark.parametrize("language", LANGUAGES)
def test_each_language_has_a_not_found_page_whose_links_work_offline_and_online(browser, site, http_url, language):
    prefix = "" if language == "en" else f"{language}/"
    not_found = site / prefix / "404.html"
    assert not_found.exists(), f"no {prefix}404.html"
    assert site_html.soup(not_found).select_one("html")["lang"] == language, f"{prefix}404.html is not in {language}"
    reader = Reader(browser, site.as_uri() + "/")
    try:
        page = reader.page
        page.goto(not_found.as_uri())
        with page.expect_navigation():
            page.click(".atlas-not-found a[data-site-link$='index.html']:not([hreflang])")
        assert page.url == (site / prefix / "index.html").as_uri(), f"{prefix}404.html home link from file:// led to {page.url}"
        # a web host serves 404.html at any missing address: the links must then lead to the site's root
        page.goto(http_url + prefix + "404.html")
        hrefs = page.eval_on_selector_all(".atlas-not-found a[data-site-link]", "links => links.map(a => a.getAttribute('href'))")
        assert hrefs and all(h.startswith("/") for h in hrefs), f"{prefix}404.html links over http: {hrefs}"
    finally:
        reader.context.close()
