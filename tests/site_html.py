"""Reading the built HTML the way the tests need it: the article of a page, its structure, and the numbers
and identifiers it states. Parsing is done by BeautifulSoup (lxml), not by regexes over markup."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from bs4 import BeautifulSoup

# elements whose text is chrome, not page content
_NOT_CONTENT = (".headerlink, .atlas-reviewed, .atlas-print-footer, .atlas-print-header, .atlas-offline-notice, .atlas-def, "
                "sup.atlas-cite, .atlas-backlinks, .atlas-figure-hint, .atlas-page-toc, .atlas-letter-index, script, style")
# content rendered from data/ into both languages (single-sourced, so not compared as prose)
_GENERATED = ("table.atlas-trials, .atlas-table-scroll, .atlas-table-note, ol.atlas-references, ul.atlas-bibliography, "
              "dl.atlas-glossary, .atlas-glossary-letter, .atlas-flag-legend, .atlas-generated")


@lru_cache(maxsize=None)
def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


def article(path: Path):
    node = soup(path).select_one("article.md-content__inner")
    assert node is not None, f"{path}: no <article class='md-content__inner'>"
    return node


def article_text(path: Path) -> str:
    node = BeautifulSoup(str(article(path)), "lxml")
    for chrome in node.select(_NOT_CONTENT):
        chrome.decompose()
    return node.get_text(" ")


@dataclass(frozen=True)
class Structure:
    headings: tuple[tuple[str, str], ...]   # (level, id) in document order
    figures: int
    images: tuple[str, ...]                 # image file names in order
    tables: int
    citations: tuple[str, ...]              # cited reference keys in order of first appearance
    admonitions: tuple[str, ...]            # admonition kinds in order


def structure(path: Path) -> Structure:
    node = article(path)
    headings = tuple((h.name, h.get("id", "")) for h in node.select("h2, h3, h4"))
    images = tuple(Path(img.get("src", "")).name for img in node.select("img"))
    citations = []
    for cite in node.select("[data-cite]"):
        key = cite["data-cite"]
        if key not in citations:
            citations.append(key)
    admonitions = tuple(
        next((c for c in div.get("class", []) if c != "admonition"), "")
        for div in node.select("div.admonition, details")
    )
    return Structure(headings, len(node.select("figure")), images, len(node.select("table")),
                     tuple(citations), admonitions)


# --- numbers and identifiers ----------------------------------------------------------------------

_NUMBER = r"\d+(?:[.,]\d+)*"
# units in either language; a number next to one of them must appear on both pages of a pair
_UNIT_AFTER = (
    r"%|％|mg/m²|mg/m2|mg/kg|kDa|/kg|"
    r"months?|mo\b|years?|yr\b|-year-old|days?|d\b|weeks?|hours?|h\b|"
    r"个月|岁|天|日|周|小时|年(?!代)"
)
_UNIT_BEFORE = r"(?:day|days|month|months|week|year)\s+"
_NUMBER_WITH_UNIT = re.compile(rf"(?<![\w.])({_NUMBER})\s*(?:{_UNIT_AFTER})")
_NUMBER_AFTER_UNIT = re.compile(rf"\b{_UNIT_BEFORE}({_NUMBER})\b", re.I)
_PERCENT = re.compile(rf"(?<![\w.])({_NUMBER})\s*[%％]")
_RATIO = re.compile(r"(?<![\w./])(\d+)\s*/\s*(\d+)(?![\w/])")
# any standalone number (not part of CD7, NCT…, IL-15, 10^6)
_STANDALONE = re.compile(rf"(?<![\w.\-^/])({_NUMBER})(?![\w^])")

IDENTIFIER_PATTERNS = {
    "DOI": re.compile(r"\b10\.\d{4,9}/[^\s\"<>]+[^\s\"<>.,;)\]]"),
    "PMID": re.compile(r"(?:PMID:?\s*|pubmed\.ncbi\.nlm\.nih\.gov/)(\d{5,9})"),
    "PMCID": re.compile(r"\bPMC\d{5,9}\b"),
    "NCT": re.compile(r"\bNCT\d{8}\b"),
    "ChiCTR": re.compile(r"\bChiCTR[0-9A-Za-z-]+\b"),
    "ISRCTN": re.compile(r"\bISRCTN\d{8}\b"),
}


# Chinese trial phases use Roman numeral characters (Ⅰ/Ⅱ期, data/terminology.yaml): read them as digits
_ROMAN_DIGITS = str.maketrans({"Ⅰ": " 1 ", "Ⅱ": " 2 ", "Ⅲ": " 3 ", "Ⅳ": " 4 "})


def numbers(text: str) -> set[str]:
    """The numbers a reader would quote, normalised ("1,000" -> "1000"): percentages, ratios such as 18/20,
    numbers next to a unit, and every decimal or number above 10 (small counts may be spelled out in English)."""
    text = text.translate(_ROMAN_DIGITS)
    found: set[str] = set()
    for value in _STANDALONE.findall(text):
        value = value.replace(",", "")
        if "." in value or float(value) > 10:
            found.add(value)
    for value in _PERCENT.findall(text):
        found.add(value.replace(",", "") + "%")
    for pattern in (_NUMBER_WITH_UNIT, _NUMBER_AFTER_UNIT):
        for value in pattern.findall(text):
            value = value.replace(",", "")
            found.add(value)
    for a, b in _RATIO.findall(text):
        found.add(f"{a}/{b}")
    return found


def identifiers(path: Path) -> set[str]:
    """DOIs, PMIDs, PMCIDs and trial IDs in the article's text and link targets."""
    node = article(path)
    haystack = node.get_text(" ") + " " + " ".join(a.get("href", "") for a in node.select("a[href]"))
    found = set()
    for kind, pattern in IDENTIFIER_PATTERNS.items():
        for match in pattern.finditer(haystack):
            value = match.group(1) if pattern.groups else match.group(0)
            found.add(f"{kind} {value.lower() if kind == 'DOI' else value}")
    return found


