"""Every link that leaves the site opens with rel="noopener" (and "external" for screen readers and print)."""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.plugins import event_priority

sys.path.insert(0, str(Path(__file__).parent))
import html_fragment  # noqa: E402


@event_priority(-50)  # after the hooks that add reference links
def on_page_content(html: str, page, config, files) -> str:
    if "http" not in html:
        return html
    root = html_fragment.parse(html)  # lxml: far faster than BeautifulSoup
    changed = False
    for link in root.iter("a"):
        if urlsplit(link.get("href", "")).scheme in ("http", "https"):
            rel = set((link.get("rel") or "").split())
            if not {"noopener", "external"} <= rel:
                link.set("rel", " ".join(sorted(rel | {"noopener", "external"})))
                changed = True
    return html_fragment.serialize(root) if changed else html
