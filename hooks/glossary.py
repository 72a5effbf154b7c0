"""Render data/glossary.yaml: the glossary page (`[[glossary]]`) and inline definitions.

On every other page, the first occurrence of each term (its abbreviation, or its name in the page's
language) becomes a focusable term whose definition shows on hover, on tap and on keyboard focus — CSS only,
so it works without JavaScript. Definitions are added after the search plugin has indexed the page, so they
never reach the search index (data-search-exclude too, for anything that reads the HTML later).
"""

from __future__ import annotations

import bisect
import hashlib
import html
import importlib.metadata
import json
import re
import sys
from pathlib import Path

import ahocorasick
import lxml.etree
from mkdocs.plugins import event_priority
from mkdocs.utils import get_relative_url

sys.path.insert(0, str(Path(__file__).parent))
import evidence  # noqa: E402
import html_fragment  # noqa: E402

DIRECTIVE = re.compile(r"^\[\[glossary\]\]\s*$", re.M)
# no definitions inside these: headings, links, code, citation markers, other terms, reference lists
SKIP = {"h1", "h2", "h3", "h4", "h5", "h6", "a", "code", "pre", "script", "style", "sup", "dfn", "caption", "th"}
SKIP_CLASSES = {"atlas-term", "atlas-def", "atlas-references", "admonition-title", "atlas-reviewed", "atlas-table-note",
                "atlas-print-footer", "atlas-print-header", "atlas-offline-notice", "atlas-page-toc", "atlas-figure-hint",
                "atlas-flag-legend", "atlas-backlinks"}
OTHER = {"en": "zh", "zh": "en"}


def _term_name(term: dict, language: str) -> str:
    return term["en"] if language == "en" else term["zh"]


def glossary_order(term: dict, language: str, pinyin: dict[str, str]) -> str:
    """Sort key on the glossary page: the English name, or the pinyin of the Chinese name."""
    return term["en"].lower() if language == "en" else pinyin[term["zh"]]


_PINYIN: dict[tuple, dict[str, str]] = {}


