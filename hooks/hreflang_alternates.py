"""Make the hreflang alternates in each page's <head> absolute addresses on the published site (site_url),
as search engines require. Local and file:// copies remove them before the theme would fetch a sitemap
from the published host (docs/assets/javascripts/local-alternates.js)."""

from __future__ import annotations

import re
from urllib.parse import urljoin

_ALTERNATE = re.compile(r'(<link rel="alternate" href=")([^"]*)(" hreflang="[^"]+">)')


def on_post_page(output: str, page, config) -> str:
    if not config.site_url:
        return output
    here = urljoin(config.site_url, page.url)
    return _ALTERNATE.sub(lambda m: m.group(1) + urljoin(here, m.group(2)) + m.group(3), output)
