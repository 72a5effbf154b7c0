"""Render data/references.yaml into pages.

- `[@Key]` / `[@Key1; @Key2]` in a page become numbered citation links (numbers in order of first appearance
  on the page; same numbers in both languages because the markers are the same), and the page gets a
  reference list at its end, whose entries link back to each place they are cited. Abstract-only, secondary
  and preclinical sources carry a small symbol wherever they are cited (the words for screen readers; a
  legend above the list), and their full label in the list.
- `[[bibliography]]` on a line of its own renders every reference, grouped by publication type.
An unknown key fails the build, naming the page and the key.
"""

from __future__ import annotations

import html
import re
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError

sys.path.insert(0, str(Path(__file__).parent))
import evidence  # noqa: E402

MARKER = re.compile(r"\[(@[A-Za-z][\w-]*(?:\s*;\s*@[A-Za-z][\w-]*)*)\]")
MARKER_OR_BLOCK = re.compile(rf"{MARKER.pattern}|<!-- atlas-generated (?P<block>\d+) -->")
# what is left of a marker that MARKER did not take: [@A, @B], [@A @B], [ @A], [@A;], [see @A]
MALFORMED = re.compile(r"\[[^\[\]\n]*@[A-Za-z][^\[\]\n]*\]")
BIBLIOGRAPHY = re.compile(r"^\[\[bibliography\]\]\s*$", re.M)
TYPE_ORDER = ("primary", "meta-analysis", "review", "guideline", "abstract", "secondary", "registry", "patent")
FLAGGED_TYPES = ("abstract", "secondary")
CJK = re.compile(r"[\u3400-\u9fff]")


# evidence maturity at a glance: a marker carries a small symbol (legend above each reference list, full
# label in the preview and the list) instead of a word after every citation
FLAG_SYMBOLS = {"abstract": "*", "secondary": "†", "preclinical": "◇"}


def _flag_kinds(ref: dict) -> list[str]:
    kinds = [ref["type"]] if ref["type"] in FLAGGED_TYPES else []
    return kinds + (["preclinical"] if ref.get("preclinical") else [])


def _flags(ref: dict, ev, language: str) -> list[str]:
    return [ev.label("citation_flag", kind, language) for kind in _flag_kinds(ref)]


def _marker_symbols(ref: dict, ev, language: str) -> str:
    """Symbols after a citation number; the words are there for screen readers."""
    return "".join(
        f'<span class="atlas-flag atlas-flag--{kind}" title="{html.escape(ev.label("citation_flag", kind, language))}">'
        f'<span aria-hidden="true">{FLAG_SYMBOLS[kind]}</span>'
        f'<span class="atlas-sr-only"> {html.escape(ev.label("citation_flag", kind, language))}</span></span>'
        for kind in _flag_kinds(ref))


def _marker_parts(ref: dict, ev, language: str) -> tuple[str, str]:
    """A marker's escaped title and its symbols, made once per build and language (pages cite the same few
    references many times)."""
    key = ("citation marker", ref["key"], language)
    if key not in ev.memo:
        ev.memo[key] = (html.escape(ref["title"]), _marker_symbols(ref, ev, language))
    return ev.memo[key]


def _legend(kinds: set[str], ev, language: str) -> str:
    if not kinds:
        return ""
    colon = ev.label("ui", "colon", language)
    separator = " · " if language == "en" else "；"
    items = separator.join(
        f'<span class="atlas-flag atlas-flag--{kind}" aria-hidden="true">{FLAG_SYMBOLS[kind]}</span> '
        f'{html.escape(ev.label("citation_flag_legend", kind, language))}'
        for kind in FLAG_SYMBOLS if kind in kinds)
    return f'<p class="atlas-flag-legend">{html.escape(ev.label("ui", "marker_legend", language))}{html.escape(colon)}{items}</p>\n'


def _registry_link(trial_id: str) -> str:
    if trial_id.startswith("NCT"):
        return _external(f"https://clinicaltrials.gov/study/{trial_id}", trial_id)
    if trial_id.startswith("ISRCTN"):
        return _external(f"https://www.isrctn.com/{trial_id}", trial_id)
    return html.escape(trial_id)


def _external(href: str, text: str) -> str:
    # reference lists are added after the external_links hook has run (they are kept out of search)
    return f'<a href="{html.escape(href)}" rel="external noopener">{text}</a>'


