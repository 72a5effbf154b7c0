"""Render data/trials.yaml in the page's language.

- `[[trials]]` / `[[trials field=value ...]]` on a topic page: a compact summary (product, evidence and n,
  key efficacy, key toxicity, source) whose rows link to the study's full record on the trials page. A
  record matches when the field equals the value or, for list fields (edits, registry, diseases), contains
  it. The shared note on how to read the numbers is printed once per page, after the first table.
- `[[trials-data]]` on the trials page: every study with every outcome, filter and sort controls (hidden
  until assets/javascripts/trials-explorer.js, with the vendored tablesort, takes over; with JavaScript off
  the full table is simply there).

Numbers are formatted by trial_format.py; labels come from data/labels.yaml; reference keys become citation
markers, numbered by the references hook that runs next.
"""

from __future__ import annotations

import html
import re
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError

sys.path.insert(0, str(Path(__file__).parent))
import evidence  # noqa: E402
import trial_format as fmt  # noqa: E402

DIRECTIVE = re.compile(r"^\[\[trials((?:\s+[a-z_]+=[^\s\]]+)*)\s*\]\]\s*$", re.M)
FULL_DIRECTIVE = re.compile(r"^\[\[trials-data\]\]\s*$", re.M)
VOCABULARY_FIELDS = ("cell_source", "donor_detail", "fratricide", "gvhd_strategy", "hvgr_strategy",
                     "editing_tool", "maturity", "diseases")
FILTERS = ("cell_source", "fratricide", "editing_tool", "diseases", "maturity")
TRIALS_PAGE = "trials.html"
e = html.escape


def _filters(text: str, page, ev) -> list[tuple[str, str]]:
    filters = []
    for pair in text.split():
        name, value = pair.split("=", 1)
        if name not in ev.trial_fields:
            raise PluginError(f"{evidence.source_of(page)}: [[trials {text.strip()}]]: unknown field '{name}' "
                              f"(fields: {', '.join(sorted(ev.trial_fields))})")
        if name in VOCABULARY_FIELDS and value not in ev.labels[name]:
            raise PluginError(f"{evidence.source_of(page)}: [[trials {text.strip()}]]: '{value}' is not a value "
                              f"of {name} (values: {', '.join(ev.labels[name])})")
        filters.append((name, value))
    return filters


def _matches(trial: dict, filters) -> bool:
    for name, value in filters:
        field = trial.get(name)
        if isinstance(field, list):
            if value not in field:
                return False
        elif str(field) != value:
            return False
    return True


def _text(value, language: str) -> str:
    """A field that is either shared by both languages or given per language."""
    return value[language] if isinstance(value, dict) else str(value)


def _name(trial: dict, language: str) -> str:
    return trial["name"][language]


def _citations(trial: dict) -> str:
    return "[" + "; ".join(f"@{k}" for k in trial["refs"]) + "]"


def _cell_source(trial: dict, ev, language: str) -> str:
    text = e(ev.label("cell_source", trial["cell_source"], language))
    if trial.get("donor_detail"):
        # Chinese sets the middle dot without spaces (none after a full-width bracket)
        text += (" · " if language == "en" else "·") + e(ev.label("donor_detail", trial["donor_detail"], language))
    return text


def _evidence_and_n(trial: dict, ev, language: str) -> str:
    parts = [e(ev.label("maturity", trial["maturity"], language))]
    if trial.get("disease"):
        parts.append(e(_text(trial["disease"], language)))
    size = fmt.study_size(ev, trial, language)
    if size:
        parts.append(e(size))
    return "<br>".join(parts)


def _caption(ev, language: str, filters) -> str:
    caption = ev.label("ui", "trials_caption", language)
    if filters:
        shown = "; ".join(
            ev.label(name, value, language) if name in VOCABULARY_FIELDS else f"{name} = {value}"
            for name, value in filters)
        caption += f" — {shown}" if language == "en" else f"——{shown}"
    return caption


def _footnote(ev, language: str) -> str:
    return f'<p class="atlas-table-note"><small>{e(ev.label("ui", "trials_footnote", language))}</small></p>\n'


