"""In the offline bundle (scripts/offline-bundle sets ATLAS_OFFLINE_BUILD_DATE), every page says when the copy
was made and that the online site may be newer."""

from __future__ import annotations

import html
import os

NOTICE = {
    "en": "Offline copy built on {date} — check the online site for updates.",
    "zh": "离线副本，生成于 {date}。内容可能已有更新，请以在线网站为准。",
}


def on_page_content(content: str, page, config, files) -> str:
    date = os.environ.get("ATLAS_OFFLINE_BUILD_DATE")
    if not date:
        return content
    language = getattr(page.file, "locale", "en")
    text = html.escape(NOTICE[language].format(date=date))
    return f'<p class="atlas-offline-notice" role="note" data-search-exclude>{text}</p>\n{content}'
