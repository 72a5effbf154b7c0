"""The evidence layer: one bibliography, one trials dataset, one glossary, rendered into both languages.
Rendering is checked on the real built site; bad data must fail with a message naming file, key and problem."""

from __future__ import annotations

import re
import shutil
import sys
import warnings
from pathlib import Path

import pytest
from pypinyin import lazy_pinyin
import yaml

import site_html
from conftest import LANGUAGES, ROOT, build, language_root, page_names

sys.path.insert(0, str(ROOT / "hooks"))
import evidence  # noqa: E402
from mkdocs.exceptions import PluginError  # noqa: E402

PAGES = page_names()
EVIDENCE = evidence.load(ROOT)


def _citations(path: Path) -> list[tuple[str, str]]:
    """(key, number) of every citation link on a page, in document order."""
    return [(a["data-cite"], a.get_text()) for a in site_html.article(path).select("sup.atlas-cite a[data-cite]")]


# --- rendering ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("page", PAGES)
def test_citations_are_numbered_in_order_of_first_appearance(site, page):
    for lang in LANGUAGES:
        path = language_root(site, lang) / page
        first: dict[str, str] = {}
        for key, number in _citations(path):
            if key not in first:
                assert number == str(len(first) + 1), f"{lang}/{page}: {key} first cited as [{number}], expected [{len(first) + 1}]"
                first[key] = number
            assert number == first[key], f"{lang}/{page}: {key} cited as [{number}] and [{first[key]}]"
        listed = [(li["id"].removeprefix("ref-"), li["value"]) for li in site_html.article(path).select("ol.atlas-references > li")]
        assert listed == list(first.items()), f"{lang}/{page}: reference list {listed} does not match citations {first}"


@pytest.mark.parametrize("page", PAGES)
def test_english_and_chinese_pages_number_sources_identically(site, page):
    if page == "glossary.html":  # ordered by English name / by pinyin: same sources, in each language's order
        english, chinese = _citations(site / page), _citations(site / "zh" / page)
        assert sorted(k for k, _ in english) == sorted(k for k, _ in chinese), "glossary cites different sources"
        return
    assert _citations(site / page) == _citations(site / "zh" / page), f"citation order differs on {page}"


def test_reference_lists_link_doi_and_pubmed(site):
    checked = 0
    for page in PAGES:
        for lang in LANGUAGES:
            for item in site_html.article(language_root(site, lang) / page).select("ol.atlas-references > li"):
                ref = EVIDENCE.references[item["id"].removeprefix("ref-")]
                hrefs = {a["href"] for a in item.select("a[href]")}
                if ref.get("doi"):
                    assert f"https://doi.org/{ref['doi']}" in hrefs, f"{lang}/{page}: no DOI link for {ref['key']}"
                if ref.get("pmid"):
                    assert f"https://pubmed.ncbi.nlm.nih.gov/{ref['pmid']}/" in hrefs, f"{lang}/{page}: no PubMed link for {ref['key']}"
                assert ref["title"].rstrip(".")[:40] in item.get_text(), f"{lang}/{page}: title of {ref['key']} not shown"
                checked += 1
    assert checked > 50, f"only {checked} reference list entries found"


def test_abstract_secondary_and_preclinical_sources_are_labelled_where_cited(site):
    flagged = {k for k, r in EVIDENCE.references.items() if r["type"] in ("abstract", "secondary") or r.get("preclinical")}
    seen = 0
    for page in PAGES:
        for lang in LANGUAGES:
            for link in site_html.article(language_root(site, lang) / page).select("sup.atlas-cite a[data-cite]"):
                if link["data-cite"] in flagged:
                    label = link.find_next_sibling()
                    assert label is not None and "atlas-flag" in label.get("class", []), (
                        f"{lang}/{page}: citation of {link['data-cite']} has no visible source label")
                    seen += 1
    assert seen, "no flagged source is cited anywhere: the label check checked nothing"


