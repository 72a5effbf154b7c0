"""Shape each language's search index into what readers search for, and let it load only when they search.

Runs after language_roots.py has written one index per language root. For each root it
- leaves out what restates the sections, so that a search lands on the section that discusses its words: every
  table (they restate the prose beside them or data/) and the "Key points" box (`!!! abstract`); the prose of
  the sections about the site itself (SITE_NOTES: found by their headings); generated lists and tables are
  already kept out by evidence.defer(searchable=False), inline definitions by being added after indexing;
- replaces the glossary page's one long section with one entry per term (title: the term; text: its
  definition; location: the term's own anchor), and the References page's sections with one entry per
  reference (first author and year; title, journal), the only place references are indexed;
- gives every entry the other names (data/glossary.yaml: name, abbr, aliases_en, aliases_zh) of the terms it
  mentions (`aliases`), and of the terms its heading or heading id names (`title_aliases`, ranked as the
  heading: "CRS" finds the Chinese section headed 细胞因子释放综合征, 急性髓系白血病 the one headed "AML");
- ranks bold run-in headings ("**RD13-01.** This product…") as the headings of their paragraphs
  (`subheadings`), so that a product's name finds the paragraph that presents it;
- writes the entries, packed, to search/search_docs.js with what search.js needs to read queries (the
  glossary's Chinese words as jieba cuts them, its names, the theme's stop words), and leaves the theme only
  the index configuration in search/search_index.json (and .js), which it fetches on every page load;
  search.js loads search_docs.js when the reader first opens search.
Chinese text is left unsegmented: search.js cuts it into words in the browser, with the one function that also
cuts the queries, so that index and query always agree.
"""

from __future__ import annotations

import html
import json
import re
import sys
from collections import Counter

import ahocorasick
import jieba
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

sys.path.insert(0, str(Path(__file__).parent))
import evidence  # noqa: E402
import language_roots  # noqa: E402

ZWSP = "\u200b"  # the theme's search plugin puts it between the words jieba finds, when jieba is installed
TAGS = re.compile(r"<[^>]+>")
DOCS_FILE = "search_docs.js"
GLOSSARY, REFERENCES = "glossary.html", "references.html"  # relative to a language root
DOCS_GLOBAL = "__atlasSearch"  # (not __search: the theme has an element with that id, which is a global too)
# reference entries come after the sections that discuss a paper's subject, and still answer to its authors
REFERENCE_BOOST = 0.001
# a term's glossary entry comes first for its name, without crowding out the sections for other queries
GLOSSARY_BOOST = 0.05
# the theme multiplies a page top's score by up to 5 and a section's by up to 2; readers want the section
PAGE_TOP_BOOST = 0.5
HAN_WORD = re.compile(r"^[\u3400-\u9fff]{2,}$")
HAN = re.compile(r"[\u3400-\u9fff]")
# up to 1 + this for a section with a one-word heading, less for longer headings (a tie-break, see shape())
SHORT_HEADING_BOOST = 0.2


# tables restate the prose beside them or data/ (the data dictionary), and the "Key points" box restates its page
RESTATEMENTS = re.compile(r'<table\b[^>]*>|<div class="admonition abstract">')
# a heading, or a bold run-in heading at the start of a paragraph or list item ("**RD13-01.** This product…")
HEADING_OR_RUN_IN = re.compile(
    r'<h(?P<level>[1-6]) id="(?P<id>[^"]+)"|<(?:p|li)>\s*(?:<p>\s*)?<strong>(?P<run_in>[^<]{2,80})</strong>')
CAPTION = re.compile(r"^(?:Table|表)\s*\d")  # "**Table 1.** …" opens a table's caption, not a topic
# page URL -> section location relative to the page ("" for the page top) -> its run-in headings
_RUN_INS: dict[str, dict[str, list[str]]] = {}
# page URL -> the id of its title (h1)
_TITLE_IDS: dict[str, str] = {}


