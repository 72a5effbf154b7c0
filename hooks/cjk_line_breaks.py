"""Join hard-wrapped lines between two CJK characters in Chinese pages.

A line break inside a paragraph becomes a space in HTML, and browsers show that space between Chinese
characters ("数字 都能"). Writers may wrap lines in the source; readers see continuous text.
"""

from __future__ import annotations

import re

CJK = r"[\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]"
WRAPPED = re.compile(rf"(?<={CJK})\n[ \t]*(?={CJK})")


def on_page_markdown(markdown: str, page, config, files) -> str:
    if getattr(page.file, "locale", None) != "zh":
        return markdown
    return WRAPPED.sub("", markdown)
