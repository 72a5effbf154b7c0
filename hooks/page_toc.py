"""An "On this page" list at the top of each page with sections, for screens too narrow for the theme's
right-hand table of contents (reading.css hides it where that sidebar shows). A <details> element, so it
opens without JavaScript."""

from __future__ import annotations

import html
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import evidence  # noqa: E402

_AFTER_REVIEW_DATE = re.compile(r'(<p class="atlas-reviewed">.*?</p>)', re.S)


def _items(entries) -> str:  # titles come from the toc extension, already HTML
    return "".join(f'<li><a href="{html.escape(e.url)}">{e.title}</a></li>' for e in entries)


def on_page_content(content: str, page, config, files) -> str:
    sections = [child for top in page.toc for child in top.children] if page.toc else []
    if len(sections) < 3:
        return content
    label = html.escape(evidence.get(config).label("ui", "on_this_page", evidence.language_of(page)))
    block = (f'<details class="atlas-page-toc" data-search-exclude><summary>{label}</summary>'
             f'<nav aria-label="{label}"><ul>{_items(sections)}</ul></nav></details>')
    content, found = _AFTER_REVIEW_DATE.subn(lambda m: m.group(1) + block, content, count=1)
    return content if found else block + content