def on_page_content(content: str, page, config, files) -> str:
    content = RESTATEMENTS.sub(lambda m: m.group(0)[:-1] + " data-search-exclude>", content)
    sections: dict[str, list[str]] = {}
    anchor = ""
    for match in HEADING_OR_RUN_IN.finditer(content):
        if match.group("id"):
            anchor = "" if match.group("level") == "1" else match.group("id")
            if match.group("level") == "1":
                _TITLE_IDS[page.url] = match.group("id")
        elif not CAPTION.match(name := match.group("run_in").strip().rstrip(".:。：").strip()):
            sections.setdefault(anchor, []).append(html.unescape(name))
    _RUN_INS[page.url] = sections
    return content


def _title_sections_as_page_tops(docs: list[dict], title_ids: dict[str, str]) -> list[dict]:
    """A page whose title (h1) comes after something else (the "On this page" list, the print header, both
    left out of search) gets two entries from the theme: an empty one for the page and one for the title's
    section, at an anchor such as #_1. One entry at the page's own address, as for any other page."""
    tops = {f"{page}#{anchor}": page for page, anchor in title_ids.items()}
    moved = {tops[d["location"]] for d in docs if d["location"] in tops}
    return [dict(d, location=tops.get(d["location"], d["location"])) for d in docs if d["location"] not in moved]


def _plain(doc: dict) -> str:
    return html.unescape(TAGS.sub(" ", doc.get("title", "") + " " + doc.get("text", ""))).replace(ZWSP, "")


def _word_count(text: str) -> int:
    latin = re.findall(r"[A-Za-z0-9]+", text)
    han = [w for run in re.findall(r"[\u3400-\u9fff]+", text) for w in jieba.cut(run)]
    return max(1, len(latin) + len(han))


def _id_names(ev) -> dict[str, str]:
    """Every English name, abbreviation and spelling of every term, as a heading id writes it ("haplo-hsct")."""
    return {re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-"): term["id"]
            for term in ev.glossary for name in [term["en"], term.get("abbr", ""), *term.get("match_en", []),
                                                  *term.get("aliases_en", [])] if name}


def _id_terms(anchor: str, ids: dict[str, str]) -> list[str]:
    """The terms a heading id names, as whole hyphen-separated parts: car-t-haplo-hsct -> car-t, haplo-hsct."""
    parts = anchor.split("-")
    return list(dict.fromkeys(ids["-".join(parts[i:j])] for i in range(len(parts))
                              for j in range(len(parts), i, -1) if "-".join(parts[i:j]) in ids))


def _names(term: dict, language: str, glossary_entry: bool = False) -> list[str]:
    """The names of a term a reader of this language types: its name, abbreviation and aliases_<language>;
    code names (one-word aliases_en: sofi-cel, NS7CAR-T) count in Chinese too. A glossary entry also answers
    to its other-language name and zh_alt, which the glossary shows (in Chinese, an English name of one word:
    Chinese readers type Chinese names and abbreviations); page sections would pay for those in every section."""
    names = [term["en"] if language == "en" else term["zh"]]
    names += [term["abbr"]] if term.get("abbr") else []
    names += term.get(f"aliases_{language}", [])
    names += [n for n in term.get("aliases_en", []) if " " not in n] if language == "zh" else []
    if glossary_entry:
        names += [term["zh"]] if language == "en" else [n for n in [term["en"]] + term.get("zh_alt", [])
                                                          if " " not in n or HAN.search(n)]
    return list(dict.fromkeys(names))


LATIN = re.compile(r"[A-Za-z0-9]")


def _word_character(c: str) -> bool:  # \w or a hyphen: "CRS" is not mentioned in "CRS-like" nor in "采用CRS"
    return c.isalnum() or c in "_-"


def _ascii_alphanumeric(c: str) -> bool:  # what the index's separator keeps together
    return c.isascii() and c.isalnum()