def render_summary(ev, language: str, filters) -> str:
    columns = ("name", "evidence_n", "efficacy", "toxicity", "refs")
    labels = [ev.label("trial_column", c, language) for c in columns]
    header = "".join(f'<th scope="col">{e(label)}</th>' for label in labels)
    rows = []
    for trial in (t for t in ev.trials if _matches(t, filters)):
        link = (f'<a class="atlas-trials__details" href="{TRIALS_PAGE}#trial-{trial["id"]}">'
                f'{e(ev.label("ui", "details_link", language))}</a>')
        cells = [
            f'<th scope="row" data-label="{e(labels[0])}"><strong>{e(_name(trial, language))}</strong>'
            f'<br><small>{_cell_source(trial, ev, language)}</small></th>',
            f'<td data-label="{e(labels[1])}">{_evidence_and_n(trial, ev, language)}</td>',
            f'<td data-label="{e(labels[2])}">{e(fmt.column_text(ev, trial, "efficacy", language, limit=2))}</td>',
            f'<td data-label="{e(labels[3])}">{e(fmt.key_toxicity(ev, trial, language))}</td>',
            f'<td data-label="{e(labels[4])}">{_citations(trial)}<br>{link}</td>',
        ]
        rows.append(f'<tr data-trial="{trial["id"]}">' + "".join(cells) + "</tr>")
    return (
        f'<table class="atlas-trials atlas-trials--summary">\n<caption>{e(_caption(ev, language, filters))}</caption>\n'
        f"<thead><tr>{header}</tr></thead>\n<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>\n"
    )


FULL_COLUMNS = ("name", "maturity", "cell_source", "registry", "response", "crs_grade3plus", "icans", "gvhd",
                "follow_up", "data_cut", "refs")


def _full_row(trial: dict, ev, language: str) -> str:
    labels = {c: ev.label("trial_column", c, language) for c in FULL_COLUMNS}
    colon = e(ev.label("ui", "colon", language))
    edits = ("、" if language == "zh" else ", ").join(trial["edits"]) or "—"
    engineering = "<br>".join([
        _cell_source(trial, ev, language),
        f'{e(ev.label("trial_column", "fratricide", language))}{colon}{e(ev.label("fratricide", trial["fratricide"], language))}',
        f'{e(ev.label("trial_column", "gvhd_strategy", language))}{colon}{e(ev.label("gvhd_strategy", trial["gvhd_strategy"], language))}',
        f'{e(ev.label("trial_column", "hvgr_strategy", language))}{colon}{e(ev.label("hvgr_strategy", trial["hvgr_strategy"], language))}',
        f'{e(ev.label("trial_column", "edits", language))}{colon}{e(edits)}'
        + (" " if language == "en" else "") + e(fmt.bracket(ev.label("editing_tool", trial["editing_tool"], language), language)),
    ])
    dose = fmt.dose_text(ev, trial, language)
    if dose:
        engineering += f'<br>{e(ev.label("ui", "dose", language))}{colon}{e(dose)}'
    note = trial.get("source_note", {}).get(language)
    best = fmt.best_response(trial)
    sponsor = f'<br><small>{e(_text(trial["sponsor"], language))}</small>' if trial.get("sponsor") else ""
    cells = [
        ("name", f'<strong>{e(_name(trial, language))}</strong>{sponsor}', ""),
        ("maturity", _evidence_and_n(trial, ev, language), f' data-sort="{trial.get("n") or 0}"'),
        ("cell_source", engineering, ""),
        ("registry", "<br>".join(e(r) for r in trial["registry"]) or "—", ""),
        ("response", e(fmt.column_text(ev, trial, "efficacy", language)), f' data-sort="{best if best is not None else -1}"'),
        ("crs_grade3plus", e(fmt.column_text(ev, trial, "crs", language)), ""),
        ("icans", e(fmt.column_text(ev, trial, "icans", language)), ""),
        ("gvhd", e(fmt.column_text(ev, trial, "gvhd", language)), ""),
        ("follow_up", e(fmt.column_text(ev, trial, "follow_up", language)), ""),
        ("data_cut", e(str(trial["data_cut"] or ev.label("ui", "not_reported", language))),
         f' data-sort="{trial["data_cut"] or "0000"}"'),
        ("refs", _citations(trial) + (f"<br><small>{e(note)}</small>" if note else ""), ""),
    ]
    attributes = "".join(
        f' data-{name.replace("_", "-")}="{e(" ".join(trial[name]) if isinstance(trial[name], list) else trial[name])}"'
        for name in FILTERS)
    body = "".join(
        (f'<th scope="row" data-label="{e(labels[c])}"{extra}>{content}</th>' if c == "name" else
         f'<td data-label="{e(labels[c])}"{extra}>{content}</td>')
        for c, content, extra in cells)
    return f'<tr id="trial-{trial["id"]}"{attributes}>{body}</tr>'


