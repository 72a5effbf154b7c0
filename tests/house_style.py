"""The house style of data/terminology.yaml applied to Markdown pages, the language fields of data/*.yaml and the
built HTML. Every rule is data; this module only finds text and reports where a rule matched:
`<file>:<line>` (Markdown), `data/<file>.yaml: <entry>.<field>` (data) or `<page>.html: "<context>"` (HTML)."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path

import yaml
from bs4 import BeautifulSoup

LANGUAGES = ("en", "zh")
BLOCKS = "p, li, td, th, h1, h2, h3, h4, h5, h6, dt, dd, figcaption, caption, summary, .admonition-title, .atlas-def"

# Markdown syntax that is not prose: citation markers, link targets, attribute lists, HTML tags, code
_MARKDOWN_NOT_TEXT = [
    (re.compile(r"\[\[[^\]]*\]\]"), ""),
    (re.compile(r"\[@[^\]]*\]"), ""),
    (re.compile(r"\]\([^)]*\)"), "]"),
    (re.compile(r"\{[^{}]*\}"), ""),
    (re.compile(r"<[^>]+>"), ""),
    (re.compile(r"`[^`]*`"), ""),
    (re.compile(r"[*_]{2}"), ""),
    (re.compile(r"!!! \w+ "), ""),
]
# glosses in parentheses and titles in 《》, including one that a wrapped Markdown line opens or closes
_PARENTHESES = re.compile(r"《[^》]*》|（[^（）]*）|\([^()]*\)|（[^）]*$|^[^（\n]*）", re.M)


@dataclass(frozen=True)
class Problem:
    where: str
    rule: str
    found: str
    preferred: str

    def __str__(self) -> str:
        return f"{self.where}: {self.rule}: {self.found!r} -> {self.preferred}"


@dataclass(frozen=True)
class Rule:
    id: str
    languages: tuple[str, ...]
    pattern: re.Pattern
    preferred: str
    outside_parentheses: bool = False


def _load_terminology(root: Path) -> dict:
    sys.path.insert(0, str(root / "hooks"))
    try:
        import evidence  # validates against data/schema/terminology.schema.json, errors name file and key
    finally:
        sys.path.pop(0)
    return evidence.validate_file(root, "terminology")


class HouseStyle:
    def __init__(self, root: Path):
        self.root = root
        data = _load_terminology(root)
        self.data = data
        self.rules: list[Rule] = [
            Rule(r["id"], tuple(r["languages"]), re.compile(r["pattern"], re.M), r["preferred"],
                 r.get("outside_parentheses", False))
            for r in data["rules"]
        ]
        for term in data["terms"]:
            for pattern in term["avoid"]:
                self.rules.append(Rule(f"term {term['id']}", ("zh",), re.compile(pattern, re.M),
                                       f"{term['zh']} (source: {term['source']['kind']})"))
        self.allowed_english = set(data.get("allowed_english", []))
        self.variant_fields = set(data.get("variant_fields", []))
        self.allow = data.get("allow", [])
        self.skip_html = ", ".join(s["selector"] for s in data.get("skip_html", []))
        self._segments: dict[Path, list[tuple[str, str]]] = {}  # parsed pages, reused by the tests

    # --- the core: one text, one language ------------------------------------------------------------

    def _allowed(self, rule: str, where: str) -> bool:
        return any(fnmatch(rule, a["rule"]) and fnmatch(where, a["where"] + "*") for a in self.allow)

    def check_text(self, text: str, language: str, where, source: str, rules=None) -> list[Problem]:
        """Problems in `text`; `where(offset)` names the place of a match, `source` is matched against `allow`."""
        problems = []
        for rule in rules or self.rules:
            if language not in rule.languages or self._allowed(rule.id, source):
                continue
            haystack = _PARENTHESES.sub(lambda m: " " * len(m.group(0)), text) if rule.outside_parentheses else text
            for match in rule.pattern.finditer(haystack):
                found = match.group(0)
                if rule.id == "leftover-english" and found in self.allowed_english:
                    continue
                problems.append(Problem(where(match.start()), rule.id, found.strip() or found, rule.preferred))
        return problems

    # --- Markdown pages ---------------------------------------------------------------------------

    def check_markdown(self, path: Path, language: str, name: str | None = None) -> list[Problem]:
        name = name or path.relative_to(self.root).as_posix()
        problems = []
        lines = path.read_text(encoding="utf-8").split("\n")
        in_front_matter = lines[:1] == ["---"]
        for number, line in enumerate(lines, 1):
            if in_front_matter:
                in_front_matter = not (number > 1 and line == "---")
                continue
            text = line
            for pattern, replacement in _MARKDOWN_NOT_TEXT:
                text = pattern.sub(replacement, text)
            problems += self.check_text(text, language, lambda _o, n=number: f"{name}:{n}", name)
        return problems + self._link_texts(lines, name) if language == "zh" else problems

    def check_svg(self, path: Path, language: str, name: str | None = None) -> list[Problem]:
        """The text of a figure (its <text>, <title> and <desc> elements): it is read as part of the page."""
        name = name or path.relative_to(self.root).as_posix()
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "xml")
        problems = []
        for element in soup.find_all(["text", "title", "desc"]):
            text = element.get_text(" ")
            problems += self.check_text(text, language, lambda o, t=text: f"{name}: \"{_context(t, o)}\"", name)
        return problems

    # --- data fields ------------------------------------------------------------------------------

    def language_fields(self, name: str, items, path=()):
        """(language, key path, text) for every field named en/zh or *_en/*_zh, at any depth."""
        if isinstance(items, dict):
            for key, value in items.items():
                language = next((lang for lang in LANGUAGES if key == lang or str(key).endswith("_" + lang)), None)
                if language and key not in self.variant_fields:
                    for text in value if isinstance(value, list) else [value]:
                        if isinstance(text, str):
                            yield language, path + (key,), text
                else:
                    yield from self.language_fields(name, value, path + (key,))
        elif isinstance(items, list):
            for index, item in enumerate(items):
                label = item.get("id") or item.get("key") if isinstance(item, dict) else None
                yield from self.language_fields(name, item, path + (label or f"#{index + 1}",))

    def check_data(self) -> list[Problem]:
        problems = []
        for path in sorted((self.root / "data").glob("*.yaml")):
            if path.name == "terminology.yaml":  # lists the avoided forms themselves
                continue
            name = f"data/{path.name}"
            items = yaml.safe_load(path.read_text(encoding="utf-8"))
            for language, keys, text in self.language_fields(name, items):
                where = f"{name}: {'.'.join(map(str, keys))}"
                problems += self.check_text(text, language, lambda _o, w=where: w, name)
        return problems

    # --- built HTML -------------------------------------------------------------------------------

    def html_segments(self, path: Path) -> list[tuple[str, str]]:
        """The article's text as (source, text) pairs, one block per line: each element named by an `allow`
        entry for HTML ("html:<selector>") is its own segment, so only the rules it names are waived."""
        if path not in self._segments:
            self._segments[path] = self._html_segments(path)
        return self._segments[path]

    def _html_segments(self, path: Path) -> list[tuple[str, str]]:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
        node = soup.select_one("article.md-content__inner")
        for skipped in node.select(self.skip_html):
            # a placeholder keeps the punctuation around it checkable: 自相残杀（…）
            skipped.replace_with("…" if skipped.get("lang") else "")
        segments = []
        for entry in self.allow:
            if entry["where"].startswith("html:"):
                for element in node.select(entry["where"][5:]):
                    segments.append((entry["where"], _block_text(element)))
                    element.decompose()
        return segments + [("html:", _block_text(node))]

    def check_html(self, path: Path, language: str, name: str) -> list[Problem]:
        problems = []
        for source, text in self.html_segments(path):
            problems += self.check_text(text, language, lambda o, t=text: f"{name}: \"{_context(t, o)}\"", source)
        return problems

    # --- page names -------------------------------------------------------------------------------

    def pages(self) -> dict[str, dict]:
        return {p["file"]: p for p in self.data["pages"]}

    def _link_texts(self, lines: list[str], name: str) -> list[Problem]:
        problems = []
        pages = self.pages()
        for number, line in enumerate(lines, 1):
            for text, target, anchor in re.findall(r"(?<!!)\[([^\]@]+)\]\(([\w.-]+\.md)(#[\w-]+)?\)", line):
                page = pages.get(target)
                if page is None:
                    continue
                if text in page.get("avoid", []) or (not anchor and text != page["zh"]):
                    problems.append(Problem(f"{name}:{number}", "page name", text, f"[{page['zh']}]({target})"))
        return problems

    def check_page_names(self) -> list[Problem]:
        """nav_translations in mkdocs.yml and each Chinese page's H1 use the names in data/terminology.yaml."""
        loader = type("Loader", (yaml.SafeLoader,), {})
        loader.add_multi_constructor("!", lambda *_: None)
        config = yaml.load((self.root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=loader)
        i18n = next(p["i18n"] for p in config["plugins"] if isinstance(p, dict) and "i18n" in p)
        translations = next(lang for lang in i18n["languages"] if lang["locale"] == "zh")["nav_translations"]
        problems = []
        for page in self.data["pages"]:
            if translations.get(page["en"]) != page["zh"]:
                problems.append(Problem(f"mkdocs.yml: nav_translations.{page['en']}", "page name",
                                        str(translations.get(page["en"])), page["zh"]))
            source = self.root / "docs" / "zh" / page["file"]
            heading = next((l[2:].strip() for l in source.read_text(encoding="utf-8").split("\n") if l.startswith("# ")), "")
            if heading != page.get("title", page["zh"]):
                problems.append(Problem(f"docs/zh/{page['file']}: H1", "page name", heading, page.get("title", page["zh"])))
        return problems

    def check_built_navigation(self, site: Path) -> list[Problem]:
        """In the built Chinese site, every navigation and previous/next link to a page carries its name."""
        names = {p["file"].replace(".md", ".html"): p["zh"] for p in self.data["pages"]}
        problems = []
        for html in sorted((site / "zh").glob("*.html")):
            soup = BeautifulSoup(html.read_text(encoding="utf-8"), "lxml")
            links = soup.select("nav.md-nav--primary a.md-nav__link[href], a.md-footer__link[href]")
            for link in links:
                target = link["href"].split("#")[0].split("/")[-1]
                if target not in names:
                    continue
                label = link.select_one(".md-footer__title .md-ellipsis") or link
                text = " ".join(label.get_text(" ").split())
                if text != names[target]:
                    problems.append(Problem(f"zh/{html.name}: link to {target}", "page name", text, names[target]))
        return problems


def _block_text(node) -> str:
    for br in node.select("br"):
        br.replace_with("\n")
    for block in node.select(BLOCKS):
        block.insert(0, "\n")
        block.append("\n")
    return node.get_text("")


def _context(text: str, offset: int, width: int = 24) -> str:
    return " ".join(text[max(0, offset - width): offset + width].split())
