"""No page may make a request outside the site: readers in mainland China, and readers offline, depend on it.

1. A static check of every built page (and stylesheet): any `src`, `srcset`, `<link>` / `<script>` href,
   `<iframe>`, `<object>`, `<embed>`, CSS `url()` or `@import` that leaves the site fails the build, naming the
   page's source file. Content that makes the theme's bundle fetch from a CDN by itself (a mermaid diagram) or
   from an API (a repository widget) fails too.
2. A Content-Security-Policy <meta> on every page allows only the site itself, and the page's inline scripts
   by their hash, so that a browser refuses any outside request that still slips through.
"""

from __future__ import annotations

import base64
import bisect
import html as html_module
import hashlib
import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

sys.path.insert(0, str(Path(__file__).parent))
import evidence  # noqa: E402

_CSS_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.I)
_CSS_IMPORT = re.compile(r"@import\s+(?:url\(\s*)?(['\"]?)([^'\")\s;]+)", re.I)
_SCRIPT_TYPE = re.compile(r"\btype\s*=\s*['\"]?([^'\"\s>]+)", re.I)
_HEAD = re.compile(r"<head\b[^>]*>", re.I)
# rel values that only name a document; browsers do not fetch them
_NOT_FETCHED = {"canonical", "alternate"}
# what the theme's bundle (Material 9) loads from a third-party host when it finds this in a page
_CDN_TRIGGERS = {
    "mermaid": "a mermaid diagram (the theme would load mermaid.min.js from unpkg.com); draw the figure as an SVG",
    "source": "a repository widget (the theme would call api.github.com); drop repo_url",
}

# 'self' only; inline styles are allowed because the theme sets them (they cannot fetch: img-src and
# font-src are 'self'); data: images are inline (the theme's icons)
_POLICY = (
    "default-src 'self'; script-src 'self' {hashes}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; worker-src 'self'; frame-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'"
)


def leaves_the_site(reference: str) -> bool:
    reference = (reference or "").strip()
    if not reference or reference.startswith(("#", "data:")):
        return False
    parts = urlsplit(reference)
    return bool(parts.netloc) or parts.scheme not in ("", "file")


def _css_requests(css: str) -> list[str]:
    found = [target for _, target in _CSS_URL.findall(css) if leaves_the_site(target)]
    found += [target for _, target in _CSS_IMPORT.findall(css) if leaves_the_site(target)]
    return found


# The built pages are the well-formed output of MkDocs and Python-Markdown, so their start tags are read with a
# quote-aware regular expression, and only the tags where a hint of an address is: an lxml parse of every
# page, or a regular expression over every tag, was most of this hook's time. A request that leaves the site
# needs a scheme (":") or "//", possibly written with a character reference ("&"); mermaid and the repository
# widget are the other hints.
_HINTS = (":", "//", "&", "mermaid", "data-md-component")  # found with str.find: a regex alternation was slower
# (letter by letter, not re.I: case-insensitive alternations defeat the regex engine's fast scan)
_RAW_START = re.compile(r"<([sS][cC][rR][iI][pP][tT]|[sS][tT][yY][lL][eE])\b|<!--")
_RAW_END = {"script": re.compile(r"</[sS][cC][rR][iI][pP][tT]"), "style": re.compile(r"</[sS][tT][yY][lL][eE]")}
_TAG = re.compile(r"""<([a-zA-Z][\w:-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*)\s*/?>""")
_ATTRIBUTE = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")
_FETCHING = {"src", "data", "poster", "background", "xlink:href"}
_HREF_FETCHED_BY = {"link", "script", "base", "image", "use", "feimage"}


def _requests_of(tag: str, attributes: dict[str, str]) -> list[str]:
    found = []
    for name, value in attributes.items():
        plain = html_module.unescape(value)  # what the browser reads: "&#47;&#47;host" is "//host"
        if name in _FETCHING or (name == "href" and tag in _HREF_FETCHED_BY) or (name == "action" and tag == "form"):
            if tag == "link" and name == "href":
                rel = set(attributes.get("rel", "").lower().split())
                if rel and rel <= _NOT_FETCHED:
                    continue
            if leaves_the_site(plain):
                found.append(f'<{tag} {name}="{value}">')
        elif name == "srcset":
            found += [f'<{tag} srcset="{c.strip()}">' for c in plain.split(",")
                      if leaves_the_site(c.strip().split(" ")[0])]
        elif name == "style":
            found += [f"style on <{tag}> loads url({target})" for target in _css_requests(plain)]
        elif name == "content" and attributes.get("http-equiv", "").lower() == "refresh" and "url=" in plain.lower():
            if leaves_the_site(plain.lower().split("url=", 1)[1]):
                found.append(f'<meta http-equiv="refresh" content="{value}">')
    return found


class _RawText:
    """Where a page's script text and comments are, which hold no markup (`spans`, sorted), the text of each
    <style> (`styles`), and each inline script's start-tag attributes and text (`scripts`)."""

    def __init__(self, html: str):
        self.spans, self.styles, self.scripts, at = [], [], [], 0
        while (start := _RAW_START.search(html, at)) is not None:
            if start.group(1) is None:  # a comment
                end = html.find("-->", start.end())
                end = len(html) if end < 0 else end + 3
                self.spans.append((start.start(), end))
            else:
                kind = start.group(1).lower()
                tag = _TAG.match(html, start.start())
                body = tag.end() if tag else start.end()
                close = _RAW_END[kind].search(html, body)
                end = close.start() if close else len(html)
                self.spans.append((body, end))
                if kind == "style":
                    self.styles.append(html[body:end])
                elif tag is not None:
                    self.scripts.append((tag.group(2), html[body:end]))
            at = max(end, start.end())