def _occurs(name: str, plain: str, lower: str, case_sensitive: bool, edge) -> bool:
    """Whether `name` stands in `plain` (lower case: `lower`) with no `edge` character either side; a name
    without Latin letters or digits needs no edges (Chinese has no word boundaries to check). String search,
    not patterns: compiling one per name was most of this hook's time."""
    needle, edged = name.lower(), bool(LATIN.search(name))
    at = lower.find(needle)
    while at >= 0:
        end = at + len(needle)
        if ((not case_sensitive or plain[at:end] == name)
                and not (edged and ((at > 0 and edge(plain[at - 1])) or (end < len(plain) and edge(plain[end]))))):
            return True
        at = lower.find(needle, at + 1)
    return False


class _Term:
    """A glossary term's names in one language, and how to find a mention of it."""

    def __init__(self, term: dict, language: str, glossary_entry: bool = False):
        self.names = _names(term, language, glossary_entry)
        # spelling and plural variants (match_*, zh_alt) find a mention but are not worth adding as aliases
        variants = [v for v in term.get(f"match_{language}", []) + term.get("zh_alt", []) if v not in self.names]
        # (the abbreviation is matched in its own case: "CR" is not "cr" in "crisis")
        self._forms = [(n, n == term.get("abbr")) for n in self.names] + [(v, False) for v in variants]

    def mentioned_in(self, plain: str, lower: str) -> bool:
        """Whether `plain` (whose lower case is `lower`) mentions the term by any of its names or spellings."""
        return any(_occurs(form, plain, lower, case_sensitive, _word_character) for form, case_sensitive in self._forms)


def _term_matchers(ev, language: str, glossary_entry: bool = False) -> dict[str, _Term]:
    return {term["id"]: _Term(term, language, glossary_entry) for term in ev.glossary}


class _MentionFinder:
    """Which terms a text mentions, as _Term.mentioned_in tells for each (same names, cases and edges), in one
    Aho–Corasick pass over the text rather than one string search per name of every term."""

    def __init__(self, matchers: dict[str, _Term]):
        self._order = list(matchers)
        self._automaton = ahocorasick.Automaton()
        for term_id, matcher in matchers.items():
            for form, case_sensitive in matcher._forms:
                needle = form.lower()
                entries = self._automaton.get(needle, [])
                entries.append((form, len(needle), case_sensitive, bool(LATIN.search(form)), term_id))
                self._automaton.add_word(needle, entries)
        self._automaton.make_automaton()

    def terms_in(self, plain: str, lower: str) -> list[str]:
        found = set()
        for end, entries in self._automaton.iter(lower):
            for form, length, case_sensitive, edged, term_id in entries:
                if term_id in found:
                    continue
                at, stop = end + 1 - length, end + 1
                if case_sensitive and plain[at:stop] != form:
                    continue
                if edged and ((at > 0 and _word_character(plain[at - 1]))
                              or (stop < len(plain) and _word_character(plain[stop]))):
                    continue
                found.add(term_id)
        return [t for t in self._order if t in found]


def _mentions(plain: str, matcher: _Term, lower: str | None = None) -> bool:
    return matcher.mentioned_in(plain, plain.lower() if lower is None else lower)


def _aliases(plain: str, matchers) -> str:
    """The names, not already in `plain`, of every term given; a name that only adds words to one that is
    there ("CD7 分子" where it says "CD7") is left out. A name is there as the index's words: "CD7" is in
    "CD7-negative", which the index splits at the hyphen."""
    extra: list[str] = []
    lower = plain.lower()
    for matcher in matchers:
        present = [n for n in matcher.names if _occurs(n, plain, lower, False, _ascii_alphanumeric)]
        extra += [n for n in matcher.names if n not in present and n not in extra
                  and not any(other in n for other in present)]
    return ", ".join(extra)


