"""Show each page's `last_reviewed` date (front matter, required) under its title, in the page's language;
in the site footer (with the medical disclaimer link, via page.meta for overrides/partials/copyright.html);
and on paper: the site name, page address and review date at the top of the first page and at the end.

MkDocs drops front matter it cannot parse without a word (an impossible date such as 2026-02-30 is a YAML
error), so the page's own front matter is read again here to say what is wrong and where."""

from __future__ import annotations

import datetime
import re
import sys
from html import escape as html_escape
from pathlib import Path

import yaml
from mkdocs.exceptions import PluginError
from mkdocs.utils import get_relative_url

sys.path.insert(0, str(Path(__file__).parent))
import evidence  # noqa: E402  (labels live in data/labels.yaml)

_H1_END = re.compile(r"(</h1>)", re.I)
_FRONT_MATTER = re.compile(r"\A-{3}[ \t]*\n(.*?\n)(?:-{3}|\.{3})[ \t]*\n", re.S)


def _check_front_matter(page, source: str) -> None:
    """Fail on front matter that YAML cannot read (MkDocs would silently ignore all of it)."""
    try:
        text = Path(page.file.abs_src_path).read_text(encoding="utf-8-sig")
    except (OSError, TypeError):
        return  # a generated page has no source file
    block = _FRONT_MATTER.match(text)
    if not block:
        return
    try:
        evidence.parse_yaml(block.group(1))
    except (yaml.YAMLError, ValueError) as error:  # yaml errors and impossible dates ("day is out of range for month")
        line = getattr(getattr(error, "problem_mark", None), "line", None)
        where = f"{source}:{line + 2}" if line is not None else source
        raw = re.search(r"^last_reviewed:\s*(.*)$", block.group(1), re.M)
        if raw and isinstance(error, ValueError):  # the YAML is fine but the date does not exist
            raise PluginError(f"{source}: last_reviewed '{raw.group(1).strip()}' is not a real date "
                              f"({error})") from None
        raise PluginError(f"{where}: the front matter is not valid YAML: {error}") from None


def on_page_content(html: str, page, config, files) -> str:
    value = page.meta.get("last_reviewed")
    source = f"docs/{page.file.src_uri}"
    _check_front_matter(page, source)
    if value is None:
        raise PluginError(f"{source}: front matter has no 'last_reviewed: YYYY-MM-DD' date")
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value)
        except ValueError:
            raise PluginError(f"{source}: last_reviewed '{value}' is not a YYYY-MM-DD date") from None
    if not isinstance(value, datetime.date):
        raise PluginError(f"{source}: last_reviewed '{value}' is not a YYYY-MM-DD date")
    if value > datetime.date.today():
        raise PluginError(f"{source}: last_reviewed {value.isoformat()} is in the future (today is "
                          f"{datetime.date.today().isoformat()}); give the date the page was last reviewed")
    page.meta["last_reviewed"] = value.isoformat()
    ev, language = evidence.get(config), evidence.language_of(page)
    label = html_escape(ev.label("ui", "last_reviewed", language) + ev.label("ui", "colon", language))
    line = (
        f'<p class="atlas-reviewed" data-search-exclude>{label}'
        f'<time datetime="{value.isoformat()}">{value.isoformat()}</time></p>'
    )
    html, found = _H1_END.subn(r"\1" + line, html, count=1)
    if not found:
        html = line + html
    address = html_escape((config.site_url or "") + page.url)
    site_name = html_escape(config.site_name)
    prefix = "" if language == "en" else f"{language}/"
    disclaimer = get_relative_url(f"{prefix}about.html", page.url) + "#disclaimer"
    date = f'<time datetime="{value.isoformat()}">{value.isoformat()}</time>'
    page.meta["atlas_footer"] = (
        f'<p class="atlas-footer-meta">{site_name} · '
        f'<a href="{disclaimer}">{html_escape(ev.label("ui", "disclaimer_link", language))}</a> · {label}{date}</p>'
    )
    header = f'<p class="atlas-print-header" data-search-exclude>{site_name} · {address} · {label}{value.isoformat()}</p>'
    footer = (
        f'<p class="atlas-print-footer" data-search-exclude>{address} · {label}'
        f"{value.isoformat()}</p>"
    )
    return header + html + footer
