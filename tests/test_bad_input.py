"""Each class of authoring mistake fails the build with a message that names the file."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from conftest import ROOT, build

sys.path.insert(0, str(ROOT / "hooks"))
import same_origin_only  # noqa: E402


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def _assert_fails(project: Path, tmp_path: Path, *expected: str) -> str:
    result = build(project, tmp_path / "site")
    assert result.returncode != 0, f"the build passed despite the defect:\n{result.output[-3000:]}"
    for text in expected:
        assert text in result.output, f"build output does not mention {text!r}:\n{result.output[-3000:]}"
    return result.output


def test_broken_link_fails_and_names_the_file(project_copy, tmp_path):
    _append(project_copy / "docs/zh/about.md", "\n\n[不存在的页面](no-such-page.md)\n")
    _assert_fails(project_copy, tmp_path, "zh/about.md", "no-such-page.md")


def test_broken_anchor_fails_and_names_the_file(project_copy, tmp_path):
    _append(project_copy / "docs/en/about.md", "\n\n[Home](index.md#no-such-anchor)\n")
    _assert_fails(project_copy, tmp_path, "en/about.md", "no-such-anchor")


def test_page_missing_in_one_language_fails_and_names_the_file(project_copy, tmp_path):
    (project_copy / "docs/zh/about.md").unlink()
    _assert_fails(project_copy, tmp_path, "docs/zh/about.md is missing")


def test_page_missing_from_the_navigation_fails_and_names_the_file(project_copy, tmp_path):
    for lang, title in (("en", "Orphan"), ("zh", "孤立页面")):
        (project_copy / f"docs/{lang}/orphan.md").write_text(
            f"---\nlast_reviewed: 2026-11-27\n---\n\n# {title}\n", encoding="utf-8")
    _assert_fails(project_copy, tmp_path, "orphan.md", "not included in the \"nav\"")


@pytest.mark.parametrize("front_matter, message", [
    ("", "has no 'last_reviewed"),
    ("---\nlast_reviewed: 27/11/2026\n---\n", "is not a YYYY-MM-DD date"),
])
def test_missing_or_malformed_review_date_fails_and_names_the_file(project_copy, tmp_path, front_matter, message):
    page = project_copy / "docs/en/about.md"
    body = page.read_text(encoding="utf-8").split("---\n", 2)[2]
    page.write_text(front_matter + body, encoding="utf-8")
    _assert_fails(project_copy, tmp_path, "docs/en/about.md", message)


@pytest.mark.parametrize("value, message", [
    ("2026-02-30", "last_reviewed '2026-02-30' is not a real date"),
    ("2099-01-01", "last_reviewed 2099-01-01 is in the future"),
])
def test_impossible_or_future_review_date_fails_and_names_the_file(project_copy, tmp_path, value, message):
    page = project_copy / "docs/zh/about.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace(text.split("last_reviewed: ", 1)[1].split("\n", 1)[0], value, 1), encoding="utf-8")
    _assert_fails(project_copy, tmp_path, "docs/zh/about.md", message)


def test_front_matter_that_is_not_yaml_fails_and_names_the_file(project_copy, tmp_path):
    page = project_copy / "docs/en/about.md"
    page.write_text(page.read_text(encoding="utf-8").replace("---\n", "---\ntags: [unclosed\n", 1), encoding="utf-8")
    _assert_fails(project_copy, tmp_path, "docs/en/about.md", "front matter is not valid YAML")


# each SVG defect, added to one figure; the build names the figure, the line and the problem
@pytest.mark.parametrize("defect, message", [
    ('<script>alert(1)</script>', "<script> element"),
    ('<rect width="1" height="1" onload="alert(1)"/>', "event handler onload"),
    ('<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>', "<foreignObject> element"),
    ('<image href="https://example.org/x.png" width="1" height="1"/>', "refers to 'https://example.org/x.png'"),
    ('<use xmlns:xlink="http://www.w3.org/1999/xlink" xlink:href="//cdn.example.org/s.svg#a"/>',
     "refers to '//cdn.example.org/s.svg#a'"),
    ('<style>.x { fill: url(https://example.org/p.svg#g) }</style>', "CSS url(https://example.org/p.svg#g)"),
    ('<style>@import "https://example.org/f.css";</style>', "CSS @import"),
])
def test_unsafe_svg_figure_fails_and_names_the_file_and_line(project_copy, tmp_path, defect, message):
    figure = project_copy / "docs/zh/figures/fratricide.svg"
    text = figure.read_text(encoding="utf-8")
    end = text.rindex("</svg>")
    figure.write_text(text[:end] + defect + "\n" + text[end:], encoding="utf-8")
    line = text[:end].count("\n") + 1
    _assert_fails(project_copy, tmp_path, f"docs/zh/figures/fratricide.svg: line {line}", message)


RAW_HTML_THAT_FETCHES = [  # (markup, what the message quotes)
    ('<script src="https://cdn.example.org/x.js"></script>', '<script src="https://cdn.example.org/x.js">'),
    ('<iframe src="https://video.example.org/embed/1" title="x"></iframe>', '<iframe src="https://video.example.org'),
    ('<img alt="x" src="//images.example.org/a.png">', '<img src="//images.example.org/a.png">'),
    ('<link rel="stylesheet" href="https://fonts.example.org/a.css">', '<link href="https://fonts.example.org'),
    ('<p style="background: url(https://example.org/b.png)">x</p>', "url(https://example.org/b.png)"),
    ('<object data="https://example.org/a.pdf"></object>', '<object data="https://example.org/a.pdf">'),
]


def test_raw_html_that_would_fetch_from_another_host_fails_and_names_the_page(project_copy, tmp_path):
    # one page holding every kind: the message lists each request it would make (one build, not six)
    _append(project_copy / "docs/en/about.md", "".join(f"\n\n{markup}\n" for markup, _ in RAW_HTML_THAT_FETCHES))
    output = _assert_fails(project_copy, tmp_path, "docs/en/about.md", "request outside the site",
                           *(message for _, message in RAW_HTML_THAT_FETCHES))
    assert output.count("(line ") >= len(RAW_HTML_THAT_FETCHES), f"the message does not give each source line:\n{output[-2000:]}"


@pytest.mark.parametrize("markup, found", [
    ('<img alt="x" src="&#47;&#47;images.example.org/a.png">', '<img src="&#47;&#47;images.example.org/a.png">'),
    ('<img alt="a<b" src="https://example.org/q.png">', '<img src="https://example.org/q.png">'),
    ('<img alt="a>b" src="https://example.org/q.png">', '<img src="https://example.org/q.png">'),
    ('<IMG ALT="x" SRC="https://example.org/u.png">', '<img src="https://example.org/u.png">'),
    ('<img alt="x" srcset="a.png 1x, https://example.org/b.png 2x">', '<img srcset="https://example.org/b.png 2x">'),
    ('<svg><use xlink:href="//cdn.example.org/s.svg#a"/></svg>', '<use xlink:href="//cdn.example.org/s.svg#a">'),
    ('<meta http-equiv="refresh" content="0; url=https://example.org/">', '<meta http-equiv="refresh"'),
    ('<form action="https://example.org/f"></form>', '<form action="https://example.org/f">'),
    ('<base href="https://example.org/">', '<base href="https://example.org/">'),
    ('<style>p { background: url(https://example.org/x.png) }</style>', "<style> loads url(https://example.org/x.png)"),
    ('<SCRIPT>let a = "<img src=https://example.org/in-script.png>"</SCRIPT><img alt="" src="https://example.org/after.png">',
     '<img src="https://example.org/after.png">'),
    ('<div data-md-component="source"></div>', "repository widget"),
])
def test_the_outside_request_check_reads_markup_as_a_browser_does(markup, found):
    """The check reads only the tags where an address could be: each of these must still be found."""
    requests = same_origin_only.outside_requests(f"<html><head></head><body><p>Note: see below.</p>{markup}</body></html>")
    assert any(found in request for request in requests), f"{markup!r}: found {requests}"
    assert len(requests) == 1, f"{markup!r}: found more than the one request: {requests}"


@pytest.mark.parametrize("markup", [
    '<a href="https://example.org/">a link is followed, not fetched</a>',
    '<link rel="canonical" href="https://example.org/about.html">',
    '<!-- <img src="https://example.org/x.png"> -->',
    '<script>let a = "<img src=https://example.org/x.png>"</script>',
    '<img alt="Ratio 3:1 &amp; more" src="figures/a.svg">',
])
def test_the_outside_request_check_passes_what_fetches_nothing_outside(markup):
    assert same_origin_only.outside_requests(f"<html><head></head><body>{markup}</body></html>") == []


def test_mermaid_block_fails_because_the_theme_would_load_it_from_a_cdn(project_copy, tmp_path):
    _append(project_copy / "docs/zh/about.md", '\n\n<pre class="mermaid">graph LR; A-->B</pre>\n')
    _assert_fails(project_copy, tmp_path, "docs/zh/about.md", "mermaid", "unpkg.com")


def test_stylesheet_that_loads_from_another_host_fails_and_names_the_file(project_copy, tmp_path):
    _append(project_copy / "docs/assets/stylesheets/atlas.css",
            '\n@import url("https://fonts.example.org/css?family=X");\n')
    _assert_fails(project_copy, tmp_path, "assets/stylesheets/atlas.css", "https://fonts.example.org/css")


@pytest.mark.parametrize("typed, message", [
    ("NCT123", "'NCT123' is not a registry ID"),
    ("NCT0476248512", "'NCT0476248512' is not a registry ID"),
    ("NCT09999999", "'NCT09999999' is in no data file"),
])
def test_registry_id_typed_in_prose_is_checked(project_copy, tmp_path, typed, message):
    _append(project_copy / "docs/zh/about.md", f"\n\n另见试验 {typed}。\n")
    _assert_fails(project_copy, tmp_path, "docs/zh/about.md:", message)


def test_lone_image_without_alt_text_fails_and_names_the_file(project_copy, tmp_path):
    _append(project_copy / "docs/en/about.md", "\n\n![](figures/fratricide.svg)\n")
    _assert_fails(project_copy, tmp_path, "docs/en/about.md:", "figures/fratricide.svg has no alt text")


@pytest.mark.parametrize("file, chinese, copied, message", [
    ("data/labels.yaml", "zh: 最近审阅}", "zh: Last reviewed}",
     "data/labels.yaml: ui.last_reviewed.zh: the Chinese text is the English copied unchanged"),
    ("data/glossary.yaml", "  zh: 急性髓系白血病\n", "  zh: acute myeloid leukemia\n",
     "data/glossary.yaml: 'aml'.zh: the Chinese text is the English copied unchanged"),
])
def test_chinese_data_copied_from_english_fails_and_names_the_key(project_copy, tmp_path, file, chinese, copied,
                                                                   message):
    path = project_copy / file
    text = path.read_text(encoding="utf-8")
    assert chinese in text, f"{file} no longer holds {chinese!r}: update this test"
    path.write_text(text.replace(chinese, copied, 1), encoding="utf-8")
    _assert_fails(project_copy, tmp_path, message)


def test_labels_are_inserted_as_text_not_as_html(project_copy, tmp_path):
    """Every label of data/labels.yaml gets markup appended; no page may contain it as an element."""
    import yaml
    from lxml import html as lxml_html

    path = project_copy / "data/labels.yaml"
    labels = yaml.safe_load(path.read_text(encoding="utf-8"))

    def mark(value):
        if isinstance(value, str):
            return value + ' <b id="LM">&#38;</b>'  # no English word: the translation check must not fire
        if isinstance(value, list):
            return [mark(item) for item in value]
        if isinstance(value, dict):
            return {key: mark(item) for key, item in value.items()}
        return value

    path.write_text(yaml.safe_dump(mark(labels), allow_unicode=True), encoding="utf-8")
    result = build(project_copy, tmp_path / "site")
    assert result.returncode == 0, f"the build failed with marked-up labels:\n{result.output[-3000:]}"
    leaked = []
    for page in sorted(result.site.rglob("*.html")):
        root = lxml_html.fromstring(page.read_bytes())
        if root.xpath("//b[@id='LM']"):
            leaked.append(page.relative_to(result.site).as_posix())
    assert not leaked, f"labels inserted as HTML, not escaped, on: {leaked}"
    escaped = (result.site / "zh/fratricide.html").read_text(encoding="utf-8")
    assert '&lt;b id="LM"&gt;' in escaped, "the label text is not on the page at all"
