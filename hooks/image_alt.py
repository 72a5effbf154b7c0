"""Every image in a page says what it shows: an image with no alt text fails the build.

axe and screen readers take `alt=""` for a decorative image and skip it, so a figure written as `![](x.svg)`
would silently vanish for a reader who cannot see it. This site has no decorative images in its pages.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError

sys.path.insert(0, str(Path(__file__).parent))
import evidence  # noqa: E402

_IMG = re.compile(r"<img\b[^>]*>", re.I)
_ATTRIBUTE = re.compile(r"""\b(alt|src)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)


def on_page_content(html: str, page, config, files) -> str:
    problems = []
    for tag in _IMG.findall(html):
        attributes = {m.group(1).lower(): m.group(2) or m.group(3) or m.group(4) or "" for m in _ATTRIBUTE.finditer(tag)}
        if not attributes.get("alt", "").strip():
            src = attributes.get("src", "?")
            name = src.rsplit("/", 1)[-1]
            problems.append(f"{evidence.source_of(page)}:{evidence.line_of(page, name)}: the image {src} has no "
                            "alt text; write what it shows: ![what the figure shows](" + src + ")")
    if problems:
        raise PluginError("Images without alt text:\n  " + "\n  ".join(problems))
    return html
