"""The evidence layer's data: data/references.yaml, data/trials.yaml, data/glossary.yaml, data/labels.yaml and
data/terminology.yaml (the Chinese house style, used by the tests),
loaded once per build, validated against data/schema/*.schema.json (jsonschema) and cross-checked.

Not a hook itself: the hooks citations.py, trials_table.py and glossary_terms.py import it.
Every problem is reported as `data/<file>: <key>: <problem>`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from jsonschema import Draft202012Validator
from mkdocs.exceptions import PluginError

DATA_FILES = ("references", "trials", "glossary", "terminology")
LANGUAGES = ("en", "zh")


@dataclass
class Evidence:
    root: Path
    references: dict[str, dict]
    trials: list[dict]
    glossary: list[dict]
    labels: dict
    cited: dict[str, set[str]] = field(default_factory=dict)  # key -> pages citing it (filled while building)

    @property
    def trial_fields(self) -> set[str]:
        schema = json.loads((self.root / "data" / "schema" / "trials.schema.json").read_text(encoding="utf-8"))
        return set(schema["items"]["properties"])

    def label(self, group: str, value: str, language: str) -> str:
        try:
            return self.labels[group][value][language]
        except KeyError:
            raise PluginError(f"data/labels.yaml: no '{language}' label for {group}.{value}") from None


def _read_yaml(path: Path):
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PluginError(f"{path.name}: file not found at {path}") from None
    except yaml.YAMLError as error:
        raise PluginError(f"data/{path.name}: not valid YAML: {error}") from None


def _entry_name(items, path) -> str:
    if path and isinstance(items, list) and isinstance(path[0], int) and path[0] < len(items):
        item = items[path[0]]
        if isinstance(item, dict):
            return f"'{item.get('key') or item.get('id') or '#' + str(path[0] + 1)}'"
    return f"entry #{path[0] + 1}" if path and isinstance(path[0], int) else "top level"


def validate_file(root: Path, name: str) -> list:
    """Load data/<name>.yaml and return it, or raise naming every schema violation."""
    items = _read_yaml(root / "data" / f"{name}.yaml")
    schema = json.loads((root / "data" / "schema" / f"{name}.schema.json").read_text(encoding="utf-8"))
    problems = []
    for error in sorted(Draft202012Validator(schema).iter_errors(items), key=lambda e: list(e.absolute_path)):
        path = list(error.absolute_path)
        if isinstance(items, dict) and path:  # a file of named sections (terminology.yaml): section, entry, field
            path = [f"{path[0]}[{path[1] + 1}]" if len(path) > 1 else path[0]] + path[2:]
            where, field_path = path[0], ".".join(map(str, path[1:])) or "(entry)"
        else:
            where = _entry_name(items, path)
            field_path = ".".join(str(p) for p in path[1:]) or "(entry)"
        message = error.message
        if error.validator == "anyOf" and "doi" in json.dumps(error.schema):
            message = ("has no identifier: needs doi, pmid, pmcid, registry or patent (or, only when none can be verified, "
                       "record_url with identifier_note)")
        problems.append(f"data/{name}.yaml: {where}: {field_path}: {message}")
    if problems:
        raise PluginError("Evidence data is invalid:\n  " + "\n  ".join(problems))
    return items


def _duplicates(items: list[dict], key: str) -> list[str]:
    seen, duplicates = set(), []
    for item in items:
        if item[key] in seen:
            duplicates.append(item[key])
        seen.add(item[key])
    return duplicates


def load(root: Path) -> Evidence:
    data = {name: validate_file(root, name) for name in DATA_FILES}
    labels = _read_yaml(root / "data" / "labels.yaml")
    problems = []
    for name, key in (("references", "key"), ("trials", "id"), ("glossary", "id")):
        for duplicate in _duplicates(data[name], key):
            problems.append(f"data/{name}.yaml: '{duplicate}': duplicate {key}")
    abbreviations = [g["abbr"] for g in data["glossary"] if g.get("abbr")]
    for duplicate in {a for a in abbreviations if abbreviations.count(a) > 1}:
        problems.append(f"data/glossary.yaml: abbreviation '{duplicate}' is used by more than one term")
    references = {ref["key"]: ref for ref in data["references"]}
    for trial in data["trials"]:
        for key in trial["refs"]:
            if key not in references:
                problems.append(f"data/trials.yaml: '{trial['id']}': refs: unknown reference key '{key}'")
    for term in data["glossary"]:
        for key in term.get("refs", []):
            if key not in references:
                problems.append(f"data/glossary.yaml: '{term['id']}': refs: unknown reference key '{key}'")
    if problems:
        raise PluginError("Evidence data is inconsistent:\n  " + "\n  ".join(problems))
    return Evidence(root, references, data["trials"], data["glossary"], labels)


_CACHE: dict[Path, tuple[tuple, Evidence]] = {}


def get(config) -> Evidence:
    """The validated evidence of this project, reloaded when a data file changes (mkdocs serve)."""
    root = Path(config.config_file_path).parent
    files = sorted((root / "data").rglob("*.y*ml")) + sorted((root / "data").rglob("*.json"))
    stamp = tuple((str(f), f.stat().st_mtime_ns) for f in files)
    cached = _CACHE.get(root)
    if cached is None or cached[0] != stamp:
        _CACHE[root] = (stamp, load(root))
    return _CACHE[root][1]


def source_of(page) -> str:
    return f"docs/{page.file.src_uri}"


def language_of(page) -> str:
    return getattr(page.file, "locale", None) or page.file.src_uri.split("/", 1)[0]
