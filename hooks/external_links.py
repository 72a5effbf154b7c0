"""Every link that leaves the site opens with rel="noopener" (and "external" for screen readers and print)."""

from __future__ import annotations

from urllib.parse import urlsplit

import lxml.html
from mkdocs.plugins import event_priority


@event_priority(-50)  # after the hooks that add reference links
def on_page_content(html: str, page, config, files) -> str:
    if "http" not in html:
        return html
    root = lxml.html.fragment_fromstring(html, create_parent="div")  # lxml: far faster than BeautifulSoup
    changed = False
    for link in root.iter("a"):
        if urlsplit(link.get("href", "")).scheme in ("http", "https"):
            rel = set((link.get("rel") or "").split())
            if not {"noopener", "external"} <= rel:
                link.set("rel", " ".join(sorted(rel | {"noopener", "external"})))
                changed = True
    return lxml.html.tostring(root, encoding="unicode")[len("<div>"):-len("</div>")] if changed else html
