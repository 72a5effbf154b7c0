"""Figures that can be read on a phone and that do not shift the page as they load.

Every `<img>` of an SVG figure gets `width` and `height` from the SVG's viewBox (keeping a width set in the
Markdown), and is wrapped in a link to the SVG itself: with JavaScript the link opens a zoom-and-pan
lightbox (figures.js, PhotoSwipe) at a scale where the figure's smallest label is legible; without it the
browser opens the SVG, which a phone can pinch-zoom. The page is marked so that only pages with figures
load the lightbox.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from bs4 import BeautifulSoup
from mkdocs.exceptions import PluginError

sys.path.insert(0, str(Path(__file__).parent))
import evidence  # noqa: E402

VIEWBOX = re.compile(r'<svg\b[^>]*\bviewBox="\s*[-\d.]+[\s,]+[-\d.]+[\s,]+([\d.]+)[\s,]+([\d.]+)\s*"', re.S)
FONT_SIZE = re.compile(r'font-size(?:="|:\s*)([\d.]+)')


def svg_geometry(path: Path, source: str) -> tuple[float, float, float]:
    """(width, height, smallest font size) of an SVG figure, from its viewBox and font sizes."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        raise PluginError(f"{source}: figure {path.name} cannot be read") from None
    box = VIEWBOX.search(text)
    if box is None:
        raise PluginError(f"{source}: figure {path.name} has no viewBox on its <svg> element")
    sizes = [float(s) for s in FONT_SIZE.findall(text)]
    return float(box.group(1)), float(box.group(2)), min(sizes, default=12.0)


def on_page_content(html: str, page, config, files) -> str:
    if "<img" not in html:
        return html
    soup = BeautifulSoup(html, "html.parser")
    source = evidence.source_of(page)
    hint = evidence.get(config).label("ui", "figure_hint", evidence.language_of(page))
    found = False
    for img in soup.select("figure img[src$='.svg']"):
        path = Path(page.file.abs_src_path).parent / img["src"]
        width, height, smallest = svg_geometry(path, source)
        shown = float(img.get("width") or width)
        img["width"] = f"{shown:g}"
        img["height"] = f"{round(shown * height / width):g}"
        if img.parent.name != "a":
            link = soup.new_tag("a", href=img["src"], attrs={
                "class": "atlas-figure-link", "data-pswp-width": f"{width:g}", "data-pswp-height": f"{height:g}",
                "data-smallest-label": f"{smallest:g}"})
            img.wrap(link)
        caption = img.find_parent("figure").find("figcaption")
        if caption is not None and not caption.select_one(".atlas-figure-hint"):
            note = soup.new_tag("span", attrs={"class": "atlas-figure-hint", "data-search-exclude": ""})
            note.string = hint
            caption.append(note)
        found = True
    if not found:
        return html
    page.meta["atlas_figures"] = True
    return str(soup)
