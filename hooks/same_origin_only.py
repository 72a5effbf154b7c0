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
import hashlib
import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html
from lxml import etree
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

sys.path.insert(0, str(Path(__file__).parent))
import evidence  # noqa: E402

_CSS_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.I)
_CSS_IMPORT = re.compile(r"@import\s+(?:url\(\s*)?(['\"]?)([^'\")\s;]+)", re.I)
_INLINE_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S | re.I)
_SCRIPT_TYPE = re.compile(r"\btype\s*=\s*['\"]?([^'\"\s>]+)", re.I)
_HEAD = re.compile(r"<head\b[^>]*>", re.I)
# rel values that only name a document; browsers do not fetch them
_NOT_FETCHED = {"canonical", "alternate"}
# what the theme's bundle (Material 9) loads from a third-party host when it finds this in a page
_CDN_TRIGGERS = {
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' mermaid ')]": "a mermaid diagram (the theme would load mermaid.min.js from unpkg.com); draw the figure as an SVG",
    "//*[@data-md-component='source']": "a repository widget (the theme would call api.github.com); drop repo_url",
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


# only the attributes that can make a request (XPath: a Python walk over every element was 7% of the build)
_FETCHING = etree.XPath(
    "//@src | //@srcset | //@data | //@poster | //@background | //link/@href | //script/@href | //base/@href"
    " | //form/@action | //*[local-name()='image' or local-name()='use' or local-name()='feImage']/@href"
    " | //@*[name()='xlink:href']"
    " | //meta[translate(@http-equiv, 'REFSH', 'refsh')='refresh']/@content | //@style | //style/text()")


def _requests_of(attribute) -> list[str]:
    """The outside addresses one attribute (or <style> text) would fetch."""
    element = attribute.getparent()
    name = getattr(attribute, "attrname", None)
    if name is None:  # <style> text
        return _css_requests(str(attribute))
    value = str(attribute)
    if name == "style":
        return _css_requests(value)
    if name == "srcset":
        return [c.strip() for c in value.split(",") if leaves_the_site(c.strip().split(" ")[0])]
    if name == "content":
        target = value.lower().split("url=", 1)[1] if "url=" in value.lower() else ""
        return [value] if leaves_the_site(target) else []
    if name == "href" and element.tag == "link":
        rel = set((element.get("rel") or "").lower().split())
        if rel and rel <= _NOT_FETCHED:
            return []
    return [value] if leaves_the_site(value) else []


def outside_requests(html: str) -> list[str]:
    """Every request to another host that this HTML would make, described in words."""
    root = lxml.html.document_fromstring(html)
    found = []
    for attribute in _FETCHING(root):
        for target in _requests_of(attribute):
            element = attribute.getparent()
            tag = element.tag if isinstance(element.tag, str) else "?"
            name = getattr(attribute, "attrname", None)
            if name in (None, "style"):
                found.append(f"{'<style>' if name is None else f'style on <{tag}>'} loads url({target})")
            else:
                found.append(f'<{tag} {name}="{target}">')
    for selector, why in _CDN_TRIGGERS.items():
        if root.xpath(selector):
            found.append(why)
    return found


def _script_hashes(html: str) -> list[str]:
    hashes = []
    for attributes, body in _INLINE_SCRIPT.findall(html):
        if re.search(r"\bsrc\s*=", attributes, re.I):
            continue
        kind = _SCRIPT_TYPE.search(attributes)
        if kind and kind.group(1).lower() not in ("text/javascript", "module", "application/javascript"):
            continue  # data blocks (the theme's JSON configuration) are never run
        digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii")
        hashes.append(f"'sha256-{digest}'")
    return sorted(set(hashes))


def with_policy(html: str) -> str:
    policy = _POLICY.format(hashes=" ".join(_script_hashes(html))).replace("  ", " ")
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
    # first in <head>: a policy applies only to what comes after it
    html, found = _HEAD.subn(lambda match: match.group(0) + meta, html, count=1)
    if not found:
        raise PluginError("same_origin_only: a page has no <head> to carry its Content-Security-Policy")
    return html


def _check(html: str, source: str, snippet_line) -> None:
    found = outside_requests(html)
    if found:
        details = [f"{item} (line {snippet_line(item)})" if snippet_line(item) != "?" else item for item in found]
        raise PluginError(f"{source}: the page would make a request outside the site, which readers offline "
                          f"and in mainland China cannot reach:\n  " + "\n  ".join(details))


@event_priority(-200)  # last: after every hook and plugin that changes the page
def on_post_page(output: str, page, config) -> str:
    def line(item: str):
        address = re.search(r"(?:https?:)?//[^\"')\s>]+", item)
        return evidence.line_of(page, address.group(0)) if address else "?"

    _check(output, evidence.source_of(page), line)
    return with_policy(output)


@event_priority(100)  # before language_roots keeps the 404 page
def on_post_template(output: str, template_name: str, config) -> str:
    if not template_name.endswith(".html"):
        return output
    _check(output, f"the theme's {template_name}", lambda item: "?")
    return with_policy(output)


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