def test_every_reference_has_an_identifier_and_a_verification_source():
    problems, record_only = [], []
    for key, ref in EVIDENCE.references.items():
        if not ref.get("verified_from"):
            problems.append(f"{key}: no verified_from page")
        if not any(ref.get(f) for f in ("doi", "pmid", "pmcid", "registry", "patent")):
            if ref.get("record_url") and ref.get("identifier_note"):
                record_only.append(f"{key}: {ref['identifier_note']}")
            else:
                problems.append(f"{key}: no DOI, PMID, PMCID, registry ID or patent number")
    assert not problems, "data/references.yaml:\n  " + "\n  ".join(problems)
    if record_only:
        warnings.warn("References cited by their bibliographic record only (verify a DOI/PMID):\n  "
                      + "\n  ".join(record_only), stacklevel=1)


def test_references_never_cited_are_listed(site):
    cited = {a["data-cite"] for page in site.rglob("*.html") for a in site_html.soup(page).select("[data-cite]")}
    never = sorted(set(EVIDENCE.references) - cited)
    assert cited, "no citation found on the built site"
    if never:
        warnings.warn(f"{len(never)} references in data/references.yaml are never cited: {', '.join(never)}", stacklevel=1)


def test_trials_page_shows_every_record_in_both_languages(site):
    ids = [f"trial-{t['id']}" for t in EVIDENCE.trials]
    for lang in LANGUAGES:
        rows = [tr["id"] for tr in site_html.article(language_root(site, lang) / "trials.html").select("table.atlas-trials--full tr[id]")]
        assert rows == ids, f"{lang}/trials: full table rows {rows} != data/trials.yaml {ids}"


def test_filtered_trials_views_show_only_matching_records(site):
    views = 0
    for page in PAGES:
        source = (ROOT / "docs/en" / page).with_suffix(".md").read_text(encoding="utf-8")
        tables = site_html.article(site / page).select("table.atlas-trials--summary")
        directives = re.findall(r"^\[\[trials((?:\s+\S+=\S+)*)\s*\]\]", source, re.M)
        assert len(tables) == len(directives), f"{page}: {len(directives)} [[trials]] directives, {len(tables)} tables"
        for directive, table in zip(directives, tables):
            filters = [pair.split("=", 1) for pair in directive.split()]
            expected = [t["id"] for t in EVIDENCE.trials
                        if all(v in t[k] if isinstance(t[k], list) else str(t[k]) == v for k, v in filters)]
            assert [tr["data-trial"] for tr in table.select("tr[data-trial]")] == expected, f"{page}: view {directive!r}"
            views += 1
    assert views > 3


def test_summary_rows_link_to_the_full_record_and_the_note_appears_once(site):
    for lang in LANGUAGES:
        root = language_root(site, lang)
        full_ids = {tr["id"] for tr in site_html.article(root / "trials.html").select("table.atlas-trials--full tr[id]")}
        for page in PAGES:
            article = site_html.article(root / page)
            tables = article.select("table.atlas-trials")
            if not tables:
                continue
            notes = article.select("p.atlas-table-note")
            assert len(notes) == 1, f"{lang}/{page}: the trials note appears {len(notes)} times, expected once"
            for row in article.select("table.atlas-trials--summary tr[data-trial]"):
                link = row.select_one("a.atlas-trials__details")
                assert link and link["href"] == f"trials.html#trial-{row['data-trial']}", f"{lang}/{page}: {row['data-trial']}"
                assert link["href"].split("#")[1] in full_ids


def test_no_trial_number_differs_between_languages():
    """Both languages print the numbers of one structured value: the same digits, in the same order."""
    import trial_format as fmt
    digits = re.compile(r"\d+(?:\.\d+)?")
    for trial in EVIDENCE.trials:
        for outcome in trial["outcomes"]:
            texts = {lang: fmt.outcome_value(EVIDENCE, outcome, lang) for lang in LANGUAGES}
            without_notes = {lang: texts[lang].replace(outcome.get("note", {}).get(lang, "\0"), "") for lang in LANGUAGES}
            found = {lang: digits.findall(without_notes[lang]) for lang in LANGUAGES}
            assert found["en"] == found["zh"], f"{trial['id']}: {texts}"
            for field in ("percent", "numerator", "denominator"):
                if outcome.get(field) is not None and not (field == "numerator" and outcome[field] == 0):
                    assert str(outcome[field]) in found["en"], f"{trial['id']}: {field} {outcome[field]} not shown in {texts}"


