"""Every link, anchor, image, script and stylesheet of the built site resolves; external links are https
and open with rel="noopener"; a page links within its own language (the language switch aside)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

import site_html
from conftest import LANGUAGES, language_root, page_names

ATTRIBUTES = (("a", "href"), ("img", "src"), ("script", "src"), ("link", "href"), ("source", "src"))


def _html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


@lru_cache(maxsize=None)  # a page's ids are looked up once per link to it: one CSS select per page, not per link
def _ids(path: Path) -> frozenset[str]:
    return frozenset(node["id"] for node in site_html.soup(path).select("[id]"))


def _link_problems(site: Path, page: Path) -> list[str]:
    problems = []
    here = page.relative_to(site)
    page_language = "zh" if here.parts[0] == "zh" else "en"
    for tag, attribute in ATTRIBUTES:
        for node in site_html.soup(page).find_all(tag, attrs={attribute: True}):
            url = node[attribute]
            parts = urlsplit(url)
            if parts.scheme in ("http", "https"):
                if tag == "link" and "canonical" in (node.get("rel") or []) or "alternate" in (node.get("rel") or []):
                    continue  # absolute URLs of the published site, checked by the publishing tests
                if parts.scheme != "https" or not parts.netloc or " " in url:
                    problems.append(f"{here}: external link {url!r} is not a well-formed https URL")
                if tag == "a" and "noopener" not in (node.get("rel") or []):
                    problems.append(f"{here}: external link {url!r} lacks rel=\"noopener\"")
                continue
            if parts.scheme in ("mailto", "data") or url.startswith("//"):
                if url.startswith("//"):
                    problems.append(f"{here}: protocol-relative URL {url!r}")
                continue
            if parts.scheme:
                problems.append(f"{here}: unexpected URL scheme in {url!r}")
                continue
            if parts.path.startswith("/"):  # root-absolute (the 404 page, served at any depth)
                target = (site / unquote(parts.path).lstrip("/")).resolve()
            else:
                target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                problems.append(f"{here}: <{tag} {attribute}={url!r}> points to a missing file")
                continue
            if parts.fragment and target.suffix == ".html" and unquote(parts.fragment) not in _ids(target):
                problems.append(f"{here}: link {url!r} points to a missing anchor")
            if tag == "a" and target.suffix == ".html" and not node.get("hreflang"):
                target_rel = target.relative_to(site.resolve())
                target_language = "zh" if target_rel.parts[0] == "zh" else "en"
                # the 404 page is served for any missing URL, so it is not tied to one language root
                if target_language != page_language and here.name != "404.html":
                    problems.append(f"{here}: link {url!r} leaves the '{page_language}' pages for '{target_language}'")
    return problems


def test_every_internal_link_anchor_and_asset_resolves(site):
    problems = [problem for page in _html_files(site) for problem in _link_problems(site, page)]
    assert not problems, f"{len(problems)} broken or unsafe links:\n  " + "\n  ".join(problems[:60])


def test_the_link_checker_catches_a_broken_anchor_and_a_cross_language_link(site, tmp_path):
    """The checker must be able to fail: feed it a page with known defects."""
    bad = tmp_path / "site"
    (bad / "zh").mkdir(parents=True)
    (bad / "index.html").write_text('<p id="a">x</p>', encoding="utf-8")
    (bad / "zh" / "index.html").write_text(
        '<a href="../index.html#nowhere">1</a><a href="../index.html">2</a>'
        '<a href="http://example.org/">3</a><img src="missing.svg">', encoding="utf-8")
    problems = "\n".join(_link_problems(bad, bad / "zh" / "index.html"))
    for expected in ("missing anchor", "leaves the 'zh' pages", "not a well-formed https", "noopener", "missing file"):
        assert expected in problems, f"checker missed: {expected}\n{problems}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_has_its_language_switch(site, language):
    """Each page's switch offers the same page in the other language."""
    for name in page_names():
        page = language_root(site, language) / name
        links = {a["hreflang"]: a["href"] for a in site_html.soup(page).select("a.md-select__link[hreflang]")}
        for other in LANGUAGES:
            assert other in links, f"{page.relative_to(site)}: no language switch link to '{other}'"
            target = (page.parent / links[other]).resolve()
            assert target == (language_root(site, other) / name).resolve(), (
                f"{page.relative_to(site)}: switch to '{other}' goes to {links[other]!r}, not the same page"
            )
