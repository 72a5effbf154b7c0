"""Parse and write back a page's HTML fragment with lxml, for the hooks that edit the page's content.

Not a hook itself. Plain lxml elements, not lxml.html's: lxml.html's element classes make lxml call back into
Python for every element it hands over, which cost as much as the parse. The tree is built as
lxml.html.fragment_fromstring(create_parent="div") builds it, and written back the same way.
"""

from __future__ import annotations

import lxml.etree

# UTF-8 in and out: libxml2 works in UTF-8, so bytes parse and serialise faster than str
_PARSER = lxml.etree.HTMLParser(encoding="utf-8")


def parse(markup: str):
    """The fragment's nodes inside a <div> (leading white space dropped, as lxml.html does)."""
    document = lxml.etree.fromstring(f"<html><body>{markup}</body></html>".encode("utf-8"), _PARSER)
    body = next(e for e in document if e.tag == "body")
    root = lxml.etree.Element("div")
    if body.text and body.text.strip():
        root.text = body.text
    root.extend(body)
    return root


def serialize(root) -> str:
    """The HTML inside the <div> that parse() made."""
    return lxml.etree.tostring(root, method="html", encoding="utf-8")[len("<div>"):-len("</div>")].decode("utf-8")
