"""Show each page's `last_reviewed` date (front matter, required) under its title, in the page's language;
in the site footer (with the medical disclaimer link, via page.meta for overrides/partials/copyright.html);
and on paper: the site name, page address and review date at the top of the first page and at the end."""

from __future__ import annotations

import datetime
import re
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.utils import get_relative_url

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
        f'<p class="atlas-reviewed">{label}'
        f'<time datetime="{value.isoformat()}">{value.isoformat()}</time></p>'
    )
    html, found = _H1_END.subn(r"\1" + line, html, count=1)
    if not found:
        html = line + html
    address = (config.site_url or "") + page.url
    prefix = "" if language == "en" else f"{language}/"
    disclaimer = get_relative_url(f"{prefix}about.html", page.url) + "#disclaimer"
    date = f'<time datetime="{value.isoformat()}">{value.isoformat()}</time>'
    page.meta["atlas_footer"] = (
        f'<p class="atlas-footer-meta">{config.site_name} · '
        f'<a href="{disclaimer}">{ev.label("ui", "disclaimer_link", language)}</a> · {label}{date}</p>'
    )
    header = f'<p class="atlas-print-header" data-search-exclude>{config.site_name} · {address} · {label}{value.isoformat()}</p>'
    footer = (
        f'<p class="atlas-print-footer" data-search-exclude>{address} · {label}'
        f"{value.isoformat()}</p>"
    )
    return header + html + footer
