"""Give each language root (site/, site/zh/) its own search index and sitemap.

mkdocs-static-i18n merges the pages of every language into one index (site/search/), so a reader of the
Chinese pages would get English results and vice versa. After the whole build (i18n and offline plugins
included) this hook writes one index per language root (site/search/, site/zh/search/), with locations
relative to that root, in both forms the theme loads: search_index.json (web) and search_index.js (file://).
The Chinese pages are then pointed at their own root through the theme's `__config.base`.
The theme also fetches sitemap.xml next to each language's pages (for the language selector), so each
language root gets a copy of the i18n sitemap.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from mkdocs.plugins import event_priority

_CONFIG_BASE = re.compile(r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.S)


def _i18n(config):
    return config.plugins.get("i18n")


def _language_prefixes(config) -> dict[str, str]:
    """locale -> URL prefix of its pages ('' for the default language)."""
    i18n = _i18n(config)
    return {
        lang.locale: "" if lang.default else f"{lang.locale}/"
        for lang in i18n.config.languages
        if lang.build
    }


_404_PAGES: dict[str, str] = {}


def on_post_template(output: str, template_name: str, config) -> str:
    """Keep each language's 404 page: every language build writes site/404.html, the last one wins."""
    i18n = _i18n(config)
    if template_name == "404.html" and i18n is not None:
        _404_PAGES[i18n.current_language] = output
    return output


def on_post_page(output: str, page, config) -> str:
    """Make a non-default language page look for search/ under its own language root."""
    prefix = next((p for p in _language_prefixes(config).values() if p and page.url.startswith(p)), "")
    if not prefix:
        return output

    def rebase(match: re.Match) -> str:
        data = json.loads(match.group(2))
        # base is the site root relative to this page ("..", "../.."); the language root is one level down
        parts = [part for part in data["base"].split("/") if part]
        data["base"] = "/".join(parts[:-1]) or "."
        return match.group(1) + json.dumps(data, ensure_ascii=False) + match.group(3)

    return _CONFIG_BASE.sub(rebase, output, count=1)


@event_priority(-200)  # after the i18n and offline plugins (-100), which write the merged index
def on_post_build(config) -> None:
    i18n = _i18n(config)
    if i18n is None or i18n.building:  # inner per-language builds: wait for the final merged index
        return
    site = Path(config.site_dir)
    for locale, prefix in _language_prefixes(config).items():  # site/404.html, site/zh/404.html
        if locale in _404_PAGES:
            (site / prefix).mkdir(parents=True, exist_ok=True)
            (site / prefix / "404.html").write_text(_404_PAGES[locale], encoding="utf-8")
    merged_path = site / "search" / "search_index.json"
    merged = json.loads(merged_path.read_text(encoding="utf-8"))
    prefixes = _language_prefixes(config)

    def language_of(location: str) -> str:
        return next((loc for loc, p in prefixes.items() if p and location.startswith(p)),
                    next(loc for loc, p in prefixes.items() if not p))

    for locale, prefix in prefixes.items():
        docs = [
            dict(doc, location=doc["location"][len(prefix):])
            for doc in merged["docs"]
            if language_of(doc["location"]) == locale
        ]
        index = json.dumps({"config": merged["config"], "docs": docs}, ensure_ascii=False, separators=(",", ":"))
        target = site / prefix / "search"
        target.mkdir(parents=True, exist_ok=True)
        (target / "search_index.json").write_text(index, encoding="utf-8")
        if (site / "search" / "search_index.js").exists():  # offline plugin in use
            (target / "search_index.js").write_text(f"var __index = {index}", encoding="utf-8")
        if prefix and (site / "sitemap.xml").exists():
            shutil.copyfile(site / "sitemap.xml", site / prefix / "sitemap.xml")
