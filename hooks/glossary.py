"""Render data/glossary.yaml: the glossary page (`[[glossary]]`) and inline definitions.

On every other page, the first occurrence of each term (its abbreviation, or its name in the page's
language) becomes a focusable term whose definition shows on hover, on tap and on keyboard focus — CSS only,
so it works without JavaScript. Definitions are kept out of the search index (data-search-exclude).
"""

from __future__ import annotations

import html
import re
import sys
from pathlib import Path

from bs4 import BeautifulSoup, NavigableString
from mkdocs.utils import get_relative_url
from pypinyin import lazy_pinyin

sys.path.insert(0, str(Path(__file__).parent))
import evidence  # noqa: E402

DIRECTIVE = re.compile(r"^\[\[glossary\]\]\s*$", re.M)
# no definitions inside these: headings, links, code, citation markers, other terms, reference lists
SKIP = {"h1", "h2", "h3", "h4", "h5", "h6", "a", "code", "pre", "script", "style", "sup", "dfn", "caption", "th"}
SKIP_CLASSES = {"atlas-term", "atlas-def", "atlas-references", "admonition-title", "atlas-reviewed", "atlas-table-note",
                "atlas-print-footer", "atlas-offline-notice"}
OTHER = {"en": "zh", "zh": "en"}


def _term_name(term: dict, language: str) -> str:
    return term["en"] if language == "en" else term["zh"]


def glossary_order(term: dict, language: str) -> str:
    """Sort key on the glossary page: the English name, or the pinyin of the Chinese name."""
    if language == "en":
        return term["en"].lower()
    return " ".join(lazy_pinyin(term["zh"])).lower()


def _letter(key: str) -> str:
    return key[0].upper() if key[:1].isalpha() and key[:1].isascii() else "#"


def _letter_id(letter: str) -> str:
    return f"letter-{letter.lower()}" if letter != "#" else "letter-other"


def on_page_markdown(markdown: str, page, config, files) -> str:
    if not DIRECTIVE.search(markdown):
        return markdown
    ev = evidence.get(config)
    language = evidence.language_of(page)
    page.meta["atlas_glossary_page"] = True
    groups: dict[str, list[str]] = {}
    for term in sorted(ev.glossary, key=lambda t: glossary_order(t, language)):
        name, other = _term_name(term, language), _term_name(term, OTHER[language])
        abbr = f' ({html.escape(term["abbr"])})' if term.get("abbr") and language == "en" else (
            f'（{html.escape(term["abbr"])}）' if term.get("abbr") else "")
        cites = f' [{"; ".join("@" + k for k in term["refs"])}]' if term.get("refs") else ""
        definition = html.escape(term["def_" + language])
        groups.setdefault(_letter(glossary_order(term, language)), []).append(
            f'<dt id="{term["id"]}"><dfn>{html.escape(name)}</dfn>{abbr} '
            f'<span class="atlas-other-term" lang="{OTHER[language]}">{html.escape(other)}</span></dt>\n'
            f"<dd>{definition}{cites}</dd>"
        )
    # a letter index (Chinese: by pinyin) above one list per letter
    index = "".join(f'<li><a href="#{_letter_id(letter)}">{letter}</a></li>' for letter in groups)
    label = html.escape(ev.label("ui", "letter_index", language))
    body = [f'<nav aria-label="{label}"><ul class="atlas-letter-index">{index}</ul></nav>']
    for letter, entries in groups.items():
        body.append(f'<p class="atlas-glossary-letter" id="{_letter_id(letter)}">{letter}</p>\n'
                    f'<dl class="atlas-glossary">\n' + "\n".join(entries) + "\n</dl>")
    return DIRECTIVE.sub(lambda m: "\n".join(body), markdown)


def _patterns(ev, language: str):
    """(term, compiled pattern) pairs, longest phrase first so that 'acute GVHD' wins over 'GVHD'."""
    found = []
    for term in ev.glossary:
        phrases = [(term["abbr"], True)] if term.get("abbr") else []
        phrases += [(p, False) for p in [_term_name(term, language)] + term.get(f"match_{language}", [])]
        for phrase, case_sensitive in phrases:
            if language == "en" or re.search(r"[A-Za-z]", phrase):
                pattern = rf"(?<![\w-]){re.escape(phrase)}(?![\w-])"
            else:
                pattern = re.escape(phrase)
            found.append((len(phrase), term, re.compile(pattern, 0 if case_sensitive else re.I)))
    found.sort(key=lambda item: -item[0])
    return [(term, pattern) for _, term, pattern in found]


def _skipped(node) -> bool:
    for parent in node.parents:
        if parent.name in SKIP or SKIP_CLASSES & set(parent.get("class") or []):
            return True
    return False


def on_page_content(content: str, page, config, files) -> str:
    if page.meta.get("atlas_glossary_page"):
        return content
    ev = evidence.get(config)
    language = evidence.language_of(page)
    prefix = "" if language == "en" else f"{language}/"
    glossary_url = get_relative_url(f"{prefix}glossary.html", page.url)
    soup = BeautifulSoup(content, "html.parser")
    defined: set[str] = set()
    for term, pattern in _patterns(ev, language):
        if term["id"] in defined:
            continue
        for text in soup.find_all(string=pattern):
            if not isinstance(text, NavigableString) or _skipped(text):
                continue
            match = pattern.search(text)
            before, word, after = text[: match.start()], match.group(0), text[match.end():]
            def_id = f"def-{term['id']}"
            other = _term_name(term, OTHER[language])
            abbr = f"{term['abbr']} · " if term.get("abbr") and term["abbr"] != word else ""
            tip = BeautifulSoup(
                f'<span class="atlas-term" tabindex="0" aria-describedby="{def_id}">{html.escape(word)}'
                f'<span class="atlas-def" role="tooltip" id="{def_id}" data-search-exclude>'
                f"<strong>{html.escape(abbr + _term_name(term, language))}</strong> "
                f'{"(" if language == "en" else "（"}<span lang="{OTHER[language]}">{html.escape(other)}</span>'
                f'{")" if language == "en" else "）"} '
                f'{html.escape(term["def_" + language])} '
                f'<a href="{glossary_url}#{term["id"]}">{html.escape(ev.label("ui", "glossary_link", language))}</a>'
                f"</span></span>",
                "html.parser",
            )
            text.replace_with(before, tip, after)
            defined.add(term["id"])
            break
    return str(soup) if defined else content
