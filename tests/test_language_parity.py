"""English and Chinese pages must say the same thing: same pages, navigation, sections, figures, tables,
citations, numbers and identifiers."""

from __future__ import annotations

import pytest

import site_html
from conftest import LANGUAGES, ROOT, language_root, page_names

PAGES = page_names()


def test_every_page_exists_in_both_languages():
    sources = {
        lang: sorted(p.relative_to(ROOT / "docs" / lang).as_posix() for p in (ROOT / "docs" / lang).rglob("*.md"))
        for lang in LANGUAGES
    }
    assert sources["en"], "docs/en/ has no pages"
    assert sources["en"] == sources["zh"], (
        f"pages only in docs/en/: {sorted(set(sources['en']) - set(sources['zh']))}; "
        f"only in docs/zh/: {sorted(set(sources['zh']) - set(sources['en']))}"
    )


@pytest.mark.parametrize("page", PAGES)
def test_every_page_is_built_in_both_languages(site, page):
    for lang in LANGUAGES:
        built = language_root(site, lang) / page
        assert built.is_file(), f"{built.relative_to(site)} was not built"
        html_lang = site_html.soup(built).html.get("lang")
        assert html_lang == lang, f"{built.relative_to(site)}: <html lang='{html_lang}'>, expected '{lang}'"


def _navigation(path):
    """The primary navigation as (depth, target) pairs; targets relative to the language root."""
    nav = site_html.soup(path).select_one("nav.md-nav--primary")
    items = []
    for link in nav.select("a.md-nav__link[href]"):
        depth = len(link.find_parents("ul"))
        items.append((depth, link["href"].split("#")[0]))
    return items


def test_navigation_has_the_same_shape(site):
    en = _navigation(site / "index.html")
    zh = _navigation(site / "zh" / "index.html")
    assert en, "no primary navigation found on index.html"
    assert en == zh, f"navigation differs:\n  en: {en}\n  zh: {zh}"


@pytest.mark.parametrize("page", PAGES)
def test_page_pairs_have_the_same_structure(site, page):
    en = site_html.structure(site / page)
    zh = site_html.structure(site / "zh" / page)
    # the glossary is ordered by English name in English and by pinyin in Chinese: same sources, own order
    ordered = (lambda values: sorted(values)) if page == "glossary.html" else (lambda values: values)
    for field in ("headings", "figures", "images", "tables", "citations", "admonitions"):
        if field == "citations":
            assert ordered(en.citations) == ordered(zh.citations), (
                f"docs/en/{page[:-5]}.md and docs/zh/{page[:-5]}.md differ in citations:\n"
                f"  en: {en.citations}\n  zh: {zh.citations}")
            continue
        assert getattr(en, field) == getattr(zh, field), (
            f"docs/en/{page[:-5]}.md and docs/zh/{page[:-5]}.md differ in {field}:\n"
            f"  en: {getattr(en, field)}\n  zh: {getattr(zh, field)}"
        )


@pytest.mark.parametrize("page", PAGES)
def test_page_pairs_state_the_same_numbers_section_by_section(site, page):
    """Prose sections pair up by heading id; each number must occur as often in both (tables and reference
    lists rendered from data/ are single-sourced and left out)."""
    problems = site_html.section_number_differences(site / page, site / "zh" / page)
    assert not problems, (
        f"numbers differ between docs/en/{page[:-5]}.md and docs/zh/{page[:-5]}.md:\n  " + "\n  ".join(problems))


@pytest.mark.parametrize("page", PAGES)
def test_page_pairs_cite_the_same_identifiers(site, page):
    en, zh = site_html.identifiers(site / page), site_html.identifiers(site / "zh" / page)
    assert en == zh, (
        f"identifiers differ between docs/en/{page[:-5]}.md and docs/zh/{page[:-5]}.md:\n"
        f"  only in English: {sorted(en - zh)}\n  only in Chinese: {sorted(zh - en)}"
    )


def test_a_number_changed_in_one_sentence_is_caught_even_if_the_page_has_it_elsewhere(site):
    """The failure the whole-page comparison missed (19/20 -> 18/20 in one Chinese sentence passed, because the
    page's trials table held both): change a ratio of one prose section into another ratio the page states."""
    page = "clinical-results.html"
    english, chinese = site / page, site / "zh" / page
    assert not site_html.section_number_differences(english, chinese)
    sections = site_html.prose_sections(chinese)
    ratios = sorted({r for text in sections.values() for r in site_html.number_counts(text) if "/" in r})
    assert len(ratios) >= 2, f"zh/{page} states fewer than two ratios in its prose"
    old, new = ratios[0], ratios[1]
    section = next(key for key, text in sections.items() if old in text)
    changed = dict(sections, **{section: sections[section].replace(old, new, 1)})
    problems = site_html.section_number_differences(english, changed)
    assert problems and old in " ".join(problems) and new in " ".join(problems), problems
