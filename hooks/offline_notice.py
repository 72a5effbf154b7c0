"""In the offline bundle (scripts/offline-bundle sets ATLAS_OFFLINE_BUILD_DATE), every page says when the copy
was made and that the online site may be newer."""

from __future__ import annotations

import html
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import evidence  # noqa: E402  (labels live in data/labels.yaml)


def on_page_content(content: str, page, config, files) -> str:
    date = os.environ.get("ATLAS_OFFLINE_BUILD_DATE")
    if not date:
        return content
    notice = evidence.get(config).label("ui", "offline_notice", evidence.language_of(page))
    text = html.escape(notice.format(date=date))
    return f'<p class="atlas-offline-notice" role="note" data-search-exclude>{text}</p>\n{content}'