def _row_text(path: Path, trial_id: str) -> str:
    """A trials-page row as read, without the inline glossary definitions."""
    row = site_html.article(path).select_one(f"#trial-{trial_id}")
    for definition in row.select(".atlas-def"):
        definition.decompose()
    return row.get_text()


def test_numbers_are_formatted_with_superscript_powers_and_each_languages_brackets(site):
    en = _row_text(site / "trials.html", "biomarkres2022-etp-case")
    zh = _row_text(site / "zh" / "trials.html", "biomarkres2022-etp-case")
    assert "5 × 10⁶/kg" in en and "5 × 10⁶/kg" in zh  # the house style: a space either side of ×
    for lang, text in (("en", en), ("zh", zh)):
        assert "^" not in text, f"{lang}: caret power in {text!r}"
    pan_en = _row_text(site / "trials.html", "pan2021-donor-derived")
    pan_zh = _row_text(site / "zh" / "trials.html", "pan2021-donor-derived")
    assert "CR: 90% (18/20)" in pan_en and "CR：90%（18/20）" in pan_zh
    assert "CRS grade 3–4: 10% (2/20)" in pan_en and "3～4 级 CRS：10%（2/20）" in pan_zh  # ranges: – and ～


def test_no_text_in_the_trials_data_holds_a_percentage_or_a_fraction():
    for trial in EVIDENCE.trials:
        for path, text in evidence._strings({k: v for k, v in trial.items() if k not in ("refs", "registry", "edits")}, ""):
            assert not evidence.NUMBER_IN_TEXT.search(text), f"{trial['id']}: {path}: {text!r}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_glossary_page_lists_every_term_with_the_other_languages_term(site, language):
    page = language_root(site, language) / "glossary.html"
    terms = site_html.article(page).select("dl.atlas-glossary > dt")
    # English by name, Chinese by the pinyin of the Chinese name, under a letter index
    order = (lambda g: g["en"].lower()) if language == "en" else (lambda g: " ".join(lazy_pinyin(g["zh"])).lower())
    assert [dt["id"] for dt in terms] == [g["id"] for g in sorted(EVIDENCE.glossary, key=order)]
    letters = site_html.article(page).select(".atlas-letter-index a[href^='#letter-']")
    assert len(letters) >= 5, f"{language}/glossary: no letter index"
    for link in letters:
        target = site_html.article(page).select_one(link["href"])
        assert target is not None and target.find_next_sibling("dl"), f"{language}/glossary: {link['href']} leads nowhere"
    other = "zh" if language == "en" else "en"
    for dt in terms:
        assert dt.select_one(f"span[lang='{other}']"), f"{language}/glossary: {dt['id']} lacks the {other} term"


def test_pages_define_terms_inline_in_their_language(site):
    for lang in LANGUAGES:
        page = language_root(site, lang) / "fratricide.html"
        terms = site_html.article(page).select(".atlas-term")
        assert len(terms) >= 5, f"{lang}/fratricide: only {len(terms)} inline definitions"
        for term in terms:
            definition = term.select_one(".atlas-def")
            assert term.get("tabindex") == "0" and definition is not None, f"{lang}: term not focusable or empty"
            assert term["aria-describedby"] == definition["id"]
            assert definition.has_attr("data-search-exclude")


# --- bad input -----------------------------------------------------------------------------------------

