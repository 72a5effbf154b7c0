"""The evidence layer's data: data/references.yaml, data/trials.yaml, data/glossary.yaml, data/labels.yaml and
data/terminology.yaml (the Chinese house style, used by the tests),
loaded once per build, validated against data/schema/*.schema.json (jsonschema) and cross-checked.

Not a hook itself: the hooks citations.py, trials_table.py and glossary_terms.py import it.
Every problem is reported as `data/<file>: <key>: <problem>`.
"""

from __future__ import annotations

import datetime
import json
import re
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

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
    # what hooks make from the data once per load (formatted references, the forest plot): a new load, when
    # mkdocs serve sees a data file change, starts with an empty one
    memo: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def trial_fields(self) -> set[str]:
        schema = json.loads((self.root / "data" / "schema" / "trials.schema.json").read_text(encoding="utf-8"))
        return set(schema["items"]["properties"])

    def label(self, group: str, value: str, language: str) -> str:
        try:
            return self.labels[group][value][language]
        except KeyError:
            raise PluginError(f"data/labels.yaml: no '{language}' label for {group}.{value}") from None

    def provenance(self, url: str) -> str:
        """The kind of page a URL is (PubMed record, publisher page, registry…: data/labels.yaml
        provenance_hosts, matched without "www."); readers see this, never the address. Unlisted: "index"."""
        if "host_kinds" not in self.__dict__:
            self.__dict__["host_kinds"] = {
                host: kind for kind, hosts in self.labels["provenance_hosts"].items() for host in hosts}
        host = urlsplit(url).netloc.lower().removeprefix("www.")
        return self.__dict__["host_kinds"].get(host, "index")


class _StrictLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """YAML loader (libyaml where available: the pure-Python one was a tenth of the build) that refuses a
    key written twice in one mapping; plain YAML silently keeps the last one."""

    def construct_mapping(self, node, deep=False):
        seen = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"'{key}' is written twice in one entry (lines {seen[key] + 1} and "
                    f"{key_node.start_mark.line + 1}); keep one", key_node.start_mark)
            seen[key] = key_node.start_mark.line
        return super().construct_mapping(node, deep)


def parse_yaml(text: str):
    """YAML text read with the strict loader (raises yaml.YAMLError or ValueError)."""
    return yaml.load(text, Loader=_StrictLoader)


def read_yaml(path: Path):
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_StrictLoader)
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
    items = read_yaml(root / "data" / f"{name}.yaml")
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
    labels = read_yaml(root / "data" / "labels.yaml")
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
    problems += check_vocabularies(root, labels)
    for name, content in (("glossary", data["glossary"]), ("labels", labels), ("trials", data["trials"])):
        problems += untranslated(content, f"data/{name}.yaml")
    for trial in data["trials"]:
        problems += check_trial(trial, labels)
    if problems:
        raise PluginError("Evidence data is inconsistent:\n  " + "\n  ".join(problems))
    return Evidence(root, references, data["trials"], data["glossary"], labels)


# --- both languages ------------------------------------------------------------------------------------

CJK = re.compile(r"[\u3400-\u9fff]")
ENGLISH_WORD = re.compile(r"(?<![A-Za-z])[a-z]{3,}(?![A-Za-z])")  # a word, not an abbreviation (CRS, CRISPR/Cas9)


def _pairs(entry: dict):
    """(key, English, Chinese) for each text written in both languages: en/zh, def_en/def_zh, *_en/*_zh."""
    for key, value in entry.items():
        if key == "en" or key.endswith("_en"):
            other = "zh" if key == "en" else key[:-3] + "_zh"
            if isinstance(value, str) and isinstance(entry.get(other), str):
                yield other, value, entry[other]


def untranslated(value, where: str, path: str = "") -> list[str]:
    """Chinese text that is the English copied unchanged, or English words with no Chinese at all."""
    problems = []
    if isinstance(value, dict):
        for key, english, chinese in _pairs(value):
            if not ENGLISH_WORD.search(english):
                continue  # abbreviations and symbols are the same in both languages
            name = ".".join(p for p in (path, value.get("id") and f"'{value['id']}'", key) if p)
            if chinese.strip() == english.strip():
                problems.append(f"{where}: {name}: the Chinese text is the English copied unchanged "
                                f"({chinese!r}); translate it")
            elif not CJK.search(chinese) and len(ENGLISH_WORD.findall(chinese)) >= 2:
                problems.append(f"{where}: {name}: the Chinese text has no Chinese in it ({chinese!r})")
        label = f"'{value['id']}'" if isinstance(value.get("id"), str) else None
        for key, item in value.items():
            if isinstance(item, (dict, list)):
                problems += untranslated(item, where, ".".join(p for p in (path, label, str(key)) if p))
    elif isinstance(value, list):
        for item in value:
            problems += untranslated(item, where, path)
    return problems


