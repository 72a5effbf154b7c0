"""Shape each language's search index into what readers search for, and let it load only when they search.

Runs after language_roots.py has written one index per language root. For each root it
- leaves out of the index what restates the sections, so that a search lands on the section that discusses
  its words: the "Key points" box (`!!! abstract`) and the side-by-side tables written in the pages' Markdown
  (the trials table, rendered from data/trials.yaml, stays: it is the one list of every trial);
- replaces the glossary page's one long section with one entry per term (title: the term; text: its
  definition; location: the term's own anchor on the glossary page);
- replaces the References page's sections with one entry per reference (authors, title, journal, year), the
  only place references are indexed (per-page reference lists carry data-search-exclude, see references.py);
- gives every entry an `aliases` field with the other names (data/glossary.yaml: name, abbr, aliases_en,
  aliases_zh) of each term it mentions, so that a search for "CRS" finds Chinese sections that say
  细胞因子释放综合征 and the other way round, and a product's code names find the sections about it;
- writes the entries to search/search_docs.js, which assets/javascripts/search.js loads when the reader opens
  search, and leaves the theme only the index configuration in search/search_index.json (and .js), which
  the theme fetches on every page load.
Chinese text is left unsegmented: search.js cuts it into words in the browser, with the one function that also
cuts the queries, so that index and query always agree. That function takes the site's own words first (the
glossary's Chinese terms as jieba cuts them, written to search_docs.js as __searchWords: 单倍体, 髓系,
综合征) and Intl.Segmenter's words elsewhere.
"""

from __future__ import annotations

import html
import json
import re
import sys
from collections import Counter

import jieba
from pathlib import Path

from mkdocs.plugins import event_priority

sys.path.insert(0, str(Path(__file__).parent))
import evidence  # noqa: E402
import language_roots  # noqa: E402

ZWSP = "\u200b"  # the theme's search plugin puts it between the words jieba finds, when jieba is installed
TAGS = re.compile(r"<[^>]+>")
DOCS_FILE = "search_docs.js"
GLOSSARY, REFERENCES = "glossary.html", "references.html"  # relative to a language root
DOCS_GLOBAL, WORDS_GLOBAL = "__searchDocs", "__searchWords"
# reference entries come after the sections that discuss a paper's subject, and still answer to its authors
REFERENCE_BOOST = 0.001
# a term's glossary entry comes first for its name, without crowding out the sections for other queries
GLOSSARY_BOOST = 0.02
# the theme multiplies a page top's score by up to 5 and a section's by up to 2; readers want the section
PAGE_TOP_BOOST = 0.4
HAN_WORD = re.compile(r"^[\u3400-\u9fff]{2,}$")


RESTATEMENTS = re.compile(r'<table>|<div class="admonition abstract">')


def on_page_content(content: str, page, config, files) -> str:
    return RESTATEMENTS.sub(lambda m: m.group(0)[:-1] + " data-search-exclude>", content)


def _plain(doc: dict) -> str:
    return html.unescape(TAGS.sub(" ", doc.get("title", "") + " " + doc.get("text", ""))).replace(ZWSP, "")


def _names(term: dict, language: str, glossary_entry: bool = False) -> list[str]:
    """The names of a term a reader of this language types: its name, abbreviation and aliases_<language>;
    code names (aliases_en) count in Chinese too. A glossary entry also answers to its other-language name
    and zh_alt, which the glossary shows; page sections would pay for those in every section."""
    names = [term["en"] if language == "en" else term["zh"]]
    names += [term["abbr"]] if term.get("abbr") else []
    names += term.get(f"aliases_{language}", []) + (term.get("aliases_en", []) if language == "zh" else [])
    if glossary_entry:
        names += [term["zh"] if language == "en" else term["en"]] + (term.get("zh_alt", []) if language == "zh" else [])
    return list(dict.fromkeys(names))


def _pattern(name: str, case_sensitive: bool) -> re.Pattern:
    if re.search(r"[A-Za-z0-9]", name):
        return re.compile(rf"(?<![\w-]){re.escape(name)}(?![\w-])", 0 if case_sensitive else re.I)
    return re.compile(re.escape(name))


def _term_matchers(ev, language: str, glossary_entry: bool = False):
    """(names, their patterns, patterns of spelling variants) for every glossary term, by term id."""
    matchers = {}
    for term in ev.glossary:
        names = _names(term, language, glossary_entry)
        # spelling and plural variants (match_*, zh_alt) find a mention but are not worth adding as aliases
        variants = [v for v in term.get(f"match_{language}", []) + term.get("zh_alt", []) if v not in names]
        matchers[term["id"]] = (names, [_pattern(n, n == term.get("abbr")) for n in names],
                                [_pattern(v, False) for v in variants])
    return matchers