def _hints(html: str) -> list[int]:
    found = []
    for hint in _HINTS:
        at = html.find(hint)
        while at >= 0:
            found.append(at)
            at = html.find(hint, at + 1)
    return sorted(found)


def _tag_requests(match: re.Match) -> list[str]:
    tag = match.group(1).lower()
    attributes = {a.group(1).lower(): a.group(2) if a.group(2) is not None else a.group(3) or a.group(4) or ""
                  for a in _ATTRIBUTE.finditer(match.group(2))}
    found = _requests_of(tag, attributes)
    if "mermaid" in attributes.get("class", "").split():
        found.append(_CDN_TRIGGERS["mermaid"])
    if attributes.get("data-md-component") == "source":
        found.append(_CDN_TRIGGERS["source"])
    return found


def _every_tag_requests(html: str, spans) -> list[str]:
    """The slow way, for a page where a hint could not be placed: every start tag outside script text."""
    found, at = [], 0
    for start, end in spans + [(len(html), len(html))]:
        for match in _TAG.finditer(html, at, start):
            found += _tag_requests(match)
        at = end
    return found


def outside_requests(html: str, raw: _RawText | None = None) -> list[str]:
    """Every request to another host that this HTML would make, described in words."""
    raw = raw or _RawText(html)
    spans, styles = raw.spans, raw.styles
    starts = [start for start, _ in spans]
    found, tags = [], {}
    for at in _hints(html):
        inside = bisect.bisect_right(starts, at) - 1
        if inside >= 0 and at < spans[inside][1]:
            continue  # script text or a comment
        opening, closing = html.rfind("<", 0, at), html.rfind(">", 0, at)
        if opening < 0:
            continue
        if opening not in tags:
            tags[opening] = _TAG.match(html, opening)
        tag = tags[opening]
        if tag is not None and tag.end() > at:
            continue  # in this tag: read below, once
        if closing > opening:
            continue  # in text between tags
        # a "<" inside an attribute's value: the tag holding the hint is not where it seems; read every tag
        return _every_tag_requests(html, spans) + _style_requests(styles)
    for tag in tags.values():
        if tag is not None:
            found += _tag_requests(tag)
    return found + _style_requests(styles)


def _style_requests(styles: list[str]) -> list[str]:
    return [f"<style> loads url({target})" for css in styles for target in _css_requests(css)]


def _script_hashes(raw: _RawText) -> list[str]:
    hashes = []
    for attributes, body in raw.scripts:
        if re.search(r"\bsrc\s*=", attributes, re.I):
            continue
        kind = _SCRIPT_TYPE.search(attributes)
        if kind and kind.group(1).lower() not in ("text/javascript", "module", "application/javascript"):
            continue  # data blocks (the theme's JSON configuration) are never run
        digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii")
        hashes.append(f"'sha256-{digest}'")
    return sorted(set(hashes))


def with_policy(html: str, raw: _RawText | None = None) -> str:
    policy = _POLICY.format(hashes=" ".join(_script_hashes(raw or _RawText(html)))).replace("  ", " ")
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
    # first in <head>: a policy applies only to what comes after it
    head = _HEAD.search(html)
    if head is None:
        raise PluginError("same_origin_only: a page has no <head> to carry its Content-Security-Policy")
    return html[:head.end()] + meta + html[head.end():]


def _check(html: str, source: str, snippet_line, raw: _RawText) -> None:
    found = outside_requests(html, raw)
    if found:
        details = [f"{item} (line {snippet_line(item)})" if snippet_line(item) != "?" else item for item in found]
        raise PluginError(f"{source}: the page would make a request outside the site, which readers offline "
                          f"and in mainland China cannot reach:\n  " + "\n  ".join(details))


@event_priority(-200)  # last: after every hook and plugin that changes the page
def on_post_page(output: str, page, config) -> str:
    def line(item: str):
        address = re.search(r"(?:https?:)?//[^\"')\s>]+", item)
        return evidence.line_of(page, address.group(0)) if address else "?"

    raw = _RawText(output)
    _check(output, evidence.source_of(page), line, raw)
    return with_policy(output, raw)


@event_priority(100)  # before language_roots keeps the 404 page
def on_post_template(output: str, template_name: str, config) -> str:
    if not template_name.endswith(".html"):
        return output
    raw = _RawText(output)
    _check(output, f"the theme's {template_name}", lambda item: "?", raw)
    return with_policy(output, raw)


@event_priority(-300)  # after every hook that writes files
def on_post_build(config) -> None:
    i18n = config.plugins.get("i18n")
    if i18n is not None and getattr(i18n, "building", False):
        return
    site = Path(config.site_dir)
    problems = []
    for stylesheet in site.rglob("*.css"):
        for target in _css_requests(stylesheet.read_text(encoding="utf-8", errors="replace")):
            problems.append(f"{stylesheet.relative_to(site).as_posix()}: loads {target}")
    if problems:
        raise PluginError("A stylesheet would make a request outside the site:\n  " + "\n  ".join(problems))