SORTABLE = {"maturity": "n", "response": "response", "data_cut": "date"}


def _controls(ev, language: str) -> str:
    selects = []
    for name in FILTERS:
        values = []
        for trial in ev.trials:
            for value in (trial[name] if isinstance(trial[name], list) else [trial[name]]):
                if value not in values:
                    values.append(value)
        order = list(ev.labels[name])
        values.sort(key=order.index)
        options = [f'<option value="">{e(ev.label("ui", "filter_all", language))}</option>'] + [
            f'<option value="{e(v)}">{e(ev.label(name, v, language))}</option>' for v in values]
        selects.append(
            f'<label class="atlas-filter__field"><span>{e(ev.label("trial_column", name, language))}</span>'
            f'<select data-filter="{name.replace("_", "-")}">{"".join(options)}</select></label>')
    sorts = [("", "sort_none"), ("date", "sort_date"), ("n", "sort_n"), ("response", "sort_response")]
    sort_options = "".join(f'<option value="{v}">{e(ev.label("ui", k, language))}</option>' for v, k in sorts)
    selects.append(f'<label class="atlas-filter__field"><span>{e(ev.label("ui", "sort_by", language))}</span>'
                   f'<select data-sort-by>{sort_options}</select></label>')
    status = e(ev.label("ui", "shown_count", language))
    return (
        f'<form class="atlas-filter" hidden aria-label="{e(ev.label("ui", "filter_heading", language))}">\n'
        + "\n".join(selects)
        + f'\n<button type="reset" class="md-button">{e(ev.label("ui", "filter_reset", language))}</button>\n'
        f'<p class="atlas-filter__status" role="status" aria-live="polite" data-template="{status}"></p>\n</form>\n'
    )


def render_full(ev, language: str) -> str:
    header = "".join(
        f'<th scope="col" data-sort-key="{SORTABLE[c]}"'
        + (' data-sort-method="number"' if c in ("maturity", "response") else "") + ">"
        f'{e(ev.label("trial_column", c, language))}</th>' if c in SORTABLE else
        f'<th scope="col" data-sort-method="none">{e(ev.label("trial_column", c, language))}</th>'
        for c in FULL_COLUMNS)
    body = "\n".join(_full_row(t, ev, language) for t in ev.trials)
    return (
        _controls(ev, language)
        + f'<table class="atlas-trials atlas-trials--full">\n<caption>{e(_caption(ev, language, []))}</caption>\n'
        f"<thead><tr>{header}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>\n"
    )


def on_page_markdown(markdown: str, page, config, files) -> str:
    ev = evidence.get(config)
    language = evidence.language_of(page)
    noted = False

    def note_once() -> str:
        nonlocal noted
        if noted:
            return ""
        noted = True
        return _footnote(ev, language)

    def expand(match: re.Match) -> str:
        filters = _filters(match.group(1), page, ev)
        if not any(_matches(t, filters) for t in ev.trials):
            raise PluginError(f"{evidence.source_of(page)}: [[trials{match.group(1)}]] matches no record "
                              "in data/trials.yaml")
        # tables are not searched: a product name should lead to the prose that discusses it
        return evidence.defer(page, render_summary(ev, language, filters) + note_once(), searchable=False)

    markdown = FULL_DIRECTIVE.sub(
        lambda m: evidence.defer(page, render_full(ev, language) + note_once(), searchable=False), markdown)
    return DIRECTIVE.sub(expand, markdown)
