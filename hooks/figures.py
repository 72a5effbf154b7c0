"""Figures that can be read on a phone and that do not shift the page as they load.

Every `<img>` of an SVG figure gets `width` and `height` from the SVG's viewBox (keeping a width set in the
Markdown), and is wrapped in a link to the SVG itself: with JavaScript the link opens a zoom-and-pan
lightbox (figures.js, PhotoSwipe) at a scale where the figure's smallest label is legible; without it the
browser opens the SVG, which a phone can pinch-zoom. The page is marked so that only pages with figures
load the lightbox. SVGs drawn at build time (the forest plot) are measured from the drawing itself.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import lxml.html
from mkdocs.exceptions import PluginError

sys.path.insert(0, str(Path(__file__).parent))
import evidence  # noqa: E402
import forest_plot  # noqa: E402

VIEWBOX = re.compile(r'<svg\b[^>]*\bviewBox="\s*[-\d.]+[\s,]+[-\d.]+[\s,]+([\d.]+)[\s,]+([\d.]+)\s*"', re.S)
FONT_SIZE = re.compile(r'font-size(?:="|:\s*)([\d.]+)')
# figures that are not files in docs/ but drawn by a hook: src -> the SVG text for a language
DRAWN = {forest_plot.FIGURE: lambda ev, language: forest_plot.svg_for(ev, language)}


def svg_geometry(text: str, name: str, source: str) -> tuple[float, float, float]:
    """(width, height, smallest font size) of an SVG figure, from its viewBox and font sizes."""
    box = VIEWBOX.search(text)
    if box is None:
        raise PluginError(f"{source}: figure {name} has no viewBox on its <svg> element")
    sizes = [float(s) for s in FONT_SIZE.findall(text)]
    return float(box.group(1)), float(box.group(2)), min(sizes, default=12.0)


def _svg_text(src: str, page, config) -> str:
    path = Path(page.file.abs_src_path).parent / src
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        if src in DRAWN:
            return DRAWN[src](evidence.get(config), evidence.language_of(page))
        raise PluginError(f"{evidence.source_of(page)}: figure {path.name} cannot be read") from None


# a figure block of the page (figures do not nest): only these are parsed, not the whole page
FIGURE = re.compile(r"<figure\b.*?</figure>", re.S)


def _figure(block: str, page, config, hint: str) -> str:
    root = lxml.html.fragment_fromstring(block)
    images = [img for img in root.iter("img") if img.get("src", "").endswith(".svg")]
    if not images:
        return block
    for img in images:
        src = img.get("src")
        width, height, smallest = svg_geometry(_svg_text(src, page, config), Path(src).name, evidence.source_of(page))
        shown = float(img.get("width") or width)
        img.set("width", f"{shown:g}")
        img.set("height", f"{round(shown * height / width):g}")
        if img.getparent().tag != "a":
            link = lxml.html.Element("a", {
                "href": src, "class": "atlas-figure-link", "data-pswp-width": f"{width:g}",
                "data-pswp-height": f"{height:g}", "data-smallest-label": f"{smallest:g}"})
            img.addprevious(link)
            link.append(img)  # moves the image, and its tail with it: give the tail back to the link
            link.tail, img.tail = img.tail, None
    caption = root.find(".//figcaption")
    if caption is not None and not caption.find_class("atlas-figure-hint"):
        note = lxml.html.Element("span", {"class": "atlas-figure-hint", "data-search-exclude": ""})
        note.text = hint
        caption.append(note)
    page.meta["atlas_figures"] = True
    return lxml.html.tostring(root, encoding="unicode")


def on_page_content(html: str, page, config, files) -> str:
    if "<figure" not in html:
        return html
    hint = evidence.get(config).label("ui", "figure_hint", evidence.language_of(page))
    return FIGURE.sub(lambda match: _figure(match.group(0), page, config, hint), html)