def format_reference(ref: dict, ev, language: str) -> str:
    """One reference, Vancouver-like, as HTML: authors. Title. Journal. Year;Vol(Issue):Pages. links. label.
    Formatted once per build and language (a reference is listed on every page that cites it)."""
    key = ("reference", ref["key"], language)
    if key not in ev.memo:
        ev.memo[key] = _format_reference(ref, ev, language)
    return ev.memo[key]


def _format_reference(ref: dict, ev, language: str) -> str:
    e = html.escape
    parts = []
    if ref.get("authors"):
        parts.append(e(ref["authors"].rstrip(".")) + ".")
    # titles stay in their original language: mark English titles on Chinese pages for screen readers
    title_lang = "" if language == "en" or CJK.search(ref["title"]) else ' lang="en"'
    title = f'<cite{title_lang}>{e(ref["title"].rstrip("."))}.</cite>'
    if ref.get("title_status") == "described":  # say so in plain words rather than show a guessed title
        title = f'<span class="atlas-ref-note">{e(ev.label("ui", "title_described", language))}</span> {title}'
    elif ref.get("title_status") == "truncated":
        title = (f'<cite{title_lang}>{e(ref["title"].rstrip("."))} …</cite> '
                 f'<span class="atlas-ref-note">{e(ev.label("ui", "title_truncated", language))}</span>')
    parts.append(title)
    source = e(ref["journal"]) + ". " if ref.get("journal") else ""
    source += str(ref.get("year", ""))
    if ref.get("volume"):
        source += f';{e(ref["volume"])}'
        if ref.get("issue"):
            source += f'({e(ref["issue"])})'
    if ref.get("pages"):
        source += f':{e(str(ref["pages"]))}'
    if source:
        parts.append(source.rstrip(". ") + ".")
    links = []
    if ref.get("doi"):
        links.append(_external(f"https://doi.org/{ref['doi']}", f"doi:{e(ref['doi'])}"))
    if ref.get("pmid"):
        links.append(_external(f"https://pubmed.ncbi.nlm.nih.gov/{ref['pmid']}/", f"PMID: {ref['pmid']}"))
    if ref.get("pmcid"):
        links.append(_external(f"https://pmc.ncbi.nlm.nih.gov/articles/{ref['pmcid']}/", ref["pmcid"]))
    for trial_id in ref.get("registry", []):
        links.append(_registry_link(trial_id))
    if ref.get("patent"):
        links.append(html.escape(ref["patent"]))
    if ref.get("record_url"):
        label = e(ev.label("ui", "record_page", language))
        if ref["record_url"].startswith("https://"):
            links.append(_external(ref["record_url"], label))
        else:
            kind = ev.label("provenance", ev.provenance(ref["record_url"]), language)
            links.append(f"{label}{e(ev.label('ui', 'colon', language))}{e(kind)}")
    if ref.get("url") and not (ref.get("doi") or ref.get("pmid")):
        label = e(ev.label("ui", "source_page", language))
        if ref["url"].startswith("https://"):
            links.append(_external(ref["url"], label))
        else:
            kind = ev.label("provenance", ev.provenance(ref["url"]), language)
            links.append(f"{label}{e(ev.label('ui', 'colon', language))}{e(kind)}")
    if links:
        parts.append(" · ".join(links))
    type_label = ev.label("reference_type", ref["type"], language)
    flags = "".join(f' <span class="atlas-flag">{e(f)}</span>' for f in _flags(ref, ev, language))
    if ref.get("identifier_note"):
        flags += f' <span class="atlas-flag atlas-flag--pending">{e(ev.label("ui", "identifier_pending", language))}</span>'
    parts.append(f'<span class="atlas-ref-type">{e(type_label)}</span>{flags}')
    return " ".join(parts)