def _glossary_entries(ev, language: str, page_url: str) -> list[dict]:
    entries = []
    for term in sorted(ev.glossary, key=lambda t: t["en"].lower()):
        name = term["en"] if language == "en" else term["zh"]
        abbr = term.get("abbr")
        title = name + ((f" ({abbr})" if language == "en" else f"（{abbr}）") if abbr else "")
        entries.append({"location": f"{page_url}#{term['id']}", "title": html.escape(title, quote=False),
                        "text": f"<p>{html.escape(term['def_' + language], quote=False)}</p>"})
    return entries


def _reference_entries(ev, page_url: str) -> list[dict]:
    entries = []
    for ref in sorted(ev.references.values(), key=lambda r: (r.get("authors") or r["title"]).lower()):
        # authors as the result's title, so that paper titles do not outrank the pages' own section titles
        who = (ref.get("authors") or "").split(",")[0].rstrip(".")
        who += " et al." if who and "," in ref["authors"] else ""
        source = " ".join(str(p) for p in (ref.get("journal"), ref.get("year")) if p)
        if who:
            title, text = f"{who} ({ref['year']})" if ref.get("year") else who, f"{ref['title'].rstrip('.')}. {source}"
        else:
            title, text = ref["title"], source
        text = f"<p>{html.escape(text.strip(), quote=False)}</p>"
        entries.append({"location": f"{page_url}#bib-{ref['key']}", "title": html.escape(title, quote=False),
                        "text": text})
    return entries


# sections about this site rather than about CD7 CAR-T: readers find them by their headings (and run-in
# headings: "Offline", "Citations"), so their prose is left out of the index, which keeps it small
SITE_NOTES = ("index.html#start-here", "index.html#audience", "index.html#topics", "index.html#how-to-read",
              "about.html#purpose", "about.html#sourcing", "about.html#citations", "about.html#how-to-cite",
              "glossary.html", "references.html", "whats-new.html", "whats-new.html#how-updated",
              "trials.html#all-studies", "trials.html#downloads", "clinical-results.html#trials-table")