# --- trials: what a schema cannot say -------------------------------------------------------------------

# closed lists of data/trials.yaml whose values are printed, and the labels.yaml group that names them
VOCABULARIES = {
    "cell_source": "cell_source", "donor_detail": "donor_detail", "fratricide": "fratricide",
    "gvhd_strategy": "gvhd_strategy", "hvgr_strategy": "hvgr_strategy", "editing_tool": "editing_tool",
    "maturity": "maturity", "n_population": "population",
}
OUTCOME_VOCABULARIES = {"measure": "measure", "population": "population", "setting": "setting"}
# a percentage or a fraction typed into text ("phase 1/2" and "1/2 期" are phases, not fractions)
NUMBER_IN_TEXT = re.compile(r"\d\s*%|(?<![Pp]hase )(?<![\d/])\d+\s*/\s*\d+(?![\d/]|\s*期)")


def _has_label(labels: dict, group: str, value: str) -> bool:
    entry = labels.get(group, {}).get(value)
    return isinstance(entry, dict) and all(entry.get(language) for language in LANGUAGES)


def check_vocabularies(root: Path, labels: dict) -> list[str]:
    """Every value the schema allows in a closed list has a label in both languages."""
    schema = json.loads((root / "data" / "schema" / "trials.schema.json").read_text(encoding="utf-8"))
    item, outcome = schema["items"]["properties"], schema["$defs"]["outcome"]["properties"]
    problems = []
    lists = {"diseases": "diseases"}
    for fields, properties in ((VOCABULARIES, item), (OUTCOME_VOCABULARIES, outcome), (lists, item)):
        for name, group in fields.items():
            for value in properties[name].get("enum") or properties[name]["items"]["enum"]:
                if not _has_label(labels, group, value):
                    problems.append(f"data/labels.yaml: {group}.{value}: needs a label in en and zh "
                                    f"(it is a value of {name} in data/schema/trials.schema.json)")
    return problems


def _strings(value, path: str):
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{path}.{index}")


def _decimals(value) -> int:
    text = repr(value)
    return len(text.split(".", 1)[1]) if "." in text else 0


def _check_date(text: str) -> str | None:
    parts = [int(p) for p in text.split("-")]
    try:
        first = datetime.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return f"'{text}' is not a real date"
    if first > datetime.date.today():
        return f"'{text}' is in the future"
    return None


def check_trial(trial: dict, labels: dict) -> list[str]:
    """Cross-checks of one study: dates, vocabularies' labels, numbers that must agree, no numbers in text."""
    where = f"data/trials.yaml: '{trial['id']}'"
    problems = []
    if trial.get("data_cut") is not None:
        problem = _check_date(str(trial["data_cut"]))
        if problem:
            problems.append(f"{where}: data_cut: {problem}")
    for name, group in VOCABULARIES.items():
        if trial.get(name) is not None and not _has_label(labels, group, trial[name]):
            problems.append(f"{where}: {name}: '{trial[name]}' has no label in data/labels.yaml {group} (en and zh)")
    for value in trial.get("diseases", []):
        if not _has_label(labels, "diseases", value):
            problems.append(f"{where}: diseases: '{value}' has no label in data/labels.yaml diseases (en and zh)")
    if trial.get("n_evaluable") and trial.get("n") and trial["n_evaluable"] > trial["n"]:
        problems.append(f"{where}: n_evaluable: {trial['n_evaluable']} is more than n ({trial['n']})")
    for index, outcome in enumerate(trial["outcomes"]):
        at = f"{where}: outcomes.{index} ({outcome['measure']})"
        for name, group in OUTCOME_VOCABULARIES.items():
            if outcome.get(name) is not None and not _has_label(labels, group, outcome[name]):
                problems.append(f"{at}: {name}: '{outcome[name]}' has no label in data/labels.yaml {group} (en and zh)")
        numerator, denominator, percent = outcome.get("numerator"), outcome.get("denominator"), outcome.get("percent")
        if denominator is not None and numerator is not None and numerator > denominator:
            problems.append(f"{at}: numerator {numerator} is greater than denominator {denominator}")
        elif denominator and numerator is not None and percent is not None:
            exact = 100 * numerator / denominator
            tolerance = 0.5 * 10 ** -_decimals(percent) + 1e-9
            if abs(exact - percent) > tolerance:
                problems.append(f"{at}: percent {percent} does not match {numerator}/{denominator} "
                                f"(= {exact:.2f}%) within rounding")
        if (denominator and trial.get("n") and denominator > trial["n"]
                and outcome.get("population") not in ("samples", "aml-patients", "pooled")):
            problems.append(f"{at}: denominator {denominator} is more than the study's n ({trial['n']})")
        for field_name in ("interval", "range"):
            bounds = outcome.get(field_name)
            if bounds and bounds[0] > bounds[1]:
                problems.append(f"{at}: {field_name}: {bounds[0]} is above {bounds[1]}")
        if outcome.get("interval") and percent is not None and not outcome["interval"][0] <= percent <= outcome["interval"][1]:
            problems.append(f"{at}: percent {percent} lies outside its interval {outcome['interval']}")
    for path, text in _strings({k: v for k, v in trial.items() if k not in ("id", "refs", "registry", "edits",
                                                                              "data_cut")}, ""):
        if NUMBER_IN_TEXT.search(text):
            problems.append(f"{where}: {path}: text holds a percentage or a fraction ('{NUMBER_IN_TEXT.search(text).group()}'); "
                            "write it as a structured outcome")
    return problems


