"""Refuse an SVG figure that could run code or fetch anything from outside the site.

An SVG opened on its own (a reader's "open image in new tab", or the lightbox) is a document: a <script>, an
event handler or a <foreignObject> runs there, and an external href or CSS url() makes a request. Each figure
is parsed as XML (lxml, no network, no entity expansion) and every problem is reported with its line.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from lxml import etree
from mkdocs.exceptions import PluginError

_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
_FORBIDDEN_ELEMENTS = {"script", "foreignObject", "iframe", "embed", "object", "handler", "listener"}
_CSS_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.I)
_CSS_IMPORT = re.compile(r"@import\b", re.I)
# inline images are data, not requests; anything else with a scheme (https:, javascript:, file:) is refused
_SAFE_DATA = re.compile(r"\Adata:image/(png|jpeg|gif|webp);", re.I)


def _leaves_the_site(reference: str) -> bool:
    reference = reference.strip()
    if not reference or reference.startswith("#"):
        return False
    if _SAFE_DATA.match(reference):
        return False
    parts = urlsplit(reference)
    return bool(parts.scheme or parts.netloc or reference.startswith("//"))


def _local_name(tag) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _css_problems(css: str) -> list[str]:
    problems = []
    if _CSS_IMPORT.search(css):
        problems.append("CSS @import (a figure's styles must be inside the file)")
    for _, target in _CSS_URL.findall(css):
        if _leaves_the_site(target):
            problems.append(f"CSS url({target}) points outside the site")
    return problems


def problems_in(svg: bytes) -> list[str]:
    """Every reason the SVG is unsafe, each as 'line N: problem'."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(svg, parser)
    except etree.XMLSyntaxError as error:
        return [f"line {error.lineno}: not well-formed XML ({error.msg})"]
    found = []
    tree = root.getroottree()
    if tree.docinfo.internalDTD is not None and tree.docinfo.internalDTD.iterentities():
        found.append("line 1: declares XML entities (not allowed in figures)")
    for element in root.iter():
        line, name = element.sourceline, _local_name(element.tag)
        if not name:  # comments and processing instructions
            continue
        if name in _FORBIDDEN_ELEMENTS:
            found.append(f"line {line}: <{name}> element (figures may not contain scripts or embedded documents)")
        if name == "style" and element.text:
            found += [f"line {line}: {problem}" for problem in _css_problems(element.text)]
        for attribute, value in element.attrib.items():
            attribute_name = _local_name(attribute)
            if attribute_name.lower().startswith("on"):
                found.append(f"line {line}: event handler {attribute_name}=\"…\" on <{name}>")
            elif attribute in ("href", _XLINK_HREF, "src") and _leaves_the_site(value):
                found.append(f"line {line}: <{name}> refers to {value!r}, outside the site")
            elif attribute_name == "style" or "url(" in value:
                found += [f"line {line}: {problem}" for problem in _css_problems(value)]
            if name in ("set", "animate") and attribute_name == "attributeName" and "href" in value:
                found.append(f"line {line}: <{name}> animates a link (could point outside the site)")
    return found


def on_files(files, config):
    problems, docs = [], Path(config.docs_dir)
    for file in files:
        if not file.src_uri.endswith(".svg") or not file.abs_src_path:
            continue
        source = Path(file.abs_src_path)
        if not source.is_relative_to(docs):
            continue  # the theme's own files
        relative = f"{docs.name}/{source.relative_to(docs).as_posix()}"
        problems += [f"{relative}: {problem}" for problem in problems_in(source.read_bytes())]
    if problems:
        raise PluginError("Unsafe SVG figure:\n  " + "\n  ".join(problems))
    return files
