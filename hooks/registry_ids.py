"""A trial registry ID typed in a page (NCT…, ChiCTR…, ISRCTN…) must be well formed and one the data files hold.

The data files' IDs were each confirmed on a registry page (see data/references.yaml, data/trials.yaml,
data/registrations.yaml); an ID typed only in prose would be the one place nothing was checked.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError

sys.path.insert(0, str(Path(__file__).parent))
import evidence  # noqa: E402

# what a reader would take for an ID: a registry prefix, maybe letters and hyphens, then digits
CANDIDATE = re.compile(r"(?<![A-Za-z0-9])(NCT|ChiCTR|ISRCTN)([-A-Za-z]*\d[\d-]*)")
VALID = re.compile(r"(NCT\d{8}|ChiCTR-?[A-Z]{0,4}-?\d{6,12}|ISRCTN\d{8})")


_KNOWN: dict[int, set[str]] = {}


def known_ids(config) -> set[str]:
    """Every registry ID of the data files (read once per build: `id(evidence)` changes when the data do)."""
    ev = evidence.get(config)
    if id(ev) in _KNOWN:
        return _KNOWN[id(ev)]
    ids = {trial_id for ref in ev.references.values() for trial_id in ref.get("registry", [])}
    ids |= {trial_id for trial in ev.trials for trial_id in trial.get("registry", [])}
    registrations = evidence.read_yaml(Path(config.config_file_path).parent / "data" / "registrations.yaml")
    _KNOWN.clear()
    _KNOWN[id(ev)] = ids | {record["id"] for record in registrations or []}
    return _KNOWN[id(ev)]


def on_page_markdown(markdown: str, page, config, files) -> str:
    if not CANDIDATE.search(markdown):
        return markdown
    known, source, problems = known_ids(config), evidence.source_of(page), []
    for match in CANDIDATE.finditer(markdown):
        text = match.group(0).rstrip("-")
        valid = VALID.match(text)
        number = markdown.count("\n", 0, match.start()) + 1
        # a citation key such as NCT04762485_record holds a valid ID followed by more text
        if not valid or (valid.end() < len(text) and text[valid.end()].isdigit()):
            problems.append(f"{source}:{_source_line(page, text, number)}: '{text}' is not a registry ID "
                            "(NCT + 8 digits, ChiCTR + digits, ISRCTN + 8 digits)")
        elif valid.group(0) not in known:
            problems.append(f"{source}:{_source_line(page, text, number)}: '{valid.group(0)}' is in no data "
                            "file; add it, confirmed on a registry page, to data/registrations.yaml, "
                            "data/trials.yaml or data/references.yaml")
    if problems:
        raise PluginError("Registry IDs:\n  " + "\n  ".join(problems))
    return markdown


def _source_line(page, text: str, markdown_line: int):
    # page.markdown has lost the front matter: the source file gives the line a writer sees
    line = evidence.line_of(page, text)
    return line if line != "?" else markdown_line
