"""The Chinese edition's house style (data/terminology.yaml): one term per concept, Chinese Medical Association
journal conventions for numbers and punctuation, one name per page. Checked over the Markdown pages, the language
fields of every data/*.yaml and the built HTML (text written by the hooks included); the rules that apply to
both languages (powers of ten, ranges, units, n =) are checked on the English pages too."""

from __future__ import annotations

import shutil
from pathlib import Path

import autocorrect_py
import pytest
import yaml
from mkdocs.exceptions import PluginError

import house_style
from conftest import ROOT, language_root

STYLE = house_style.HouseStyle(ROOT)


def _report(problems) -> str:
    return "\n  ".join(map(str, problems))


@pytest.mark.parametrize("language", ["zh", "en"])
def test_markdown_pages_and_figures_follow_the_house_style(language):
    docs = ROOT / "docs" / language
    problems = [p for page in sorted(docs.glob("*.md")) for p in STYLE.check_markdown(page, language)]
    problems += [p for figure in sorted(docs.rglob("*.svg")) for p in STYLE.check_svg(figure, language)]
    assert not problems, f"house style (data/terminology.yaml), docs/{language}/:\n  {_report(problems)}"


def test_language_fields_of_the_data_follow_the_house_style():
    problems = STYLE.check_data()
    assert not problems, f"house style (data/terminology.yaml), data/*.yaml:\n  {_report(problems)}"


def test_chinese_data_fields_pass_the_cjk_linter():
    """autocorrect (as for docs/zh/ in test_writing.py) on every Chinese field of data/*.yaml."""
    autocorrect_py.load_config((ROOT / ".autocorrectrc").read_text(encoding="utf-8"))
    problems = []
    for path in sorted((ROOT / "data").glob("*.yaml")):
        items = yaml.safe_load(path.read_text(encoding="utf-8"))
        for language, keys, text in STYLE.language_fields(path.name, items):
            if language == "zh" and not STYLE._allowed("autocorrect", f"data/{path.name}"):
                for line in autocorrect_py.lint_for(text, "field.txt").lines:
                    problems.append(f"data/{path.name}: {'.'.join(map(str, keys))}: {line.old!r} -> {line.new!r}")
    assert not problems, "CJK spacing/punctuation (autocorrect) in data:\n  " + "\n  ".join(problems)


def test_page_names_are_the_same_in_navigation_titles_and_links(site):
    problems = STYLE.check_page_names() + STYLE.check_built_navigation(site)
    assert not problems, f"page names (data/terminology.yaml pages):\n  {_report(problems)}"


def test_built_pages_follow_the_house_style(site):
    problems = []
    for language in ("zh", "en"):
        root = language_root(site, language)
        for page in sorted(root.glob("*.html")):
            if page.name != "404.html":
                problems += STYLE.check_html(page, language, page.relative_to(site).as_posix())
    assert not problems, f"house style in the built HTML:\n  {_report(problems)}"


# --- each rule class fails on a broken copy ---------------------------------------------------------

BROKEN_MARKDOWN = {
    # rule class: (language, page, text appended as a new paragraph, rule id, what the message must name)
    "avoided term": ("zh", "clinical-results.md", "两例均采用以鲁索替尼为基础的方案处理。", "term ruxolitinib", "芦可替尼"),
    "avoided trial phase": ("zh", "products.md", "一项 1 期试验。", "term trial-phase", "Ⅰ期"),
    "caret power, Chinese": ("zh", "gene-editing.md", "推荐剂量为 900×10^6 个细胞。", "caret-power", "10⁶"),
    "caret power, English": ("en", "gene-editing.md", "The dose was 5×10^6/kg.", "caret-power", "10⁶"),
    "range style, Chinese": ("zh", "open-problems.md", "骨髓完全缓解率为 90–95%。", "range-zh", "90%～95%"),
    "range style, English": ("en", "open-problems.md", "Remission in 90–95% of patients.", "range-en", "90%–95%"),
    "space before a full-width bracket": ("zh", "fratricide.md", "即自相残杀 （fratricide）。", "space-fullwidth-bracket", "自相残杀（fratricide）"),
    "leftover English": ("zh", "clinical-results.md", "研究在 Beijing Boren Hospital 进行。", "leftover-english", "Chinese wording"),
    "inconsistent page name": ("zh", "cd7-target.md", "见[待解问题](open-problems.md)。", "page name", "[尚待解决的问题](open-problems.md)"),
}


