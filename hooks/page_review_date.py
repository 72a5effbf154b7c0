"""Show each page's `last_reviewed` date (front matter, required) under its title, in the page's language,
and in a footer line that only print shows: the page's web address and its review date."""

from __future__ import annotations

import datetime
import re
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError

sys.path.insert(0, str(Path(__file__).parent))
import evidence  # noqa: E402  (labels live in data/labels.yaml)

_H1_END = re.compile(r"(</h1>)", re.I)


def on_page_content(html: str, page, config, files) -> str:
    value = page.meta.get("last_reviewed")
    source = f"docs/{page.file.src_uri}"
    if value is None:
        raise PluginError(f"{source}: front matter has no 'last_reviewed: YYYY-MM-DD' date")
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value)
        except ValueError:
            raise PluginError(f"{source}: last_reviewed '{value}' is not a YYYY-MM-DD date") from None
    if not isinstance(value, datetime.date):
        raise PluginError(f"{source}: last_reviewed '{value}' is not a YYYY-MM-DD date")
    page.meta["last_reviewed"] = value.isoformat()
    ev, language = evidence.get(config), evidence.language_of(page)
    label = ev.label("ui", "last_reviewed", language) + ev.label("ui", "colon", language)
    line = (
        f'<p class="atlas-reviewed" data-search-exclude>{label}'
        f'<time datetime="{value.isoformat()}">{value.isoformat()}</time></p>'
    )
    html, found = _H1_END.subn(r"\1" + line, html, count=1)
    if not found:
        html = line + html
    address = (config.site_url or "") + page.url
    footer = (
        f'<p class="atlas-print-footer" data-search-exclude>{address} · {label}'
        f"{value.isoformat()}</p>"
    )
    return html + footer