def on_page_markdown(markdown: str, page, config, files) -> str:
    ev = evidence.get(config)
    language = evidence.language_of(page)
    numbers: dict[str, int] = {}
    uses: dict[str, int] = {}  # how often each key is cited: each marker gets an id the list links back to

    def cite_html(match: re.Match) -> str:
        links = []
        for key in (k.strip().lstrip("@") for k in match.group(1).split(";")):
            ref = ev.references.get(key)
            if ref is None:
                raise PluginError(
                    f"{evidence.source_of(page)}: unknown citation key '{key}' in [{match.group(1)}] "
                    f"(no entry with key: {key} in data/references.yaml)")
            number = numbers.setdefault(key, len(numbers) + 1)
            ev.cited.setdefault(key, set()).add(page.file.src_uri)
            uses[key] = uses.get(key, 0) + 1
            title, symbols = _marker_parts(ref, ev, language)
            links.append(
                f'<span class="atlas-cite-item"><a href="#ref-{key}" id="cite-{key}-{uses[key]}" data-cite="{key}" '
                f'title="{title}">{number}</a>{symbols}</span>')
        return f'<sup class="atlas-cite">[{", ".join(links)}]</sup>'

    def cite(match: re.Match) -> str:
        # markers are not searched: "[3, 4 ◇]" in a search snippet helps nobody
        return evidence.defer(page, cite_html(match), inline=True, searchable=False)

    # markers in HTML that other hooks left aside (trials tables) are numbered where that HTML stands
    blocks = evidence.generated_blocks(page)

    def cite_or_number_block(match: re.Match) -> str:
        if match.group("block") is None:
            return cite(match)
        number = int(match.group("block"))
        html, searchable = blocks[number]
        blocks[number] = (MARKER.sub(cite_html, html), searchable)
        return match.group(0)

    markdown = MARKER_OR_BLOCK.sub(cite_or_number_block, markdown)
    for text in [markdown] + [block for block, _ in blocks]:
        if (typo := MALFORMED.search(text)) is not None:
            raise PluginError(
                f"{evidence.source_of(page)}:{evidence.line_of(page, typo.group(0))}: citation {typo.group(0)!r} "
                "is not a valid marker: write [@Key] or [@Key1; @Key2] (keys separated by semicolons)")
    if BIBLIOGRAPHY.search(markdown):
        markdown = BIBLIOGRAPHY.sub(lambda m: _bibliography(ev, language, page), markdown)
    if not numbers:
        return markdown
    heading = html.escape(ev.label("ui", "references_heading", language))
    items = "\n".join(
        f'<li id="ref-{key}" value="{number}">{_backlinks(key, uses[key], number, ev, language)}'
        f'{format_reference(ev.references[key], ev, language)}</li>'
        for key, number in numbers.items()
    )
    kinds = {kind for key in numbers for kind in _flag_kinds(ev.references[key])}
    jump = html.escape(ev.label("ui", "preview_jump", language))  # the citation preview's link to the list
    reference_list = (f'{_legend(kinds, ev, language)}<ol class="atlas-references" data-preview-jump="{jump}">\n'
                      f'{items}\n</ol>')
    return f"{markdown.rstrip()}\n\n## {heading} {{ #references data-search-exclude }}\n{evidence.defer(page, reference_list, searchable=False)}"


def _backlinks(key: str, count: int, number: int, ev, language: str) -> str:
    """'↩' (cited once) or '↩ a b c': links back to each place the reference is cited."""
    label = ev.label("ui", "back_to_citation", language)
    if count == 1:
        links = f'<a href="#cite-{key}-1" aria-label="{html.escape(label.format(n=number, use=""))}">↩</a>'
    else:
        letters = [chr(ord("a") + i) if i < 26 else str(i + 1) for i in range(count)]
        links = "↩ " + " ".join(
            f'<a href="#cite-{key}-{i + 1}" aria-label="{html.escape(label.format(n=number, use=letter))}">{letter}</a>'
            for i, letter in enumerate(letters))
    return f'<span class="atlas-backlinks">{links}</span> '


def _bibliography(ev, language: str, page) -> str:
    """Every reference under a heading per publication type. The lists are left aside (evidence.defer), not
    searchable: search_index.py gives each reference its own entry, from data/."""
    blocks = []
    for ref_type in TYPE_ORDER:
        refs = sorted((r for r in ev.references.values() if r["type"] == ref_type),
                      key=lambda r: (r.get("authors") or r["title"]).lower())
        if not refs:
            continue
        heading = html.escape(ev.label("reference_type", ref_type, language))
        items = "\n".join(
            f'<li id="bib-{r["key"]}">{format_reference(r, ev, language)}'
            f' <span class="atlas-verified">{_verified(r, ev, language)}</span></li>'
            for r in refs
        )
        listing = f'<ul class="atlas-references atlas-bibliography">\n{items}\n</ul>'
        blocks.append(f"## {heading} {{ #{ref_type} }}\n{evidence.defer(page, listing, searchable=False)}")
    return "\n".join(blocks)


def _verified(ref: dict, ev, language: str) -> str:
    kinds = dict.fromkeys(ev.provenance(u) for u in ref["verified_from"])  # keeps the order, once each
    names = [ev.label("provenance", kind, language) for kind in kinds]
    label = html.escape(ev.label("ui", "checked_on", language) + ev.label("ui", "colon", language))
    separator = "; " if language == "en" else "；"
    return f"{label}{html.escape(separator.join(names))}"