@pytest.mark.parametrize("case", sorted(BROKEN_MARKDOWN), ids=str)
def test_each_rule_class_fails_on_a_broken_copy(project_copy, case):
    language, page, text, rule, preferred = BROKEN_MARKDOWN[case]
    source = project_copy / "docs" / language / page
    lines = source.read_text(encoding="utf-8").rstrip("\n").split("\n") + ["", text]
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems = house_style.HouseStyle(project_copy).check_markdown(source, language, f"docs/{language}/{page}")
    assert [p for p in problems if p.rule == rule], f"{case} went unnoticed: {_report(problems)}"
    reported = next(str(p) for p in problems if p.rule == rule)
    assert f"docs/{language}/{page}:{len(lines)}" in reported and preferred in reported, (
        f"the message must name the file, the line and the preferred form: {reported}")


def test_an_avoided_term_in_a_data_field_is_reported_with_its_key(project_copy):
    labels = project_copy / "data" / "labels.yaml"
    text = labels.read_text(encoding="utf-8")
    labels.write_text(text.replace("phase-1: {en: Phase 1, zh: Ⅰ期}", "phase-1: {en: Phase 1, zh: I 期}"), encoding="utf-8")
    problems = house_style.HouseStyle(project_copy).check_data()
    assert any(p.where == "data/labels.yaml: maturity.phase-1.zh" and p.rule == "term trial-phase" for p in problems), (
        _report(problems))


def test_a_nav_title_that_differs_from_the_page_name_is_reported(project_copy):
    config = project_copy / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("Open problems: 尚待解决的问题", "Open problems: 待解问题"),
                      encoding="utf-8")
    problems = house_style.HouseStyle(project_copy).check_page_names()
    assert [str(p) for p in problems] == [
        "mkdocs.yml: nav_translations.Open problems: page name: '待解问题' -> 尚待解决的问题"]


def test_generated_text_in_the_built_html_is_checked(site, tmp_path):
    """A space before a full-width bracket written by a hook (not in any Markdown) is caught in the HTML."""
    page = site / "zh" / "fratricide.html"
    html = page.read_text(encoding="utf-8")
    broken = tmp_path / "fratricide.html"
    marker = "<h2 id=\"why-fratricide\">"
    assert marker in html
    broken.write_text(html.replace(marker, "<p>即自相残杀 （<span lang=\"en\">fratricide</span>）。</p>" + marker, 1),
                      encoding="utf-8")
    problems = STYLE.check_html(broken, "zh", "zh/fratricide.html")
    assert [p for p in problems if p.rule == "space-fullwidth-bracket" and "自相残杀 （…）" in p.where], _report(problems)
    assert not STYLE.check_html(page, "zh", "zh/fratricide.html")


def test_a_misspelt_terminology_file_fails_with_file_and_key(project_copy):
    path = project_copy / "data" / "terminology.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("      kind: approved-name", "      kind: hearsay", 1),
                    encoding="utf-8")
    with pytest.raises(PluginError, match=r"data/terminology\.yaml: terms\[\d+\]: source\.kind: 'hearsay' is not one of"):
        house_style.HouseStyle(project_copy)


def test_every_temporary_exception_is_still_needed(site):
    """An `allow` entry in data/terminology.yaml that no longer hides anything must be deleted (for example the
    spaces around brackets in inline definitions, once hooks/glossary.py stops writing them)."""
    strict = house_style.HouseStyle(ROOT)
    strict.allow = []
    problems = strict.check_data()
    for page in sorted((site / "zh").glob("*.html")):
        for source, text in STYLE.html_segments(page):
            problems += [(source, p) for p in strict.check_text(text, "zh", lambda _o: "", source)]
    problems = [p if isinstance(p, tuple) else (p.where, p) for p in problems]
    unused = [entry for entry in STYLE.allow
              if not any(house_style.fnmatch(p.rule, entry["rule"]) and house_style.fnmatch(where, entry["where"] + "*")
                         for where, p in problems)]
    assert not unused, "data/terminology.yaml: allow entries that hide nothing any more, delete them:\n  " + "\n  ".join(
        f"{e['rule']} @ {e['where']}" for e in unused)
