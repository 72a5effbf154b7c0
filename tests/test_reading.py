"""Reading on a phone, a tablet, a desktop and on paper, in the real Chromium: nothing widens the page,
definitions and citation previews open inside the window, figures can be enlarged until their smallest
label is legible, printed tables fit the page, the language switch keeps the section, citations and
reference lists link both ways.

The browser checks share two passes over every page of both languages (module fixtures): a touch screen
(320, 375 and 390 px, one page load each, the window resized in place) and a mouse (1366 and 768 px, then
605 px in print emulation). Each pass records what it saw; the tests below judge one aspect each."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from pypdf import PdfReader

import site_html
from conftest import LANGUAGES, Reader, language_root, page_names, site_url_for as _url

pytestmark = pytest.mark.browser
PAGES = page_names()
PHONE_WIDTHS = (320, 375, 390)   # touch screens: pop-ups open on tap
MOUSE_WIDTHS = (1366, 768)       # mouse: pop-ups open on hover
HEIGHT = 800
FIGURE_WIDTH = 390               # the width at which every figure's labels must become legible
PRINT_WIDTH = 605                # A4 at 25 mm margins leaves 160 mm = 605 CSS px for the content
LEGIBLE_PX = 11
FONT_SIZE = re.compile(r'font-size(?:="|:\s*)([\d.]+)')
VIEW_BOX = re.compile(r'viewBox="[\d.\s-]+?([\d.]+)\s+([\d.]+)"')
OPEN_POPUP = ".atlas-def.is-open, .atlas-cite-preview.is-open"

# mark `count` visible anchors of each kind, spread over the page (a different set at each offset)
MARK_SAMPLES = """([count, offset]) => {
  document.querySelectorAll('[data-atlas-sample]').forEach(e => e.removeAttribute('data-atlas-sample'));
  const marked = [];
  for (const [kind, selector] of [['definition', 'article .atlas-term'], ['citation preview', 'article sup.atlas-cite a[data-cite]']]) {
    const visible = [...document.querySelectorAll(selector)].filter(e => e.getClientRects().length);
    const step = Math.max(1, Math.floor(visible.length / count));
    for (let i = offset % step, n = 0; i < visible.length && n < count; i += step, n++) {
      visible[i].setAttribute('data-atlas-sample', marked.length);
      marked.push(kind);
    }
  }
  return marked;
}"""
# close what is open (Escape), scroll a marked anchor into view; a point on its first line (a term may wrap,
# its centre is then between lines)
POINT_ON_SAMPLE = """n => {
  document.dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape', bubbles: true}));
  const e = document.querySelector(`[data-atlas-sample="${n}"]`);
  e.scrollIntoView({block: 'center', behavior: 'instant'});
  const r = e.getClientRects()[0];
  return {x: r.left + Math.min(r.width / 2, 6), y: r.top + r.height / 2, label: e.firstChild.textContent.slice(0, 30)};
}"""
POINT_ON = """e => { e.scrollIntoView({block: 'center', behavior: 'instant'}); const r = e.getClientRects()[0];
  return {x: r.left + Math.min(r.width / 2, 6), y: r.top + r.height / 2}; }"""
# once the marked anchor's pop-up is open: its box and the page's width
OPEN_POPUP_BOX = f"""n => {{
  const popup = document.querySelector('[data-atlas-sample="' + n + '"].is-open') && document.querySelector('{OPEN_POPUP}');
  if (!popup) return null;
  const r = popup.getBoundingClientRect();
  return {{left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: document.documentElement.clientWidth,
          height: window.innerHeight, scrollWidth: document.documentElement.scrollWidth}};
}}"""
WIDE_TABLES = f"""() => [...document.querySelectorAll('article table')]
  .filter(t => t.getBoundingClientRect().right > {PRINT_WIDTH + 1} || t.scrollWidth > t.clientWidth + 1)
  .map(t => (t.querySelector('caption, th') || t).textContent.slice(0, 40))"""


@dataclass
class Pass:
    """What one pass over every page saw."""
    pages: int = 0
    overflow: list[str] = field(default_factory=list)   # pages wider than the window
    popups: int = 0                                       # pop-ups opened and measured
    popup_problems: list[str] = field(default_factory=list)
    figures: int = 0                                      # figures enlarged and measured
    figure_problems: list[str] = field(default_factory=list)
    print_problems: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)      # console errors


def _outside(box: dict) -> bool:
    return box["left"] < 0 or box["top"] < 0 or box["right"] > box["width"] + 0.5 or box["bottom"] > box["height"] + 0.5


def _check_popups(page, where: str, width: int, touch: bool, samples: int, seen: Pass) -> None:
    """Open `samples` definitions and as many citation previews, spread over the page, as a reader would
    (a tap, or the mouse moving onto them); each must lie inside the window and not widen the page."""
    last = None
    for number, kind in enumerate(page.evaluate(MARK_SAMPLES, [samples, width])):
        point = page.evaluate(POINT_ON_SAMPLE, number)
        if touch:
            page.touchscreen.tap(point["x"], point["y"])
        else:
            if last == (point["x"], point["y"]):  # the pointer must enter the anchor: leave the spot first
                page.mouse.move(0, 0)
            page.mouse.move(point["x"], point["y"])
            last = (point["x"], point["y"])
        try:
            box = page.wait_for_function(OPEN_POPUP_BOX, arg=number, timeout=2000).json_value()
        except Exception:  # noqa: BLE001 - reported as a reader would see it
            seen.popup_problems.append(f"{where}: {kind} of {point['label']!r} did not open")
            continue
        seen.popups += 1
        if _outside(box):
            seen.popup_problems.append(f"{where}: {kind} of {point['label']!r} runs outside the window: {box}")
        if box["scrollWidth"] > width:
            seen.popup_problems.append(f"{where}: opening the {kind} of {point['label']!r} widened the page")
    page.keyboard.press("Escape")


def _check_overflow(page, where: str, width: int, seen: Pass) -> None:
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    if scroll_width > width:
        culprit = page.evaluate(
            f"[...document.querySelectorAll('article *')].filter(e => e.getBoundingClientRect().right > {width + 1})"
            ".slice(0, 3).map(e => e.tagName + '.' + e.className).join(', ')")
        seen.overflow.append(f"{where}: page is {scroll_width}px wide ({culprit})")


def _smallest_label(svg: str) -> float:
    return min(float(size) for size in FONT_SIZE.findall(svg))


def _check_figures(page, site: Path, language: str, name: str, seen: Pass) -> None:
    """Each figure on the page is taller than its caption; tapped open in the lightbox, its smallest label
    (the built SVG's font size times its rendered scale) is legible."""
    images = site_html.article(language_root(site, language) / name).select("figure img[src$='.svg']")
    for index, img in enumerate(images):
        svg = (language_root(site, language) / Path(name).parent / img["src"]).read_text(encoding="utf-8")
        smallest, view_width = _smallest_label(svg), float(VIEW_BOX.search(svg).group(1))
        link = page.locator("article figure a.atlas-figure-link").nth(index)
        link.scroll_into_view_if_needed()
        image, caption = link.evaluate(
            "a => [a.getBoundingClientRect().height, a.closest('figure').querySelector('figcaption').getBoundingClientRect().height]")
        if caption >= image:
            seen.figure_problems.append(f"{language}/{name} {img['src']}: caption ({caption:.0f} px) is taller than "
                                        f"the figure ({image:.0f} px)")
        link.tap()
        shown = page.locator(".pswp__item:not([aria-hidden='true']) img.pswp__img").first
        shown.wait_for(state="visible", timeout=5000)
        page.wait_for_timeout(150)  # the opening zoom settles
        scale = shown.evaluate("img => img.getBoundingClientRect().width") / view_width
        if smallest * scale < LEGIBLE_PX - 0.05:
            seen.figure_problems.append(f"{language}/{name} {img['src']}: smallest label {smallest} px shown at "
                                        f"{smallest * scale:.1f} px")
        seen.figures += 1
        page.keyboard.press("Escape")
        page.locator(".pswp").wait_for(state="detached", timeout=5000)


@pytest.fixture(scope="module")
def touch_pass(browser, http_url, site) -> Pass:
    """Every page once on a touch screen: at 320, 375 and 390 px no sideways scrolling and tapped pop-ups
    inside the window; at 390 px every figure enlarged."""
    reader = Reader(browser, http_url, viewport={"width": FIGURE_WIDTH, "height": HEIGHT}, is_mobile=True, has_touch=True)
    seen = Pass()
    try:
        page = reader.page
        page.set_default_timeout(5000)
        for language in LANGUAGES:
            for name in PAGES:
                page.goto(_url(http_url, language, name), wait_until="domcontentloaded")
                seen.pages += 1
                for width in PHONE_WIDTHS:
                    page.set_viewport_size({"width": width, "height": HEIGHT})
                    where = f"{language}/{name} at {width}px"
                    _check_overflow(page, where, width, seen)
                    _check_popups(page, where, width, touch=True, samples=2 if width == 320 else 1, seen=seen)
                _check_figures(page, site, language, name, seen)
    finally:
        seen.errors = reader.unexpected_errors()
        reader.context.close()
    return seen


@pytest.fixture(scope="module")
def mouse_pass(browser, http_url) -> Pass:
    """Every page once with a mouse: at 1366 and 768 px no sideways scrolling and hovered pop-ups inside
    the window; then printed (print emulation at the width of an A4 page's text), no table wider than
    the page."""
    reader = Reader(browser, http_url, viewport={"width": MOUSE_WIDTHS[0], "height": HEIGHT})
    seen = Pass()
    try:
        page = reader.page
        page.set_default_timeout(5000)
        for language in LANGUAGES:
            for name in PAGES:
                page.goto(_url(http_url, language, name), wait_until="domcontentloaded")
                seen.pages += 1
                for width in MOUSE_WIDTHS:
                    page.set_viewport_size({"width": width, "height": HEIGHT})
                    where = f"{language}/{name} at {width}px"
                    _check_overflow(page, where, width, seen)
                    _check_popups(page, where, width, touch=False, samples=1, seen=seen)
                page.mouse.move(0, 0)
                page.set_viewport_size({"width": PRINT_WIDTH, "height": HEIGHT})
                page.emulate_media(media="print")
                seen.print_problems += [f"{language}/{name}: {t}" for t in page.evaluate(WIDE_TABLES)]
                page.emulate_media(media="screen")
                page.set_viewport_size({"width": MOUSE_WIDTHS[0], "height": HEIGHT})
    finally:
        seen.errors = reader.unexpected_errors()
        reader.context.close()
    return seen


def test_no_page_scrolls_sideways_from_320_px_to_a_desktop(touch_pass, mouse_pass):
    assert touch_pass.pages == mouse_pass.pages == 2 * len(PAGES), "not every page was read"
    wide = touch_pass.overflow + mouse_pass.overflow
    assert not wide, "pages wider than the window:\n  " + "\n  ".join(wide)


def test_definitions_and_citation_previews_open_inside_the_window(touch_pass, mouse_pass):
    # most pages have terms and citations: far more than one pop-up per page and width
    assert touch_pass.popups > 4 * len(PAGES) and mouse_pass.popups > 2 * len(PAGES), (
        f"only {touch_pass.popups} tapped and {mouse_pass.popups} hovered pop-ups measured")
    problems = touch_pass.popup_problems + mouse_pass.popup_problems
    assert not problems, "pop-up problems:\n  " + "\n  ".join(problems)


def test_figures_on_a_phone_outsize_their_captions_and_enlarge_until_the_smallest_label_is_legible(touch_pass, site):
    expected = sum(len(site_html.article(language_root(site, language) / name).select("figure img[src$='.svg']"))
                   for language in LANGUAGES for name in PAGES)
    assert expected >= 16 and touch_pass.figures == expected, f"{touch_pass.figures} of {expected} figures measured"
    assert not touch_pass.figure_problems, (
        f"figures at {FIGURE_WIDTH} px:\n  " + "\n  ".join(touch_pass.figure_problems))


def test_printed_tables_fit_the_page(mouse_pass):
    assert mouse_pass.pages == 2 * len(PAGES)
    assert not mouse_pass.print_problems, "printed tables wider than the page:\n  " + "\n  ".join(mouse_pass.print_problems)


def test_reading_on_any_screen_logs_no_console_error(touch_pass, mouse_pass):
    errors = touch_pass.errors + mouse_pass.errors
    assert not errors, "console errors:\n  " + "\n  ".join(errors)


def test_first_printed_page_names_the_site_the_address_and_the_review_date(browser, http_url):
    reader = Reader(browser, http_url)
    try:
        reader.page.goto(_url(http_url, "en", "products.html"))
        reader.page.emulate_media(media="print")
        pdf = reader.page.pdf(format="A4", print_background=False)
    finally:
        reader.context.close()
    first_page = "".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    for expected in ("Atlas·https:", "products.html", "Lastreviewed:2026-"):
        assert expected in first_page, f"first printed page lacks {expected!r}: {first_page[:300]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_image_has_width_and_height(site, language):
    missing, counted = [], 0
    for name in PAGES:
        for img in site_html.article(language_root(site, language) / name).select("img"):
            counted += 1
            if not (img.get("width") and img.get("height")):
                missing.append(f"{language}/{name}: {img.get('src')}")
    assert counted >= 8, f"only {counted} images found"
    assert not missing, f"images without width and height (the page shifts as they load): {missing}"


# each language once, one over http and one from file://: both ways of reading, half the page loads
ONE_PROTOCOL_PER_LANGUAGE = pytest.mark.parametrize("language, protocol", [("en", "http"), ("zh", "file")])


def _base(protocol: str, http_url: str, site: Path) -> str:
    return http_url if protocol == "http" else site.as_uri() + "/"


@ONE_PROTOCOL_PER_LANGUAGE
def test_popups_close_on_escape_a_tap_elsewhere_and_scrolling(browser, http_url, site, language, protocol):
    site_url = _base(protocol, http_url, site)
    reader = Reader(browser, site_url, viewport={"width": 390, "height": HEIGHT}, is_mobile=True, has_touch=True)
    is_open = f"() => !!document.querySelector('{OPEN_POPUP}')"

    def tap(locator):
        point = locator.evaluate(POINT_ON)
        reader.page.touchscreen.tap(point["x"], point["y"])
        reader.page.wait_for_function(is_open, timeout=2000)

    try:
        page = reader.page
        page.goto(_url(site_url, language, "fratricide.html"))
        term = page.locator("article .atlas-term:visible").nth(2)
        tap(term)
        page.keyboard.press("Escape")
        assert not page.evaluate(is_open), "Escape did not close the definition"
        tap(term)
        page.touchscreen.tap(5, 400)
        assert not page.evaluate(is_open), "a tap elsewhere did not close the definition"
        marker = page.locator("article sup.atlas-cite a[data-cite]:visible").nth(3)
        before = page.url
        tap(marker)
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


@ONE_PROTOCOL_PER_LANGUAGE
def test_language_switch_keeps_the_section_being_read(browser, http_url, site, language, protocol):
    site_url = _base(protocol, http_url, site)
    other = "zh" if language == "en" else "en"
    reader = Reader(browser, site_url)
    try:
        page = reader.page
        for name in ("fratricide.html", "clinical-results.html"):
            headings = [h["id"] for h in site_html.article(language_root(site, language) / name).select("h2[id]")]
            target = headings[len(headings) // 2]
            page.goto(_url(site_url, language, name))
            page.evaluate("id => { const h = document.getElementById(id); "
                          "window.scrollTo(0, h.getBoundingClientRect().top + scrollY - 70); }", target)
            page.hover(".md-header__option .md-select")
            link = page.locator(f"a.md-select__link[hreflang='{other}']")
            link.wait_for(state="visible")
            box = link.bounding_box()
            # a reader's click, where the link is (Playwright's click would first scroll the page to it)
            with page.expect_navigation():
                page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            assert page.url.endswith(f"{name}#{target}"), (
                f"switching {language}->{other} while reading #{target} of {name} landed on {page.url}")
    finally:
        errors, foreign = reader.unexpected_errors(), reader.foreign_requests()
        reader.context.close()
    assert not errors, f"console errors: {errors}"
    assert not foreign, f"requests left the site's origin: {foreign}"


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


RAW_ADDRESS = re.compile(r"\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b|\b[a-z0-9-]+(?:\.[a-z0-9-]+)+\.(?:com|org|net|io|cn|ai|gov|edu|uk)\b")


@pytest.mark.parametrize("language", LANGUAGES)
def test_reference_lists_and_registrations_show_the_kind_of_page_checked_never_an_address(site, language):
    problems, checked = [], 0
    for name in PAGES:
        node = site_html.article(language_root(site, language) / name)
        for entry in node.select(".atlas-references li, table.atlas-registrations td:last-child"):
            checked += 1
            found = RAW_ADDRESS.findall(entry.get_text(" "))  # what a reader sees: link texts, not their targets
            if found:
                problems.append(f"{language}/{name} {entry.get('id') or entry.parent.get('id')}: shows {found}")
    assert checked > 100, f"only {checked} entries checked"
    assert not problems, "raw addresses shown to readers:\n  " + "\n  ".join(problems[:20])


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_language_has_a_not_found_page_whose_links_work_offline_and_online(browser, site, http_url, language):
    prefix = "" if language == "en" else f"{language}/"
    not_found = site / prefix / "404.html"
    assert not_found.exists(), f"no {prefix}404.html"
    assert site_html.soup(not_found).select_one("html")["lang"] == language, f"{prefix}404.html is not in {language}"
    reader = Reader(browser, site.as_uri() + "/")
    try:
        page = reader.page
        page.goto(not_found.as_uri())  # unstyled from file://: the theme's assets are root-absolute on a 404 page
        with page.expect_navigation():
            page.click(".atlas-not-found a[data-site-link$='index.html']:not([hreflang])")
        assert page.url == (site / prefix / "index.html").as_uri(), f"{prefix}404.html home link from file:// led to {page.url}"
        # a web host serves 404.html at any missing address: the links must then lead to the site's root
        reader.errors.clear()  # over http, where hosts serve it, nothing may fail to load
        page.goto(http_url + prefix + "404.html")
        hrefs = page.eval_on_selector_all(".atlas-not-found a[data-site-link]", "links => links.map(a => a.getAttribute('href'))")
        assert hrefs and all(h.startswith("/") for h in hrefs), f"{prefix}404.html links over http: {hrefs}"
    finally:
        errors = reader.unexpected_errors()
        reader.context.close()
    assert not errors, f"console errors on {prefix}404.html: {errors}"
