"""The trials views (issue 10): summary tables readable on a phone with the header kept in view on a desktop,
the trials page's filter and sort (file:// and http, keyboard, and the full table without JavaScript), the
forest plot with the data's numbers in both languages, and the CSV/JSON downloads."""

from __future__ import annotations

import csv
import json
import re
import sys
import xml.etree.ElementTree as ET

import pytest

import site_html
from conftest import LANGUAGES, ROOT, Reader, language_root, page_names, site_url_for as _url

sys.path.insert(0, str(ROOT / "hooks"))
import evidence  # noqa: E402
import forest_plot  # noqa: E402
import trial_format as fmt  # noqa: E402
import trials_downloads  # noqa: E402

EVIDENCE = evidence.load(ROOT)
SUMMARY_PAGES = [p for p in page_names()
                 if re.search(r"^\[\[trials[\s\]]", (ROOT / "docs/en" / p).with_suffix(".md").read_text(encoding="utf-8"), re.M)]
SVG = "{http://www.w3.org/2000/svg}"


# --- downloads -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("language", LANGUAGES)
def test_downloads_hold_one_row_per_study_with_the_dictionarys_columns(site, language):
    folder = language_root(site, language) / "downloads"
    dictionary = list(csv.DictReader((folder / "cd7-car-t-trials-dictionary.csv").open(encoding="utf-8-sig")))
    columns = [entry["column"] for entry in dictionary]
    assert all(entry["en"] and entry["zh"] for entry in dictionary), "a column lacks its English or Chinese meaning"
    with (folder / "cd7-car-t-trials.csv").open(encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
        assert reader.fieldnames == columns, "CSV columns differ from the data dictionary"
    ids = [t["id"] for t in EVIDENCE.trials]
    assert [r["id"] for r in rows] == ids, "CSV rows are not one per study of data/trials.yaml"
    document = json.loads((folder / "cd7-car-t-trials.json").read_text(encoding="utf-8"))
    assert [s["id"] for s in document["studies"]] == ids
    assert [d["column"] for d in document["dictionary"]] == columns
    assert all(set(columns) <= set(s) for s in document["studies"]), "a JSON study lacks a dictionary column"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", document["build_date"])
    pan = next(r for r in rows if r["id"] == "pan2021-donor-derived")
    assert (pan["cr_numerator"], pan["cr_denominator"], pan["cr_percent"]) == ("18", "20", "90")
    # the page links the files and shows the dictionary and the build date
    article = site_html.article(language_root(site, language) / "trials.html")
    hrefs = {a["href"] for a in article.select(".atlas-downloads a")}
    assert hrefs == {f"downloads/{name}" for name in trials_downloads.FILES.values()}
    assert [c.get_text() for c in article.select(".atlas-dictionary__table code")] == columns
    assert document["build_date"] in article.get_text()


# --- forest plot -----------------------------------------------------------------------------------------

def test_wilson_interval_matches_a_hand_computed_value():
    low, high = fmt.wilson(18, 20)
    assert (round(low, 1), round(high, 1)) == (69.9, 97.2)
    assert fmt.wilson(2, 2)[1] == 100.0


@pytest.mark.parametrize("language", LANGUAGES)
def test_forest_plot_is_real_text_with_the_datas_numbers(site, language):
    root = language_root(site, language)
    expected = forest_plot.plotted_rows(EVIDENCE, language)
    assert len(expected) >= 8, "too few studies with a numerator and a denominator to plot"
    tree = ET.parse(root / forest_plot.FIGURE)
    texts = [el.text or "" for el in tree.iter(f"{SVG}text")]
    assert texts, "the SVG has no text elements (text drawn as paths?)"
    styles = " ".join(el.get("style", "") for el in tree.iter(f"{SVG}text"))
    if language == "zh":
        assert "Noto Sans CJK SC" in styles, "no CJK font family named in the Chinese SVG"
    glyphs = [el.get("id") for el in tree.iter() if re.search(r"Sans|CJK|Serif", el.get("id") or "")]
    assert not glyphs, f"glyphs embedded as paths: {glyphs[:5]}"
    for row in expected:
        label = f'{row["numerator"]}/{row["denominator"]}  {row["percent"]:.0f}% ({row["low"]:.0f}–{row["high"]:.0f})'
        assert any(label in t for t in texts), f"{language}: {label} not in the SVG"
    assert len([t for t in texts if re.match(r"\d+/\d+ ", t)]) == len(expected), "the SVG plots other numbers too"
    article = site_html.article(root / "trials.html")
    image = article.select_one("figure.atlas-forest img")
    assert image["src"] == forest_plot.FIGURE and len(image["alt"]) > 60
    assert EVIDENCE.label("ui", "forest_confounded", language)[:40] in article.select_one(".atlas-forest__confounded").get_text()
    table = [(tr["data-trial"], tr["data-measure"], td["data-numerator"], td["data-denominator"])
             for tr in article.select("table.atlas-forest__numbers tr[data-trial]")
             for td in tr.select("td[data-numerator]")]
    assert table == [(r["trial"]["id"], r["measure"], str(r["numerator"]), str(r["denominator"])) for r in expected]


def test_no_page_loads_diagram_javascript(site):
    for page in site.rglob("*.html"):
        for script in site_html.soup(page).select("script[src]"):
            assert not re.search(r"mermaid|vega|d3|chart|plotly", script["src"], re.I), f"{page}: {script['src']}"
    scripts = {s["src"] for s in site_html.soup(site / "clinical-results.html").select("script[src]")}
    assert not any("tablesort" in s or "trials-explorer" in s for s in scripts), "trials scripts load outside the trials page"


# --- browser -----------------------------------------------------------------------------------------------

WIDTHS = """() => {
  const out = {page: document.scrollingElement.scrollWidth, cells: []};
  for (const table of document.querySelectorAll('table.atlas-trials--summary')) {
    out.cells.push(Math.max(...[...table.querySelectorAll('th, td')].map(c => c.getBoundingClientRect().right)));
    out.cells.push(table.scrollWidth - table.clientWidth);
  }
  return out;
}"""


@pytest.mark.browser
def test_summary_tables_need_no_sideways_scrolling_on_a_phone(browser, http_url):
    reader = Reader(browser, http_url, viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    try:
        problems = []
        for language in LANGUAGES:
            for name in SUMMARY_PAGES:
                reader.page.goto(_url(http_url, language, name))
                measured = reader.page.evaluate(WIDTHS)
                rights, overflows = measured["cells"][0::2], measured["cells"][1::2]
                if measured["page"] > 375 or any(r > 375.5 for r in rights) or any(o > 0 for o in overflows):
                    problems.append(f"{language}/{name}: {measured}")
        assert SUMMARY_PAGES, "no page with a summary table"
        assert not problems, "summary tables wider than a 375 px phone:\n  " + "\n  ".join(problems)
    finally:
        reader.context.close()


@pytest.mark.browser
def test_summary_table_header_stays_visible_on_a_desktop(browser, http_url):
    reader = Reader(browser, http_url, viewport={"width": 1366, "height": 900})
    try:
        for language in LANGUAGES:
            reader.page.goto(_url(http_url, language, "clinical-results.html"))
            state = reader.page.evaluate("""() => {
              const table = document.querySelector('table.atlas-trials--summary');
              window.scrollTo(0, table.getBoundingClientRect().top + window.scrollY + table.offsetHeight / 2);
              const th = table.querySelector('thead th');
              const box = th.getBoundingClientRect();
              const hit = document.elementFromPoint(box.left + 5, box.top + box.height / 2);
              return {top: box.top, tableTop: table.getBoundingClientRect().top, onTop: th.contains(hit)};
            }""")
            assert state["tableTop"] < 0, f"{language}: the table did not scroll past the top ({state})"
            assert 0 <= state["top"] <= 80 and state["onTop"], f"{language}: header row not kept in view ({state})"
    finally:
        reader.context.close()


VISIBLE_ROWS = "() => [...document.querySelectorAll('table.atlas-trials--full tbody tr')].filter(r => !r.hidden).map(r => r.id.slice(6))"


@pytest.mark.browser
def test_trials_page_filters_and_sorts(reader, site_url):
    page = reader.page
    for language in LANGUAGES:
        page.goto(_url(site_url, language, "trials.html"))
        form = page.locator("form.atlas-filter")
        assert form.is_visible(), f"{language}: filter controls not shown with JavaScript on"
        universal = [t["id"] for t in EVIDENCE.trials if t["cell_source"] == "universal"]
        page.select_option("select[data-filter='cell-source']", "universal")
        assert page.evaluate(VISIBLE_ROWS) == universal
        page.select_option("select[data-filter='diseases']", "aml")
        both = [t["id"] for t in EVIDENCE.trials if t["cell_source"] == "universal" and "aml" in t["diseases"]]
        assert page.evaluate(VISIBLE_ROWS) == both
        assert str(len(both)) in page.locator(".atlas-filter__status").inner_text()
        page.click("form.atlas-filter button[type=reset]")
        page.wait_for_function(f"() => ({VISIBLE_ROWS})().length === {len(EVIDENCE.trials)}")
        for key, value in (("n", lambda t: t.get("n") or 0), ("response", lambda t: fmt.best_response(t) or -1),
                           ("date", lambda t: t["data_cut"] or "")):
            page.select_option("select[data-sort-by]", key)
            first = page.evaluate(VISIBLE_ROWS)[0]
            best = max(value(t) for t in EVIDENCE.trials)
            assert value(next(t for t in EVIDENCE.trials if t["id"] == first)) == best, f"{language}: sort by {key} put {first} first"
        # keyboard: a filter changed with the arrow keys, a column sorted with Enter
        page.select_option("select[data-sort-by]", "")
        page.focus("select[data-filter='maturity']")
        page.keyboard.press("ArrowDown")
        chosen = page.eval_on_selector("select[data-filter='maturity']", "s => s.value")
        assert chosen and page.evaluate(VISIBLE_ROWS) == [t["id"] for t in EVIDENCE.trials if t["maturity"] == chosen]
        header = page.locator("table.atlas-trials--full th[data-sort-key='n']")
        header.focus()
        page.keyboard.press("Enter")
        assert header.get_attribute("aria-sort") in ("ascending", "descending")
        assert page.evaluate("() => document.querySelector('figure.atlas-forest img').naturalWidth") > 0


@pytest.mark.browser
def test_trials_page_shows_the_full_table_without_javascript(browser, http_url):
    reader = Reader(browser, http_url, java_script_enabled=False)
    try:
        for language in LANGUAGES:
            reader.page.goto(_url(http_url, language, "trials.html"))
            rows = reader.page.locator("table.atlas-trials--full tbody tr")
            assert rows.count() == len(EVIDENCE.trials)
            assert all(rows.nth(i).is_visible() for i in range(rows.count())), f"{language}: a row is hidden without JS"
            assert not reader.page.locator("form.atlas-filter").is_visible(), "controls shown although they cannot work"
            assert reader.page.locator("figure.atlas-forest img").is_visible()
    finally:
        reader.context.close()