def prose_sections(path: Path) -> dict[str, str]:
    """The article's prose by section: heading id (h2–h4; '' before the first) -> text, with chrome and
    generated content left out. Both languages share heading ids, so sections pair up."""
    node = BeautifulSoup(str(article(path)), "lxml")
    for chrome in node.select(_NOT_CONTENT + ", " + _GENERATED):
        chrome.decompose()
    sections: dict[str, list[str]] = {"": []}
    current = ""
    for element in node.find_all(string=True):
        heading = element.find_parent(["h2", "h3", "h4"])
        if heading is not None and heading.get("id") and heading["id"] != current:
            current = heading["id"]
            sections.setdefault(current, [])
        sections[current].append(str(element))
    return {key: " ".join(parts) for key, parts in sections.items()}


_CHINESE_MONTH = re.compile(r"(\d{4})\s*年\s*\d{1,2}\s*月")


def number_counts(text: str) -> Counter:
    """How often each number a reader would quote occurs: percentages, ratios (18/20), decimals and numbers
    above 10. Small whole numbers are left out: prose writes them as words ("three", "一项") as often as digits.
    Numbers that are part of names (CD7, IL-15, NCT…, 10^6 exponents) are not counted."""
    counts: Counter = Counter()
    text = text.translate(_ROMAN_DIGITS)
    text = _CHINESE_MONTH.sub(r"\1 ", text)  # "2025 年 12 月" is "December 2025"
    for a, b in _RATIO.findall(text):
        counts[f"{a}/{b}"] += 1
    text = _RATIO.sub(" ", text)
    for value in _PERCENT.findall(text):
        counts[value.replace(",", "") + "%"] += 1
    text = _PERCENT.sub(" ", text)
    for value in _STANDALONE.findall(text):
        value = value.replace(",", "")
        if "." in value or float(value) > 10:
            counts[value] += 1
    return counts


def section_number_differences(english, chinese) -> list[str]:
    """Each section whose numbers differ between the two languages (built pages, or their prose_sections),
    with what differs."""
    en, zh = (prose_sections(x) if isinstance(x, Path) else x for x in (english, chinese))
    problems = []
    for section in sorted(set(en) | set(zh)):
        a, b = number_counts(en.get(section, "")), number_counts(zh.get(section, ""))
        if a != b:
            only_en = sorted(f"{k}×{v}" for k, v in (a - b).items())
            only_zh = sorted(f"{k}×{v}" for k, v in (b - a).items())
            problems.append(f"section #{section or '(top)'}: more in English {only_en}, more in Chinese {only_zh}")
    return problems


def number_differences(english: str, chinese: str) -> tuple[set[str], set[str]]:
    """(numbers only in the English text, numbers only in the Chinese text)."""
    en, zh = numbers(english), numbers(chinese)
    return en - zh, zh - en
