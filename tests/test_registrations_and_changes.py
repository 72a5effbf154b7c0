"""The trial landscape (data/registrations.yaml) and What's new (data/changes.yaml): every record renders in
both languages, the home page shows the newest changes, changed pages link to their entry, and bad data fails
with a message naming the file, the record and the problem."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
import yaml

import site_html
from conftest import LANGUAGES, ROOT, build, language_root

sys.path.insert(0, str(ROOT / "hooks"))
import evidence  # noqa: E402
import registrations_table  # noqa: E402
import whats_new  # noqa: E402
from mkdocs.exceptions import PluginError  # noqa: E402

EVIDENCE = evidence.load(ROOT)
REGISTRATIONS = registrations_table.load(ROOT, EVIDENCE)
CHANGES = whats_new.load(ROOT)
HOME_COUNT = 3  # the home page's marker is [[whats-new latest=3]]


# --- checks on a built site (each is also run on a deliberately broken build below) ---------------------

def registration_row_problems(site: Path) -> list[str]:
    """Every record of data/registrations.yaml is a filled row of the landscape table in every language."""
    problems = []
    for language in LANGUAGES:
        page = language_root(site, language) / "regulatory-status.html"
        rows = site_html.soup(page).select("table.atlas-registrations tbody tr")
        ids = [row.get("id") for row in rows]
        expected = [f"registration-{record['id']}" for record in REGISTRATIONS]
        if ids != expected:
            problems.append(f"{language}/regulatory-status.html: rows {ids} != records {expected}")
        for row in rows:
            empty = [i for i, cell in enumerate(row.select("td")) if not cell.get_text(strip=True)]
            if empty:
                problems.append(f"{language}/regulatory-status.html: {row.get('id')}: empty cells {empty}")
    return problems


def home_page_problems(site: Path) -> list[str]:
    """The home page lists the newest entries of data/changes.yaml, linking to the full list."""
    problems = []
    newest = [f"change-{entry['id']}" for entry in CHANGES[:HOME_COUNT]]
    for language in LANGUAGES:
        home = site_html.soup(language_root(site, language) / "index.html")
        shown = [item.get("id") for item in home.select("ul.atlas-changes > li")]
        if shown != newest:
            problems.append(f"{language}/index.html: shows {shown}, expected the newest {newest}")
        if not home.select_one('a[href="whats-new.html"]'):
            problems.append(f"{language}/index.html: no link to whats-new.html")
    return problems


def test_every_registration_renders_as_a_row_in_both_languages(site):
    assert not registration_row_problems(site), "\n".join(registration_row_problems(site))


def test_registration_rows_link_to_the_registry_in_both_languages(site):
    for language in LANGUAGES:
        page = site_html.soup(language_root(site, language) / "regulatory-status.html")
        for record in REGISTRATIONS:
            if record["id"].startswith("NCT"):
                link = page.select_one(f'tr#registration-{record["id"]} a[href="https://clinicaltrials.gov/study/{record["id"]}"]')
                assert link, f"{language}/regulatory-status.html: {record['id']} has no ClinicalTrials.gov link"


def test_home_page_shows_the_newest_changes(site):
    assert not home_page_problems(site), "\n".join(home_page_problems(site))


def test_whats_new_lists_every_entry_newest_first(site):
    for language in LANGUAGES:
        page = site_html.soup(language_root(site, language) / "whats-new.html")
        shown = [item.get("id") for item in page.select("ul.atlas-changes > li")]
        assert shown == [f"change-{entry['id']}" for entry in CHANGES], f"{language}/whats-new.html lists {shown}"
        dates = [time["datetime"] for time in page.select("ul.atlas-changes > li > p > time")]
        assert dates == sorted(dates, reverse=True), f"{language}/whats-new.html: entries not newest first: {dates}"


def test_each_changed_page_links_to_its_newest_entry(site):
    newest_for = {}  # CHANGES is newest first, so the first entry naming a page is its newest
    for entry in CHANGES:
        for page in entry["pages"]:
            newest_for.setdefault(page, entry["id"])
    for page, entry_id in newest_for.items():
        if page == whats_new.LIST_PAGE:
            continue
        for language in LANGUAGES:
            built = language_root(site, language) / page.replace(".md", ".html")
            link = site_html.soup(built).select_one("p.atlas-changed a")
            assert link is not None, f"{language}/{built.name}: no link to What's new"
            assert link["href"] == f"whats-new.html#change-{entry_id}", f"{language}/{built.name}: links to {link['href']}"


def test_the_checks_fail_on_a_broken_build(project_copy, tmp_path):
    """Both site checks report a Chinese home page without its marker and a Chinese page without its table."""
    home = project_copy / "docs/zh/index.md"
    home.write_text(home.read_text(encoding="utf-8").replace("[[whats-new latest=3]]", ""), encoding="utf-8")
    page = project_copy / "docs/zh/regulatory-status.md"
    page.write_text(page.read_text(encoding="utf-8").replace("[[registrations]]", ""), encoding="utf-8")
    result = build(project_copy, tmp_path / "site")
    assert result.returncode == 0, result.output[-3000:]
    site_html.soup.cache_clear()
    try:
        assert any("zh/index.html" in p for p in home_page_problems(result.site))
        assert any("zh/regulatory-status.html" in p for p in registration_row_problems(result.site))
    finally:
        site_html.soup.cache_clear()


# --- bad data ------------------------------------------------------------------------------------------

def _copy(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(ROOT / "data", root / "data")
    shutil.copytree(ROOT / "docs", root / "docs")
    return root


def _edit(path: Path, change) -> None:
    items = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(items)
    path.write_text(yaml.safe_dump(items, allow_unicode=True, sort_keys=False), encoding="utf-8")


BAD_REGISTRATIONS = {
    "unknown phase": (lambda r: r[1].update(phase="phase-9"), ["data/registrations.yaml", f"'{REGISTRATIONS[1]['id']}'", "phase", "is not one of"]),
    "malformed registry ID": (lambda r: r[0].update(id="NCT123"), ["data/registrations.yaml", "'NCT123'", "id", "does not match"]),
    "no verification source": (lambda r: r[2].pop("verified_from"), ["data/registrations.yaml", f"'{REGISTRATIONS[2]['id']}'", "'verified_from' is a required property"]),
    "missing Chinese disease": (lambda r: r[0]["disease"].pop("zh"), ["data/registrations.yaml", f"'{REGISTRATIONS[0]['id']}'", "disease", "'zh' is a required property"]),
    "duplicate ID": (lambda r: r.append(dict(r[0])), ["data/registrations.yaml", f"'{REGISTRATIONS[0]['id']}'", "duplicate id"]),
    "unknown reference key": (lambda r: r[0].update(refs=["Nobody2099"]), ["data/registrations.yaml", f"'{REGISTRATIONS[0]['id']}'", "unknown reference key 'Nobody2099'"]),
}


@pytest.mark.parametrize("defect", BAD_REGISTRATIONS)
def test_bad_registration_fails_naming_file_record_and_problem(tmp_path, defect):
    change, expected = BAD_REGISTRATIONS[defect]
    root = _copy(tmp_path)
    _edit(root / "data/registrations.yaml", change)
    with pytest.raises(PluginError) as error:
        registrations_table.load(root, evidence.load(root))
    for text in expected:
        assert text in str(error.value), f"message lacks {text!r}:\n{error.value}"


BAD_CHANGES = {
    "page that does not exist": (lambda c: c[0].update(pages=["no-such-page.md"]), ["data/changes.yaml", f"'{CHANGES[0]['id']}'", "'no-such-page.md' is not a page in docs/en/"]),
    "date not ISO": (lambda c: c[0].update(date="02/12/2026"), ["data/changes.yaml", f"'{CHANGES[0]['id']}'", "date", "does not match"]),
    "missing Chinese text": (lambda c: c[0]["why"].pop("zh"), ["data/changes.yaml", f"'{CHANGES[0]['id']}'", "why", "'zh' is a required property"]),
    "duplicate id": (lambda c: c.append(dict(c[0])), ["data/changes.yaml", f"'{CHANGES[0]['id']}'", "duplicate id"]),
}


@pytest.mark.parametrize("defect", BAD_CHANGES)
def test_bad_change_entry_fails_naming_file_entry_and_problem(tmp_path, defect):
    change, expected = BAD_CHANGES[defect]
    root = _copy(tmp_path)
    _edit(root / "data/changes.yaml", change)
    with pytest.raises(PluginError) as error:
        whats_new.load(root)
    for text in expected:
        assert text in str(error.value), f"message lacks {text!r}:\n{error.value}"


def test_the_build_fails_on_bad_registration_data(project_copy, tmp_path):
    """The same validation runs inside the real build, before any page is rendered."""
    _edit(project_copy / "data/registrations.yaml", lambda r: r[0].update(status="maybe"))
    result = build(project_copy, tmp_path / "site")
    assert result.returncode != 0
    assert f"data/registrations.yaml: '{REGISTRATIONS[0]['id']}': status" in result.output, result.output[-3000:]
