"""Render data/registrations.yaml (trial registrations of CD7-directed cell therapies) as one table in the
page's language: `[[registrations]]` on a line of its own. Values are shared by both languages; labels come
from data/labels.yaml; reference keys become citation markers for the references hook that runs next.
"""

from __future__ import annotations

import html
import re
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError

sys.path.insert(0, str(Path(__file__).parent))
import evidence  # noqa: E402

DIRECTIVE = re.compile(r"^\[\[registrations\]\]\s*$", re.M)
COLUMNS = ("id", "title", "sponsor", "phase", "status", "country", "disease", "cell_source", "fratricide",
           "verified_from")

_loaded: dict[Path, list[dict]] = {}


def load(root: Path, ev) -> list[dict]:
    """data/registrations.yaml, validated against its schema and against data/references.yaml."""
    records = evidence.validate_file(root, "registrations")
    problems, seen = [], set()
    for record in records:
        if record["id"] in seen:
            problems.append(f"data/registrations.yaml: '{record['id']}': duplicate id")
        seen.add(record["id"])
        for key in record.get("refs", []):
            if key not in ev.references:
                problems.append(f"data/registrations.yaml: '{record['id']}': refs: unknown reference key '{key}'")
    problems += evidence.untranslated(records, "data/registrations.yaml")
    if problems:
        raise PluginError("Registration data is inconsistent:\n  " + "\n  ".join(problems))
    return records


def on_pre_build(config) -> None:
    root = Path(config.config_file_path).parent
    _loaded[root] = load(root, evidence.get(config))


def _row(record: dict, ev, language: str) -> str:
    e = html.escape
    label = lambda group, value: e(ev.label(group, value, language))  # noqa: E731
    status = label("registration_status", record["status"])
    if record.get("status_as_of"):
        status += f'<br><small>{label("registrations", "as_of")} {e(record["status_as_of"])}</small>'
    sources = ", ".join(label("cell_source", s) for s in record["cell_source"])
    # the kind of page each field was read on, as in the reference lists (never a raw address)
    checked = "<br>".join(e(ev.label("provenance", kind, language))
                          for kind in dict.fromkeys(ev.provenance(u) for u in record["verified_from"]))
    # registered titles stay in English; mark them for screen readers on Chinese pages
    title = e(record["title"]) if language == "en" else f'<span lang="en">{e(record["title"])}</span>'
    if record.get("refs"):
        title += " [" + "; ".join(f"@{k}" for k in record["refs"]) + "]"
    if record.get("note"):
        title += f'<br><small>{e(record["note"][language])}</small>'
    cells = [
        f'<a href="https://clinicaltrials.gov/study/{record["id"]}" rel="noopener">{record["id"]}</a>'
        if record["id"].startswith("NCT") else e(record["id"]),
        title,
        e(record["sponsor"]),
        label("registration_phase", record["phase"]),
        status,
        label("country", record["country"]),
        e(record["disease"][language]),
        sources,
        label("fratricide", record["fratricide"]),
        f"<small>{checked}</small>",
    ]
    return f'<tr id="registration-{record["id"]}">' + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"


def render(records: list[dict], ev, language: str) -> str:
    caption = html.escape(ev.label("registrations", "caption", language))
    header = "".join(
        f'<th scope="col">{html.escape(ev.label("registration_column", c, language))}</th>' for c in COLUMNS)
    body = "\n".join(_row(r, ev, language) for r in records)
    footnote = html.escape(ev.label("registrations", "footnote", language))
    return (
        f'<div class="atlas-table-scroll" tabindex="0" role="region" aria-label="{caption}">\n'
        f'<table class="atlas-registrations">\n<caption>{caption}</caption>\n'
        f"<thead><tr>{header}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>\n</div>\n"
        f'<p class="atlas-table-note"><small>{footnote}</small></p>\n'
    )


def on_page_markdown(markdown: str, page, config, files) -> str:
    if not DIRECTIVE.search(markdown):
        return markdown
    root = Path(config.config_file_path).parent
    records = _loaded.get(root)
    if records is None:
        records = _loaded[root] = load(root, evidence.get(config))
    ev, language = evidence.get(config), evidence.language_of(page)
    # like the trials table: kept out of Markdown and out of the search index, so restored after the
    # external-links hook has run: the registry links carry rel="noopener" themselves
    return DIRECTIVE.sub(lambda m: evidence.defer(page, render(records, ev, language), searchable=False), markdown)
