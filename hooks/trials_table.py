"""Render data/trials.yaml as a comparison table in the page's language.

`[[trials]]` on a line of its own renders every record; `[[trials field=value ...]]` a filtered view
(a record matches when the field equals the value, or, for list fields such as edits and registry, contains
it). Values are shared by both languages; labels come from data/labels.yaml. Reference keys become
citation markers, numbered by the references hook that runs next.
"""

from __future__ import annotations

import html
import re
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError

sys.path.insert(0, str(Path(__file__).parent))
import evidence  # noqa: E402

DIRECTIVE = re.compile(r"^\[\[trials((?:\s+[a-z_]+=[^\s\]]+)*)\s*\]\]\s*$", re.M)
VOCABULARY_FIELDS = ("cell_source", "donor_detail", "fratricide", "gvhd_strategy", "hvgr_strategy",
                     "editing_tool", "maturity")


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


def _bracket(text: str, language: str) -> str:
    return f"({text})" if language == "en" else f"（{text}）"


def _row(trial: dict, ev, language: str) -> str:
    e = html.escape
    label = lambda group, value: e(ev.label(group, value, language))  # noqa: E731
    name = trial.get("name_zh") if language == "zh" and trial.get("name_zh") else trial["name"]
    source = label("cell_source", trial["cell_source"])
    if trial.get("donor_detail"):
        source += f'<br><small>{label("donor_detail", trial["donor_detail"])}</small>'
    edits = ", ".join(trial["edits"]) or "—"
    engineering = "<br>".join([
        f'{source}',
        f'{label("trial_column", "fratricide")}: {label("fratricide", trial["fratricide"])}',
        f'{label("trial_column", "gvhd_strategy")}: {label("gvhd_strategy", trial["gvhd_strategy"])}',
        f'{label("trial_column", "hvgr_strategy")}: {label("hvgr_strategy", trial["hvgr_strategy"])}',
        f'{label("trial_column", "edits")}: {e(edits)} {_bracket(label("editing_tool", trial["editing_tool"]), language)}',
    ])
    if language == "zh":
        engineering = engineering.replace(": ", "：")
    registry = "<br>".join(e(r) for r in trial["registry"]) or "—"
    note = trial.get("source_note", {}).get(language)
    citations = "[" + "; ".join(f"@{k}" for k in trial["refs"]) + "]"
    cells = [
        f'<strong>{e(name)}</strong><br><small>{e(trial["sponsor"])}</small>',
        f'{label("maturity", trial["maturity"])}<br>{e(_text(trial["disease"], language))}'
        f'<br>n = {e(_text(trial["n"], language))}',
        engineering,
        registry,
        e(trial["response"][language]),
        e(trial["crs_grade3plus"][language]),
        e(trial["icans"][language]),
        e(trial["gvhd"][language]),
        e(trial["follow_up"][language]),
        e(str(trial["data_cut"])),
        citations + (f"<br><small>{e(note)}</small>" if note else ""),
    ]
    return f'<tr id="trial-{trial["id"]}">' + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"


COLUMNS = ("name", "maturity", "cell_source", "registry", "response", "crs_grade3plus", "icans", "gvhd",
           "follow_up", "data_cut", "refs")


def render(ev, language: str, filters) -> str:
    rows = [t for t in ev.trials if _matches(t, filters)]
    header = "".join(f'<th scope="col">{html.escape(ev.label("trial_column", c, language))}</th>' for c in COLUMNS)
    caption = ev.label("ui", "trials_caption", language)
    if filters:
        shown = "; ".join(
            ev.label(name, value, language) if name in VOCABULARY_FIELDS else f"{name} = {value}"
            for name, value in filters)
        caption += f" — {shown}" if language == "en" else f"——{shown}"
    body = "\n".join(_row(t, ev, language) for t in rows)
    footnote = ev.label("ui", "trials_footnote", language)
    return (
        f'<div class="atlas-table-scroll" tabindex="0" role="region" aria-label="{html.escape(caption)}">\n'
        f'<table class="atlas-trials">\n<caption>{html.escape(caption)}</caption>\n'
        f"<thead><tr>{header}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>\n</div>\n"
        f'<p class="atlas-table-note"><small>{html.escape(footnote)}</small></p>\n'
    )


def on_page_markdown(markdown: str, page, config, files) -> str:
    ev = evidence.get(config)
    language = evidence.language_of(page)

    def expand(match: re.Match) -> str:
        filters = _filters(match.group(1), page, ev)
        if not any(_matches(t, filters) for t in ev.trials):
            raise PluginError(f"{evidence.source_of(page)}: [[trials{match.group(1)}]] matches no record "
                              "in data/trials.yaml")
        # tables are not searched: a product name should lead to the prose that discusses it
        return evidence.defer(page, render(ev, language, filters), searchable=False)

    return DIRECTIVE.sub(expand, markdown)
