"""Put back the HTML that data hooks rendered and left aside (evidence.defer) so Markdown need not parse it:
searchable HTML right after Markdown, the rest after the search plugin has indexed the page."""

from __future__ import annotations

import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

sys.path.insert(0, str(Path(__file__).parent))
import evidence  # noqa: E402


@event_priority(100)  # before the hooks that leave HTML aside
def on_page_markdown(markdown: str, page, config, files) -> str:
    page.__dict__["atlas_generated"] = []  # a page rebuilt by `mkdocs serve` starts afresh
    return markdown


def _restore(html: str, page, searchable: bool) -> str:
    blocks = evidence.generated_blocks(page)

    def restore(match):
        number = evidence.placeholder_number(match)
        if number >= len(blocks):
            raise PluginError(f"{evidence.source_of(page)}: stray placeholder '{match.group(0)}' in the page")
        block, block_searchable = blocks[number]
        return block if block_searchable == searchable else match.group(0)

    return evidence.GENERATED.sub(restore, html) if blocks else html


@event_priority(100)  # before every hook that works on the page's HTML
def on_page_content(html: str, page, config, files) -> str:
    return _restore(html, page, searchable=True)


@event_priority(-100)  # after the search plugin (priority 0) has indexed page.content
def on_page_context(context, page, config, nav):
    page.content = _restore(page.content, page, searchable=False)
    return context