def shape(docs: list[dict], ev, language: str, run_ins: dict[str, dict[str, list[str]]] | None = None,
          title_ids: dict[str, str] | None = None) -> tuple[list[dict], set[str]]:
    """The index entries of one language root, glossary and references rebuilt from data/ (`run_ins`: the
    run-in headings of each page, by URL relative to the language root, and section; `title_ids`: the id of
    each page's title), and the ids of the terms so common that their names are not given as aliases."""
    shaped = []
    for doc in _title_sections_as_page_tops(docs, title_ids or {}):
        page, _, anchor = doc["location"].partition("#")
        if page in (GLOSSARY, REFERENCES) and anchor or anchor in ("related", "read-more"):
            continue  # rebuilt below from data/; "Related pages", "Where to read more": links, not content
        shaped.append(doc)
        if doc["location"] == GLOSSARY:
            shaped += _glossary_entries(ev, language, page)
        elif doc["location"] == REFERENCES:
            shaped += _reference_entries(ev, page)
    if missing := set(SITE_NOTES) - {doc["location"] for doc in shaped}:
        raise PluginError(f"hooks/search_index.py: SITE_NOTES names sections that do not exist: {sorted(missing)}")
    for doc in shaped:
        # Chinese words are separated in the browser, by the segmenter that also cuts the queries (search.js)
        doc["title"], doc["text"] = doc["title"].replace(ZWSP, ""), doc["text"].replace(ZWSP, "")
        if doc["location"] in SITE_NOTES:
            doc["text"] = ""
    ids = _id_names(ev)
    own_names = _term_matchers(ev, language, glossary_entry=True)
    matchers = _term_matchers(ev, language)
    sections = [d for d in shaped if not d["location"].startswith((f"{GLOSSARY}#", f"{REFERENCES}#"))]
    finder = _MentionFinder(matchers)
    mentions = {}
    for doc in sections:
        plain = _plain(doc)
        mentions[doc["location"]] = finder.terms_in(plain, plain.lower())
    # a term most sections mention needs no aliases: its other names would match most of the index anyway
    counts = Counter(t for found in mentions.values() for t in found)
    common = {t for t, n in counts.items() if n > len(sections) / 3}
    for doc in shaped:
        page, _, anchor = doc["location"].partition("#")
        if page == REFERENCES and anchor:
            doc["boost"] = REFERENCE_BOOST
            continue
        if page == GLOSSARY and anchor:  # a glossary entry answers to all its term's names, as its title does
            doc["title_aliases"] = _aliases(_plain(doc), [own_names[anchor]])
            doc["boost"] = GLOSSARY_BOOST
            continue
        # a section answers to the other names of the terms in its heading as to its heading ("AML" to
        # 急性髓系白血病); of a common term (CAR-T) only one-word names: the words of its long name ("chimeric
        # antigen receptor") would otherwise rank every heading that says CAR-T
        title = _plain({"title": doc["title"]})
        # the heading's English id names its subject in both languages ("来自患者本人的 T 细胞 { #autologous }")
        in_title = [t for t in mentions[doc["location"]] if _mentions(title, matchers[t])]
        in_title += [t for t in _id_terms(anchor, ids) if t not in in_title]
        names = _aliases(title, [matchers[t] for t in in_title if t not in common]).split(", ")
        names += [n for n in _aliases(title, [matchers[t] for t in in_title if t in common]).split(", ")
                  if not re.search(r"[\s\u3400-\u9fff]", n)]
        doc["title_aliases"] = ", ".join(n for n in dict.fromkeys(names) if n)
        # between sections whose headings hold the query alike, the shorter heading is more about it
        doc["boost"] = round(1 + SHORT_HEADING_BOOST / _word_count(title), 3)
        if "#" not in doc["location"]:  # the theme ranks a page's top 2.5 times its sections: undo most of that
            doc["boost"] = round(doc["boost"] * PAGE_TOP_BOOST, 3)
        # every name not written in the section, so that search.js may require the words of a term's name
        doc["aliases"] = _aliases(_plain(doc), [matchers[t] for t in mentions[doc["location"]] if t not in common])
        # a run-in heading is the heading of its paragraph: "RD13-01" finds the paragraph that presents it
        doc["subheadings"] = ", ".join((run_ins or {}).get(page, {}).get(anchor, []))
    for doc in shaped:
        for field in ("aliases", "title_aliases", "subheadings"):
            if not doc.get(field, True):
                del doc[field]
    return shaped, common


def site_words(ev) -> list[str]:
    """The words of the glossary's Chinese terms, as jieba cuts them: what a general-purpose segmenter
    (Intl.Segmenter) does not know, such as 单倍体 in 单倍体相合造血干细胞移植."""
    terms = [n for t in ev.glossary for n in [t["zh"], *t.get("zh_alt", []), *t.get("match_zh", []),
                                                    *t.get("aliases_zh", [])]]
    return sorted({w for n in terms for w in jieba.cut(n) if HAN_WORD.match(w)})


def glossary_names(ev, language: str, common: set[str]) -> list[list[str]]:
    """For each glossary term whose name in this language has more than one word, that name and every other
    name a reader of this language may type (lower case): search.js requires the words of the term's name when
    a query holds one of its names ("ER retention" -> endoplasmic reticulum retention), as every entry that
    mentions the term holds them, in its text or its aliases. A common term (CAR-T) comes with "" for its name:
    requiring its words would drop the entries that mention it without aliases; its words count for little."""
    found = []
    for term in ev.glossary:
        name = term["en"] if language == "en" else term["zh"]
        if term["id"] not in common and _word_count(name) < 2:
            continue
        names = [term["en"], term.get("abbr", ""), *term.get("match_en", []), *term.get("aliases_en", [])]
        if language == "zh":
            names += [term["zh"], *term.get("zh_alt", []), *term.get("match_zh", []), *term.get("aliases_zh", [])]
        # only names of more than one word matter here (one word is matched as typed), and those of a common
        # term; Chinese readers type Chinese names, so English phrases are left out of the Chinese list
        common_term = term["id"] in common
        names = [n.lower() for n in dict.fromkeys(names)
                 if len(n) > 1 and (common_term or re.search(r"[^A-Za-z0-9]", n))
                 and not (language == "zh" and " " in n and not HAN.search(n))]
        canonical = "" if common_term else name.lower()
        # (the term's own name comes first, and only there: search.js reads it as one of the names too)
        found.append([canonical, *(n for n in names if n != canonical)])
    return found