def pinyin_keys(ev) -> dict[str, str]:
    """The pinyin (pypinyin, lower case, syllables spaced) of every Chinese term name. Importing pypinyin
    loads its phrase dictionary, which cost more than the rest of this hook, so the keys are cached in
    .cache/ and pypinyin is imported only when the Chinese names change."""
    names = sorted({term["zh"] for term in ev.glossary})
    what = json.dumps([names, importlib.metadata.version("pypinyin")], ensure_ascii=False)
    digest = hashlib.sha256(what.encode("utf-8")).hexdigest()[:16]
    if digest in _PINYIN:
        return _PINYIN[digest]
    cache = ev.root / ".cache" / "glossary-pinyin" / f"{digest}.json"
    try:
        keys = json.loads(cache.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        from pypinyin import lazy_pinyin

        keys = {name: " ".join(lazy_pinyin(name)).lower() for name in names}
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_text(json.dumps(keys, ensure_ascii=False), encoding="utf-8")
    _PINYIN.clear()
    _PINYIN[digest] = keys
    return keys


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
    pinyin = pinyin_keys(ev) if language == "zh" else {}
    for term in sorted(ev.glossary, key=lambda t: glossary_order(t, language, pinyin)):
        name, other = _term_name(term, language), _term_name(term, OTHER[language])
        abbr = f' ({html.escape(term["abbr"])})' if term.get("abbr") and language == "en" else (
            f'（{html.escape(term["abbr"])}）' if term.get("abbr") else "")
        cites = f' [{"; ".join("@" + k for k in term["refs"])}]' if term.get("refs") else ""
        definition = html.escape(term["def_" + language])
        groups.setdefault(_letter(glossary_order(term, language, pinyin)), []).append(
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
    # not searchable as a page: search_index.py gives each term its own entry, from data/
    return DIRECTIVE.sub(lambda m: evidence.defer(page, "\n".join(body), searchable=False), markdown)


# Names are matched without regard to case (abbreviations aside). Positions found in the folded text must hold
# in the original, so text that str.lower() would lengthen (only "İ" does) is folded in ASCII only, which keeps
# every string's length (str.translate is many times slower than str.lower on text beyond ASCII).
_FOLD = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _fold(text: str) -> str:
    folded = text.lower()
    return folded if len(folded) == len(text) else text.translate(_FOLD)


_MATCHERS: dict[tuple[int, str], "ahocorasick.Automaton"] = {}


def _matcher(ev, language: str):
    """An Aho–Corasick automaton over every phrase of every term (abbreviation, name, match_* phrases), built
    once per loaded glossary, so a page's text is scanned once whatever the number of terms."""
    key = (id(ev), language)
    if key not in _MATCHERS:
        automaton = ahocorasick.Automaton()
        for term in ev.glossary:
            phrases = [(term["abbr"], True)] if term.get("abbr") else []
            phrases += [(p, False) for p in [_term_name(term, language)] + term.get(f"match_{language}", [])]
            for phrase, case_sensitive in phrases:
                # Latin phrases must stand as words; Chinese ones have no word boundaries to check
                bounded = language == "en" or bool(re.search(r"[A-Za-z]", phrase))
                folded = _fold(phrase)
                entries = automaton.get(folded, [])
                entries.append((phrase, len(phrase), case_sensitive, bounded, term))
                automaton.add_word(folded, entries)
        automaton.make_automaton()
        _MATCHERS.clear()  # only the current evidence (mkdocs serve reloads it when data changes)
        _MATCHERS[key] = automaton
    return _MATCHERS[key]


def _new_terms(automaton, value: str, defined: set[str]):
    """(start, end, term) of each term not yet defined in `value`, adding it to `defined`: at each start the
    longest phrase that stands there (right case for abbreviations, whole words for Latin phrases), left to
    right, not overlapping. A phrase of a term defined earlier is passed over (a shorter term inside it may
    still be defined)."""
    found, size = {}, len(value)
    for end, entries in automaton.iter(_fold(value)):
        after = end + 1
        for phrase, length, case_sensitive, bounded, term in entries:
            start = after - length
            if case_sensitive and value[start:after] != phrase:
                continue
            if bounded and ((start > 0 and (value[start - 1].isalnum() or value[start - 1] in "_-"))
                            or (after < size and (value[after].isalnum() or value[after] in "_-"))):
                continue  # a letter, digit, _ or - next to it: not a whole word (written out: the hot loop)
            best = found.get(start)
            if best is None or length > best[0]:
                found[start] = (length, term)
    position = 0
    for start in sorted(found):
        length, term = found[start]
        if start >= position and term["id"] not in defined:
            defined.add(term["id"])
            yield start, start + length, term
            position = start + length


def _skipped(element) -> bool:
    if element.tag in SKIP:
        return True
    classes = element.get("class")
    return bool(classes) and not SKIP_CLASSES.isdisjoint(classes.split())


def _text_slots(root) -> list[tuple[object, str, str]]:
    """(element, 'text' | 'tail', its text) of each slot holding the page's prose, in document order, leaving
    out the subtrees where definitions do not belong and slots of white space only. lxml walks the tree in C
    and prunes the skipped subtrees (a recursive Python walk, or an XPath ancestor test per text node, cost
    more than the matching)."""
    slots = []
    walker = lxml.etree.iterwalk(root, events=("start", "end"))
    for event, element in walker:
        if event == "start":
            if element is not root and (not isinstance(element.tag, str) or _skipped(element)):
                walker.skip_subtree()  # comments' text, headings, links, code…; their tails are prose
            elif element.text and not element.text.isspace():
                slots.append((element, "text", element.text))
        elif element is not root and element.tail and not element.tail.isspace():
            slots.append((element, "tail", element.tail))
    return slots


# between the texts of the slots when they are matched as one: no phrase holds it, and like the end of a string
# it is not a word character, so no match spans two slots and word boundaries hold as in each slot alone
_SLOT_BREAK = "\x00"


def _definition(term: dict, word: str, ev, language: str, glossary_url: str):
    """A fresh copy of the term's inline definition (parsed once per term, word and page folder)."""
    key = (id(ev), term["id"], word, language, glossary_url)
    if key not in _DEFINITIONS:
        _DEFINITIONS[key] = _parse_definition(term, word, ev, language, glossary_url)
    return _DEFINITIONS[key].__deepcopy__(None)  # lxml copies the subtree in C; copy.deepcopy adds a memo walk


_DEFINITIONS: dict[tuple, object] = {}


def _parse_definition(term: dict, word: str, ev, language: str, glossary_url: str):
    other = _term_name(term, OTHER[language])
    abbr = f"{term['abbr']} · " if term.get("abbr") and term["abbr"] != word else ""
    # no <span> inside .atlas-def: Material's search parser ends data-search-exclude at the first nested
    # element with the same tag name, and the definition would leak into the search index
    other_name = f'<i class="atlas-def-other" lang="{OTHER[language]}">{html.escape(other)}</i>'
    other_name = f" ({other_name})" if language == "en" else f"（{other_name}）"
    space = " " if language == "en" else ""  # Chinese puts no space after full-width punctuation
    return html_fragment.parse(
        f'<span class="atlas-term" tabindex="0" aria-describedby="def-{term["id"]}">{html.escape(word)}'
        f'<span class="atlas-def" role="tooltip" id="def-{term["id"]}" data-search-exclude>'
        f"<strong>{html.escape(abbr + _term_name(term, language))}</strong>{other_name}{space}"
        f'{html.escape(term["def_" + language])}{space}'
        f'<a href="{glossary_url}#{term["id"]}">{html.escape(ev.label("ui", "glossary_link", language))}</a>'
        f"</span></span>"
    )[0]


def _insert(element, slot: str, value: str, spans) -> None:
    """Put `value` back into the slot, each (start, end, new element) span replacing its stretch of text."""
    setattr(element, slot, value[: spans[0][0]])
    parent, index = (element.getparent(), element.getparent().index(element) + 1) if slot == "tail" else (element, 0)
    for number, (start, end, new) in enumerate(spans):
        following = spans[number + 1][0] if number + 1 < len(spans) else len(value)
        new.tail = value[end:following]
        parent.insert(index + number, new)


@event_priority(-100)  # after the search plugin (priority 0) has indexed the page: readers search prose
def on_page_context(context, page, config, nav):
    if not page.meta.get("atlas_glossary_page"):
        page.content = define_terms(page.content, page, config)
    return context


def define_terms(content: str, page, config) -> str:
    """Define the first occurrence of each term on the page, in one pass over the page's text (lxml: a
    BeautifulSoup parse per page cost more than the rest of the build)."""
    ev = evidence.get(config)
    language = evidence.language_of(page)
    automaton = _matcher(ev, language)
    prefix = "" if language == "en" else f"{language}/"
    glossary_url = get_relative_url(f"{prefix}glossary.html", page.url)
    root = html_fragment.parse(content)
    slots = _text_slots(root)
    # the page's prose matched in one pass (one per slot cost more than the matching itself)
    offsets, at = [], 0
    for _, _, value in slots:
        offsets.append(at)
        at += len(value) + 1
    text = _SLOT_BREAK.join(value for _, _, value in slots)
    spans: dict[int, list] = {}
    for start, end, term in _new_terms(automaton, text, set()):
        number = bisect.bisect_right(offsets, start) - 1
        offset = offsets[number]
        spans.setdefault(number, []).append(
            (start - offset, end - offset, _definition(term, text[start:end], ev, language, glossary_url)))
    if not spans:
        return content
    for number, found in spans.items():
        element, slot, value = slots[number]
        _insert(element, slot, value, found)
    return html_fragment.serialize(root)
