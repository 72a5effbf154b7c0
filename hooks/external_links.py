"""Every link that leaves the site opens with rel="noopener" (and "external" for screen readers and print)."""

from __future__ import annotations

from urllib.parse import urlsplit

from bs4 import BeautifulSoup
from mkdocs.plugins import event_priority


@event_priority(-50)  # after the hooks that add reference links
def on_page_content(html: str, page, config, files) -> str:
    soup = BeautifulSoup(html, "html.parser")
    changed = False
    for link in soup.find_all("a", href=True):
        if urlsplit(link["href"]).scheme in ("http", "https"):
            rel = set(link.get("rel") or [])
            if not {"noopener", "external"} <= rel:
                link["rel"] = sorted(rel | {"noopener", "external"})
                changed = True
    return str(soup) if changed else html