def _mentions(plain: str, matcher) -> bool:
    _names, patterns, variants = matcher
    return any(p.search(plain) for p in patterns + variants)


def _aliases(plain: str, matchers) -> str:
    """The names, not already in `plain`, of every term given; a name that only adds words to one that is
    there ("CD7 分子" where it says "CD7") is left out."""
    extra: list[str] = []
    for names, patterns, _variants in matchers:
        present = [n for n, p in zip(names, patterns) if p.search(plain)]
        extra += [n for n in names if n not in present and n not in extra
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


def shape(docs: list[dict], ev, language: str) -> list[dict]:
    """The index entries of one language root, glossary and references rebuilt from data/."""
    shaped = []
    for doc in docs:
        page, _, anchor = doc["location"].partition("#")
        if page in (GLOSSARY, REFERENCES) and anchor or anchor == "related":
            continue  # rebuilt below from data/; "Related pages" is a list of links, not content
        shaped.append(doc)
        if doc["location"] == GLOSSARY:
            shaped += _glossary_entries(ev, language, page)
        elif doc["location"] == REFERENCES:
            shaped += _reference_entries(ev, page)
    for doc in shaped:
        # Chinese words are separated in the browser, by the segmenter that also cuts the queries (search.js)
        doc["title"], doc["text"] = doc["title"].replace(ZWSP, ""), doc["text"].replace(ZWSP, "")
    own_names = _term_matchers(ev, language, glossary_entry=True)
    matchers = _term_matchers(ev, language)
    sections = [d for d in shaped if not d["location"].startswith((f"{GLOSSARY}#", f"{REFERENCES}#"))]
    mentions = {d["location"]: [t for t, m in matchers.items() if _mentions(_plain(d), m)] for d in sections}
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
        # a section answers to the other names of the terms in its heading as to its heading
        title = _plain({"title": doc["title"]})
        in_title = [t for t in mentions[doc["location"]] if _mentions(title, matchers[t])]
        # only one-word names (CRS, NS7CAR): a longer name's common words (cell, 细胞) would rank as a heading
        names = _aliases(title, [matchers[t] for t in in_title]).split(", ")
        doc["title_aliases"] = ", ".join(n for n in names if n and not re.search(r"[\s\u3400-\u9fff]", n))
        if "#" not in doc["location"]:  # the theme ranks a page's top 2.5 times its sections: undo that
            doc["boost"] = round(doc.get("boost", 1) * PAGE_TOP_BOOST, 3)
        doc["aliases"] = _aliases(_plain(doc), [matchers[t] for t in mentions[doc["location"]]
                                                if t not in common and t not in in_title])
    for doc in shaped:
        for field in ("aliases", "title_aliases"):
            if not doc.get(field, True):
                del doc[field]
    return shaped


def site_words(ev) -> list[str]:
    """The words of the glossary's Chinese terms, as jieba cuts them: what a general-purpose segmenter
    (Intl.Segmenter) does not know, such as 单倍体 in 单倍体相合造血干细胞移植."""
    terms = [n for t in ev.glossary for n in [t["zh"], *t.get("zh_alt", []), *t.get("match_zh", []),
                                                    *t.get("aliases_zh", [])]]
    return sorted({w for n in terms for w in jieba.cut(n) if HAN_WORD.match(w)})


@event_priority(-300)  # after language_roots.py (-200) has written one index per language root
def on_post_build(config) -> None:
    i18n = config.plugins.get("i18n")
    if i18n is None or i18n.building:
        return
    ev = evidence.get(config)
    site = Path(config.site_dir)
    words = site_words(ev)
    for language, prefix in language_roots._language_prefixes(config).items():
        folder = site / prefix / "search"
        index = json.loads((folder / "search_index.json").read_text(encoding="utf-8"))
        docs = shape(index["docs"], ev, language)
        dump = lambda data: json.dumps(data, ensure_ascii=False, separators=(",", ":"))  # noqa: E731
        (folder / DOCS_FILE).write_text(
            f"var {DOCS_GLOBAL} = {dump(docs)}\nvar {WORDS_GLOBAL} = {dump(words)}", encoding="utf-8")
        # the theme loads these on every page: configuration only, the entries come with search_docs.js
        stub = dump({"config": index["config"], "docs": []})
        (folder / "search_index.json").write_text(stub, encoding="utf-8")
        if (folder / "search_index.js").exists():
            (folder / "search_index.js").write_text(f"var __index = {stub}", encoding="utf-8")