_CACHE: dict[Path, tuple[tuple, Evidence]] = {}
# the configuration whose build last looked at the data files: hooks ask for the evidence several times per page,
# and checking every data file's time each time was a tenth of the hooks' cost (mkdocs serve loads a new
# configuration for each rebuild, so a changed file is still seen on the next one)
_CHECKED_FOR: dict[Path, weakref.ref] = {}


def get(config) -> Evidence:
    """The validated evidence of this project, reloaded when a data file changes (mkdocs serve)."""
    root = Path(config.config_file_path).parent
    checked = _CHECKED_FOR.get(root)
    if checked is not None and checked() is config and root in _CACHE:
        return _CACHE[root][1]
    files = sorted((root / "data").rglob("*.y*ml")) + sorted((root / "data").rglob("*.json"))
    stamp = tuple((str(f), f.stat().st_mtime_ns) for f in files)
    cached = _CACHE.get(root)
    if cached is None or cached[0] != stamp:
        _CACHE[root] = (stamp, load(root))
    _CHECKED_FOR[root] = weakref.ref(config)
    return _CACHE[root][1]


def source_of(page) -> str:
    return f"docs/{page.file.src_uri}"


def line_of(page, snippet: str) -> int | str:
    """The line of the page's source file where `snippet` first appears ('?' when it is not there as such)."""
    try:
        source = Path(page.file.abs_src_path).read_text(encoding="utf-8")
    except (OSError, TypeError):
        return "?"
    index = source.find(snippet)
    return source.count("\n", 0, index) + 1 if index >= 0 else "?"


def language_of(page) -> str:
    return getattr(page.file, "locale", None) or page.file.src_uri.split("/", 1)[0]


# --- generated HTML ---------------------------------------------------------------------------------
# Hooks render large HTML (reference lists, trials tables, citation markers) from data. Handing it to Markdown
# only to have it passed through again cost a third of the build, so a hook leaves a placeholder in the
# Markdown and the generated_html hook puts the HTML back after conversion: before the search index is made
# (searchable), or after it, for what readers never search for (per-page reference lists).
GENERATED = re.compile(r"<!-- atlas-generated (\d+) -->")


def defer(page, html: str, *, inline: bool = False, searchable: bool = True) -> str:
    """Keep `html` aside for this page; return the Markdown (a block, or an inline token) that stands for it."""
    blocks = page.__dict__.setdefault("atlas_generated", [])
    blocks.append((html, searchable))
    number = len(blocks) - 1
    # an HTML comment: Markdown passes it through, and the search plugin does not index it
    placeholder = f"<!-- atlas-generated {number} -->"
    return placeholder if inline else f"\n\n{placeholder}\n\n"


def generated_blocks(page) -> list[tuple[str, bool]]:
    return page.__dict__.get("atlas_generated", [])


def placeholder_number(match: re.Match) -> int:
    return int(match.group(1))
