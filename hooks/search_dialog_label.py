"""Give the theme's search dialog an accessible name (axe: aria-dialog-name). Material renders the dialog
without one; the label is the theme's own translated word for "Search"."""

from __future__ import annotations

import re

_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'
_INPUT_LABEL = re.compile(r'<input type="text" class="md-search__input" name="query" aria-label="([^"]+)"')


def on_post_page(output: str, page, config) -> str:
    label = _INPUT_LABEL.search(output)
    if _DIALOG not in output or label is None:
        return output
    return output.replace(_DIALOG, _DIALOG[:-1] + f' aria-label="{label.group(1)}">', 1)