# the English stop words of the theme's lunr (in its search worker): a word the search drops cannot be
# required in a query. (Chinese stop words are single characters, which search.js never requires.)
_WORKER, _STOP_WORD_LIST = "assets/javascripts/workers/search.*.js", re.compile(r"generateStopWordFilter\((\[[^\]]*\])\)")


def stop_words(site: Path) -> list[str]:
    for path in site.glob(_WORKER):
        if match := _STOP_WORD_LIST.search(path.read_text(encoding="utf-8")):
            return json.loads(match.group(1))
    raise PluginError(f"hooks/search_index.py: no stop word list in site/{_WORKER} (has the theme changed?)")


FIELDS = ("title", "text", "boost", "aliases", "title_aliases", "subheadings")  # the rarest last: rows end sooner
_TAG, _SPACE_BEFORE_PUNCTUATION = re.compile(r"<(?!/?code>)[^>]+>"), re.compile(r"\s+([.,;:!?)。，、；：！？）])")


def pack(docs: list[dict]) -> list:
    """The entries, smaller: grouped by page as [anchor, title, text, …] in the order of FIELDS (trailing
    empty fields left out); the text without markup (the snippets read the same) nor the spaces that citation
    markers left before punctuation. search.js unpacks them into the theme's entries."""
    pages: dict[str, list] = {}
    for doc in docs:
        page, _, anchor = doc["location"].partition("#")
        doc = dict(doc, text=_SPACE_BEFORE_PUNCTUATION.sub(r"\1", " ".join(_TAG.sub(" ", doc["text"]).split())))
        row = [anchor, *(doc.get(field, "") for field in FIELDS)]
        while row[-1] == "":
            row.pop()
        pages.setdefault(page, []).append(row)
    return list(pages.items())


def _in_root(url: str, prefix: str, prefixes) -> bool:
    return url.startswith(prefix) if prefix else not any(url.startswith(p) for p in prefixes if p)


@event_priority(-300)  # after language_roots.py (-200) has written one index per language root
def on_post_build(config) -> None:
    i18n = config.plugins.get("i18n")
    if i18n is None or i18n.building:
        return
    ev = evidence.get(config)
    site = Path(config.site_dir)
    words, stops = site_words(ev), stop_words(site)
    prefixes = language_roots._language_prefixes(config)
    for language, prefix in prefixes.items():
        folder = site / prefix / "search"
        index = json.loads((folder / "search_index.json").read_text(encoding="utf-8"))
        run_ins = {url[len(prefix):]: sections for url, sections in _RUN_INS.items()
                   if _in_root(url, prefix, prefixes.values())}
        title_ids = {url[len(prefix):]: anchor for url, anchor in _TITLE_IDS.items()
                     if _in_root(url, prefix, prefixes.values())}
        docs, common = shape(index["docs"], ev, language, run_ins, title_ids)
        dump = lambda data: json.dumps(data, ensure_ascii=False, separators=(",", ":"))  # noqa: E731
        data = {"fields": FIELDS, "pages": pack(docs), "words": words,
                "names": glossary_names(ev, language, common), "stopWords": stops}
        (folder / DOCS_FILE).write_text(f"var {DOCS_GLOBAL} = {dump(data)}\n", encoding="utf-8")
        # the theme loads these on every page: configuration only, the entries come with search_docs.js
        stub = dump({"config": index["config"], "docs": []})
        (folder / "search_index.json").write_text(stub, encoding="utf-8")
        if (folder / "search_index.js").exists():
            (folder / "search_index.js").write_text(f"var __index = {stub}", encoding="utf-8")