def _data_copy(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(ROOT / "data", root / "data")
    return root


def _edit_yaml(path: Path, change) -> None:
    items = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(items)
    path.write_text(yaml.safe_dump(items, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _find(items, field, value):
    return next(item for item in items if item[field] == value)


def _outcome(trials, trial_id, measure):
    return next(o for o in _find(trials, "id", trial_id)["outcomes"] if o["measure"] == measure)


BAD_DATA = {
    "duplicate key": ("references", lambda r: r.append(dict(r[0])),
                      ["data/references.yaml", f"'{EVIDENCE.references and next(iter(EVIDENCE.references))}'", "duplicate key"]),
    "malformed DOI": ("references", lambda r: _find(r, "key", "Pan2021").update(doi="10.1200 JCO.21.00389"),
                      ["data/references.yaml", "'Pan2021'", "doi", "does not match"]),
    "malformed PMID": ("references", lambda r: _find(r, "key", "Pan2021").update(pmid="PMID34324392"),
                       ["data/references.yaml", "'Pan2021'", "pmid", "does not match"]),
    "malformed NCT": ("trials", lambda t: t[0].update(registry=["NCT0468965"]),
                      ["data/trials.yaml", f"'{EVIDENCE.trials[0]['id']}'", "registry.0", "does not match"]),
    "malformed ChiCTR": ("references", lambda r: _find(r, "key", "Pan2021").update(registry=["ChiCTR 2000"]),
                         ["data/references.yaml", "'Pan2021'", "registry.0", "does not match"]),
    "trial cites unknown reference": ("trials", lambda t: t[0].update(refs=["Nobody2099"]),
                                      ["data/trials.yaml", f"'{EVIDENCE.trials[0]['id']}'", "unknown reference key 'Nobody2099'"]),
    "missing Chinese field (trials)": ("trials", lambda t: t[0]["name"].pop("zh"),
                                       ["data/trials.yaml", f"'{EVIDENCE.trials[0]['id']}'", "name", "'zh' is a required property"]),
    # --- trials numbers (issue 10): one rule each
    "percentage above 100": ("trials", lambda t: _outcome(t, "pan2021-donor-derived", "cr").update(percent=150, numerator=30),
                             ["data/trials.yaml", "'pan2021-donor-derived'", "outcomes.0.percent", "150 is greater than the maximum of 100"]),
    "numerator above denominator": ("trials", lambda t: _outcome(t, "pan2021-donor-derived", "cr").update(numerator=30, percent=90),
                                    ["data/trials.yaml", "'pan2021-donor-derived'", "outcomes.0 (cr)", "numerator 30 is greater than denominator 20"]),
    "percentage disagrees with its fraction": ("trials", lambda t: _outcome(t, "pan2021-donor-derived", "cr").update(percent=80),
                                               ["data/trials.yaml", "'pan2021-donor-derived'", "outcomes.0 (cr)", "percent 80 does not match 18/20"]),
    "n not an integer": ("trials", lambda t: _find(t, "id", "pan2021-donor-derived").update(n="twenty-ish"),
                         ["data/trials.yaml", "'pan2021-donor-derived'", "n: 'twenty-ish' is not of type 'integer'"]),
    "n not positive": ("trials", lambda t: _find(t, "id", "pan2021-donor-derived").update(n=0),
                       ["data/trials.yaml", "'pan2021-donor-derived'", "n: 0 is less than the minimum of 1"]),
    "date that does not exist": ("trials", lambda t: _find(t, "id", "pan2021-donor-derived").update(data_cut="2021-13"),
                                 ["data/trials.yaml", "'pan2021-donor-derived'", "data_cut: '2021-13' is not a real date"]),
    "date not ISO": ("trials", lambda t: _find(t, "id", "pan2021-donor-derived").update(data_cut="July 2021"),
                     ["data/trials.yaml", "'pan2021-donor-derived'", "data_cut: 'July 2021' does not match"]),
    "date in the future": ("trials", lambda t: _find(t, "id", "pan2021-donor-derived").update(data_cut="2999-01"),
                           ["data/trials.yaml", "'pan2021-donor-derived'", "data_cut: '2999-01' is in the future"]),
    "malformed ISRCTN": ("trials", lambda t: _find(t, "id", "chiesa2023-be-car7").update(registry=["ISRCTN1532301"]),
                         ["data/trials.yaml", "'chiesa2023-be-car7'", "registry.0", "does not match"]),
    "value outside a closed list": ("trials", lambda t: _find(t, "id", "pan2021-donor-derived").update(cell_source="magic"),
                                    ["data/trials.yaml", "'pan2021-donor-derived'", "cell_source: 'magic' is not one of"]),
    "measure outside its closed list": ("trials", lambda t: _outcome(t, "pan2021-donor-derived", "cr").update(measure="cure"),
                                        ["data/trials.yaml", "'pan2021-donor-derived'", "outcomes.0.measure: 'cure' is not one of"]),
    "text holds a percentage": ("trials", lambda t: _find(t, "id", "pan2021-donor-derived")["source_note"].update(en="CR in 90% (18/20)."),
                                ["data/trials.yaml", "'pan2021-donor-derived'", "source_note.en", "text holds a percentage or a fraction"]),
    "missing Chinese field (glossary)": ("glossary", lambda g: g[0].pop("def_zh"),
                                         ["data/glossary.yaml", f"'{EVIDENCE.glossary[0]['id']}'", "'def_zh' is a required property"]),
    "no verification source": ("references", lambda r: _find(r, "key", "Pan2021").pop("verified_from"),
                               ["data/references.yaml", "'Pan2021'", "'verified_from' is a required property"]),
    "no identifier": ("references", lambda r: [_find(r, "key", "Pan2021").pop(f) for f in ("doi", "pmid")],
                      ["data/references.yaml", "'Pan2021'", "has no identifier"]),
    "malformed YAML": ("glossary", None, ["data/glossary.yaml", "not valid YAML"]),
}


def test_a_closed_value_without_a_label_in_both_languages_fails(tmp_path):
    root = _data_copy(tmp_path)
    _edit_yaml(root / "data" / "labels.yaml", lambda labels: labels["cell_source"]["mixed"].pop("zh"))
    with pytest.raises(PluginError) as error:
        evidence.load(root)
    message = str(error.value)
    assert "data/labels.yaml: cell_source.mixed: needs a label in en and zh" in message, message
    assert "data/trials.yaml: 'liu2025-meta-analysis': cell_source: 'mixed' has no label" in message, message


@pytest.mark.parametrize("defect", BAD_DATA)
def test_bad_data_fails_with_a_message_naming_file_key_and_problem(tmp_path, defect):
    name, change, expected = BAD_DATA[defect]
    root = _data_copy(tmp_path)
    path = root / "data" / f"{name}.yaml"
    if change is None:
        path.write_text(path.read_text(encoding="utf-8") + "\n- id: [unclosed\n", encoding="utf-8")
    else:
        _edit_yaml(path, change)
    with pytest.raises(PluginError) as error:
        evidence.load(root)
    for text in expected:
        assert text in str(error.value), f"message lacks {text!r}:\n{error.value}"


def test_the_build_fails_on_bad_data(project_copy, tmp_path):
    """The same validation runs inside the real build."""
    _edit_yaml(project_copy / "data/references.yaml", lambda r: _find(r, "key", "Pan2021").update(doi="not-a-doi"))
    result = build(project_copy, tmp_path / "site")
    assert result.returncode != 0
    assert "data/references.yaml: 'Pan2021': doi" in result.output, result.output[-3000:]


@pytest.mark.parametrize("page, addition, message", [
    ("docs/zh/about.md", "\n未知来源 [@Nobody2099]。\n", "docs/zh/about.md: unknown citation key 'Nobody2099'"),
    ("docs/en/about.md", "\n[[trials fratricide=magic]]\n",
     "docs/en/about.md: [[trials fratricide=magic]]: 'magic' is not a value of fratricide"),
], ids=["unknown citation key", "unknown trials filter value"])
def test_bad_marker_in_a_page_fails_the_build_naming_page_and_key(project_copy, tmp_path, page, addition, message):
    path = project_copy / page
    path.write_text(path.read_text(encoding="utf-8") + addition, encoding="utf-8")
    result = build(project_copy, tmp_path / "site")
    assert result.returncode != 0
    assert message in result.output, result.output[-3000:]
