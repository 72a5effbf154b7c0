"""Load the trials page's filter and sort scripts (vendored tablesort + assets/javascripts/trials-explorer.js)
on the page that has the full trials table, and nowhere else. Scripts are files, never inline (CSP)."""

from __future__ import annotations

from mkdocs.utils import get_relative_url

SCRIPTS = ("assets/vendor/tablesort-5.7.1/tablesort.min.js",
           "assets/vendor/tablesort-5.7.1/sorts/tablesort.number.min.js",
           "assets/javascripts/trials-explorer.js")
MARKER = 'class="atlas-trials atlas-trials--full"'


def on_post_page(output: str, page, config) -> str:
    if MARKER not in output:
        return output
    tags = "".join(f'<script src="{get_relative_url(src, page.url)}" defer></script>' for src in SCRIPTS)
    return output.replace("</body>", tags + "</body>", 1)
