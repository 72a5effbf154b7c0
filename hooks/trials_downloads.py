"""`[[trials-downloads]]`: the trials dataset as CSV (one row per study, flattened columns) and JSON (the
full outcome structure), generated from data/trials.yaml at build time next to the page, with a data
dictionary in both languages (CSV, and inside the JSON) and the build date. The page gets the links and the
dictionary as a table.
"""

from __future__ import annotations

import csv
import datetime
import html
import io
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import evidence  # noqa: E402
import trial_format as fmt  # noqa: E402

DIRECTIVE = re.compile(r"^\[\[trials-downloads\]\]\s*$", re.M)
FOLDER = "downloads"
FILES = {"csv": "cd7-car-t-trials.csv", "json": "cd7-car-t-trials.json", "dictionary": "cd7-car-t-trials-dictionary.csv"}
BASE_COLUMNS = ("id", "name_en", "name_zh", "sponsor", "cell_source", "donor_detail", "fratricide", "gvhd_strategy",
                "hvgr_strategy", "editing_tool", "edits", "registry", "maturity", "diseases", "disease_en",
                "disease_zh", "n", "n_population", "n_evaluable", "data_cut", "refs")
TAIL_COLUMNS = ("best_response_percent", "outcomes_en", "outcomes_zh", "source_note_en", "source_note_zh")
e = html.escape
_PENDING: set[Path] = set()


def build_date() -> str:
    return datetime.datetime.now(datetime.timezone.utc).date().isoformat()


def dictionary(ev) -> list[dict]:
    """[{column, en, zh}] in column order."""
    labels = ev.labels["download_column"]
    entries = [{"column": c, "en": labels[c]["en"], "zh": labels[c]["zh"]} for c in BASE_COLUMNS]
    for measure in fmt.RESPONSE_MEASURES:
        for part in ("numerator", "denominator", "percent"):
            template = labels[f"measure_{part}"]
            entries.append({"column": f"{measure.replace('-', '_')}_{part}",
                            "en": template["en"].format(measure=ev.label("measure", measure, "en")),
                            "zh": template["zh"].format(measure=ev.label("measure", measure, "zh"))})
    entries += [{"column": c, "en": labels[c]["en"], "zh": labels[c]["zh"]} for c in TAIL_COLUMNS]
    return entries


def _text(value, language):
    if value is None:
        return ""
    return value[language] if isinstance(value, dict) else str(value)


def flat_row(ev, trial: dict) -> dict:
    row = {
        "id": trial["id"], "name_en": trial["name"]["en"], "name_zh": trial["name"]["zh"],
        "sponsor": _text(trial.get("sponsor"), "en"), "cell_source": trial["cell_source"],
        "donor_detail": trial.get("donor_detail", ""), "fratricide": trial["fratricide"],
        "gvhd_strategy": trial["gvhd_strategy"], "hvgr_strategy": trial["hvgr_strategy"],
        "editing_tool": trial["editing_tool"], "edits": "|".join(trial["edits"]),
        "registry": "|".join(trial["registry"]), "maturity": trial["maturity"],
        "diseases": "|".join(trial["diseases"]), "disease_en": _text(trial.get("disease"), "en"),
        "disease_zh": _text(trial.get("disease"), "zh"), "n": trial.get("n", ""),
        "n_population": trial.get("n_population", ""), "n_evaluable": trial.get("n_evaluable", ""),
        "data_cut": trial["data_cut"] or "", "refs": "|".join(trial["refs"]),
    }
    for measure in fmt.RESPONSE_MEASURES:
        first = next((o for o in trial["outcomes"] if o["measure"] == measure), {})
        for part in ("numerator", "denominator", "percent"):
            value = first.get(part)
            row[f"{measure.replace('-', '_')}_{part}"] = "" if value is None else value
    best = fmt.best_response(trial)
    row["best_response_percent"] = "" if best is None else round(best, 2)
    for language in ("en", "zh"):
        row[f"outcomes_{language}"] = fmt.SEPARATOR[language].join(
            fmt.outcome_text(ev, o, language) for o in trial["outcomes"])
        row[f"source_note_{language}"] = _text(trial.get("source_note"), language)
    return row


def files_for(ev) -> dict[str, str]:
    columns = [entry["column"] for entry in dictionary(ev)]
    table = io.StringIO()
    writer = csv.DictWriter(table, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for trial in ev.trials:
        writer.writerow(flat_row(ev, trial))
    words = io.StringIO()
    dictionary_writer = csv.DictWriter(words, fieldnames=["column", "en", "zh"], lineterminator="\n")
    dictionary_writer.writeheader()
    dictionary_writer.writerows(dictionary(ev))
    document = {"title": "CD7 CAR-T Atlas: CD7-directed CAR studies", "source": "data/trials.yaml",
                "build_date": build_date(), "dictionary": dictionary(ev),
                "studies": [dict(flat_row(ev, t), outcomes=t["outcomes"]) for t in ev.trials]}
    # a byte-order mark so spreadsheet programs read the Chinese columns as UTF-8
    return {"csv": "\ufeff" + table.getvalue(), "dictionary": "\ufeff" + words.getvalue(),
            "json": json.dumps(document, ensure_ascii=False, indent=1) + "\n"}


def render(ev, language: str) -> str:
    links = "".join(
        f'<li><a href="{FOLDER}/{FILES[kind]}" download>{e(FILES[kind])}</a> — {e(ev.label("ui", label, language))}</li>'
        for kind, label in (("csv", "download_csv"), ("json", "download_json"), ("dictionary", "download_dictionary")))
    rows = "".join(f'<tr><td><code>{e(entry["column"])}</code></td><td>{e(entry[language])}</td></tr>'
                   for entry in dictionary(ev))
    return (
        f'<ul class="atlas-downloads">{links}</ul>\n'
        f'<p>{e(ev.label("ui", "download_built", language).format(date=build_date()))}</p>\n'
        f'<details class="atlas-dictionary"><summary>{e(ev.label("ui", "dictionary_caption", language))}</summary>\n'
        f'<table class="atlas-dictionary__table">\n<thead><tr><th scope="col">{e(ev.label("ui", "column", language))}</th>'
        f'<th scope="col">{e(ev.label("ui", "meaning", language))}</th></tr></thead>\n<tbody>{rows}</tbody>\n</table>\n'
        f"</details>\n"
    )


def on_page_markdown(markdown: str, page, config, files) -> str:
    if not DIRECTIVE.search(markdown):
        return markdown
    _PENDING.add(Path(config.site_dir) / Path(page.file.dest_uri).parent / FOLDER)
    ev = evidence.get(config)
    return DIRECTIVE.sub(lambda m: "\n" + render(ev, evidence.language_of(page)) + "\n", markdown)


def on_post_page(output: str, page, config) -> str:
    folder = Path(config.site_dir) / Path(page.file.dest_uri).parent / FOLDER
    if folder in _PENDING:
        _PENDING.discard(folder)
        folder.mkdir(parents=True, exist_ok=True)
        for kind, content in files_for(evidence.get(config)).items():
            (folder / FILES[kind]).write_text(content, encoding="utf-8")
    return output
