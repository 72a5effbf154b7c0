"""Render data/changes.yaml, the dated record of what changed on the site, in the page's language.

- `[[whats-new]]` on a line of its own lists every entry, newest first; `[[whats-new latest=N]]` the newest N
  (the home page) with a link to the full list.
- Every page named in an entry's `pages` gets a line under its review date linking to its newest entry.
A page in `pages` that does not exist in every language fails the build, naming the entry.
"""

from __future__ import annotations

import html
import re
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError

sys.path.insert(0, str(Path(__file__).parent))
import evidence  # noqa: E402

DIRECTIVE = re.compile(r"^\[\[whats-new(?:\s+latest=(\d+))?\s*\]\]\s*$", re.M)
LIST_PAGE = "whats-new.md"
_REVIEWED = re.compile(r'(<p class="atlas-reviewed"[^>]*>.*?</p>)', re.S)
_H1 = re.compile(r"^# (.+?)\s*(?:\{[^}]*\})?\s*$", re.M)

_loaded: dict[Path, list[dict]] = {}


def load(root: Path) -> list[dict]:
    """data/changes.yaml validated (schema, unique ids, pages that exist), newest entry first."""
    entries = evidence.validate_file(root, "changes")
    problems, seen = [], set()
    for entry in entries:
        if entry["id"] in seen:
            problems.append(f"data/changes.yaml: '{entry['id']}': duplicate id")
        seen.add(entry["id"])
        for page in entry["pages"]:
            for language in evidence.LANGUAGES:
                if not (root / "docs" / language / page).is_file():
                    problems.append(f"data/changes.yaml: '{entry['id']}': pages: '{page}' is not a page in docs/{language}/")
    problems += evidence.untranslated(entries, "data/changes.yaml")
    if problems:
        raise PluginError("What's new data is invalid:\n  " + "\n  ".join(problems))
    # stable sort: entries of the same day keep their file order
    return sorted(entries, key=lambda entry: entry["date"], reverse=True)


def on_pre_build(config) -> None:
    root = Path(config.config_file_path).parent
    _loaded[root] = load(root)


def _entries(config) -> list[dict]:
    root = Path(config.config_file_path).parent
    if root not in _loaded:
        _loaded[root] = load(root)
    return _loaded[root]


def _title(root: Path, language: str, page: str) -> str:
    match = _H1.search((root / "docs" / language / page).read_text(encoding="utf-8"))
    return match.group(1) if match else page


def _url(page, files, target: str) -> str:
    """Address of docs/<lang>/<target> relative to the page being built."""
    language = evidence.language_of(page)
    file = files.get_file_from_path(f"{language}/{target}") or files.get_file_from_path(target)
    if file is None:
        raise PluginError(f"{evidence.source_of(page)}: data/changes.yaml names '{target}', which is not built")
    return file.url_relative_to(page.file)


def _item(entry: dict, page, files, root: Path, ev, language: str) -> str:
    e = html.escape
    label = lambda value: e(ev.label("whats_new", value, language))  # noqa: E731
    colon = e(ev.label("ui", "colon", language))
    links = "、".join if language == "zh" else ", ".join
    pages = links(f'<a href="{e(_url(page, files, p))}">{e(_title(root, language, p))}</a>' for p in entry["pages"])
    return (
        f'<li id="change-{entry["id"]}"><p><time datetime="{entry["date"]}">{entry["date"]}</time>'
        f'{colon}{e(entry["what"][language])}</p>\n'
        f'<p><small>{label("why")}{colon}{e(entry["why"][language])}</small><br>'
        f'<small>{label("pages")}{colon}{pages}</small></p></li>'
    )


def on_page_markdown(markdown: str, page, config, files) -> str:
    if not DIRECTIVE.search(markdown):
        return markdown
    root, language = Path(config.config_file_path).parent, evidence.language_of(page)
    ev, entries = evidence.get(config), _entries(config)

    def expand(match: re.Match) -> str:
        shown = entries[: int(match.group(1))] if match.group(1) else entries
        items = "\n".join(_item(entry, page, files, root, ev, language) for entry in shown)
        more = ""
        if match.group(1):
            label = html.escape(ev.label("whats_new", "all", language))
            more = f'<p><a href="{html.escape(_url(page, files, LIST_PAGE))}">{label}</a></p>\n'
        # notes about the site, not about CD7 CAR-T: kept out of search (the page's headings are searched)
        return evidence.defer(page, f'<ul class="atlas-changes">\n{items}\n</ul>\n{more}', searchable=False)

    return DIRECTIVE.sub(expand, markdown)


def on_page_content(content: str, page, config, files) -> str:
    """Under the review date of a changed page: 'Updated <date> — What's new', to its newest entry."""
    name = page.file.src_uri.split("/", 1)[-1]
    entry = next((e for e in _entries(config) if name in e["pages"]), None)
    if entry is None or name == LIST_PAGE:
        return content
    ev, language = evidence.get(config), evidence.language_of(page)
    href = html.escape(_url(page, files, LIST_PAGE)) + f"#change-{entry['id']}"
    line = (f'<p class="atlas-changed" data-search-exclude><small>{html.escape(ev.label("whats_new", "updated", language))} '
            f'<time datetime="{entry["date"]}">{entry["date"]}</time> · '
            f'<a href="{href}">{html.escape(ev.label("whats_new", "link", language))}</a></small></p>')
    content, found = _REVIEWED.subn(lambda m: m.group(1) + line, content, count=1)
    return content if found else line + content
