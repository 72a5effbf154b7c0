"""Fixtures shared by the test suite: the real built site, a copy of the project for bad-input builds,
a local web server, and the real Chromium (Debian package) driven by Playwright."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
LANGUAGES = ("en", "zh")
DEFAULT_LANGUAGE = "en"
# what a copy of the project needs to build
PROJECT_PARTS = ("mkdocs.yml", "docs", "hooks", "overrides", "data")


@dataclass
class BuildResult:
    returncode: int
    output: str
    site: Path


def build(project: Path, site: Path) -> BuildResult:
    """`mkdocs build --strict` of a project folder into `site`; never raises."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean",
         "--config-file", str(project / "mkdocs.yml"), "--site-dir", str(site)],
        cwd=project, env=env, capture_output=True, text=True, timeout=600,
    )
    return BuildResult(proc.returncode, proc.stdout + proc.stderr, site)


def copy_project(target: Path) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, target / part)
        elif source.exists():
            shutil.copy2(source, target / part)
    return target


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The real site, built once per test session from the working tree."""
    result = build(ROOT, tmp_path_factory.mktemp("site") / "site")
    assert result.returncode == 0, f"mkdocs build --strict failed:\n{result.output[-6000:]}"
    return result.site


@pytest.fixture
def project_copy(tmp_path) -> Path:
    """A throw-away copy of the project, for injecting one defect and building it."""
    return copy_project(tmp_path / "project")


def page_names() -> list[str]:
    """Every page of the site as an .html path relative to a language root, from the English sources."""
    docs = ROOT / "docs" / DEFAULT_LANGUAGE
    return sorted(p.relative_to(docs).with_suffix(".html").as_posix() for p in docs.rglob("*.md"))


def language_root(site: Path, language: str) -> Path:
    return site if language == DEFAULT_LANGUAGE else site / language


# --- browser ---------------------------------------------------------------------------------------

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    # without these Chromium phones home at start-up, which this machine's closed network refuses
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    executable = os.environ.get("ATLAS_CHROMIUM", "/usr/bin/chromium")
    if not Path(executable).exists():
        # a missing browser is a failure, never a skip: scripts/test installs it
        pytest.fail(f"Chromium not found at {executable}; run scripts/test, which installs it "
                    "(apt-get install chromium), or set ATLAS_CHROMIUM")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def http_url(site) -> str:
    """The built site served over http://127.0.0.1 (any free port)."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(params=["http", "file"])
def site_url(request, site) -> str:
    """The site's root URL, once over a web server and once from file:// with no server."""
    if request.param == "http":
        return request.getfixturevalue("http_url")
    return site.as_uri() + "/"


class Reader:
    """One browser tab that remembers every request and console error."""

    def __init__(self, browser, site_url: str, **context_options):
        self.origin = urlsplit(site_url)
        self.context = browser.new_context(**context_options)
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def foreign_requests(self) -> list[str]:
        foreign = []
        for url in self.requests:
            parts = urlsplit(url)
            if parts.scheme in ("data", "blob", "about"):
                continue
            if (parts.scheme, parts.netloc) != (self.origin.scheme, self.origin.netloc):
                foreign.append(url)
        return foreign

    def unexpected_errors(self) -> list[str]:
        # none accepted, from file:// either: the theme's sitemap fetch is avoided (local-alternates.js)
        return list(self.errors)

    def open_search(self) -> None:
        """Open the theme's search as a reader does (the '/' key); wait until its entries have loaded."""
        page = self.page
        page.wait_for_load_state("load")
        if not page.evaluate("!!document.activeElement && document.activeElement.matches('.md-search__input')"):
            page.keyboard.press("/")
        # the entries load when search first opens; until then the theme says it is initialising
        page.wait_for_function(
            "() => { const m = document.querySelector('.md-search-result__meta');"
            " return m && !/Initializing|正在初始化/.test(m.textContent) }", timeout=15000)

    def search(self, query: str) -> list[str]:
        """Put a query into the theme's search box as pasted text (an `input` event, no key press); return
        the result links (absolute URLs) in the order shown."""
        return [href for href, _ in self.search_scored(query)]

    def search_scored(self, query: str) -> list[tuple[str, float]]:
        """Like search(), with the theme's score of each result."""
        page = self.page
        self.open_search()
        box = page.locator("input.md-search__input")
        box.fill("")
        page.wait_for_function(_META_SHOWS_PLACEHOLDER, timeout=15000)
        box.fill(query)
        page.wait_for_function(f"() => !({_META_SHOWS_PLACEHOLDER})()", timeout=15000)
        return [tuple(r) for r in page.eval_on_selector_all(
            ".md-search-result__link",
            "links => links.map(a => [a.href, +a.querySelector('[data-md-score]').dataset.mdScore])")]


_META_SHOWS_PLACEHOLDER = ("() => { const m = document.querySelector('.md-search-result__meta');"
                           " return !!m && /Type to start|键入以开始/.test(m.textContent) }")


@pytest.fixture
def reader(browser, site_url):
    tab = Reader(browser, site_url)
    yield tab
    foreign, errors = tab.foreign_requests(), tab.unexpected_errors()
    tab.context.close()
    assert not foreign, f"requests left the site's origin: {foreign}"
    assert not errors, f"console errors: {errors}"


def site_url_for(site_url: str, language: str, name: str) -> str:
    """The URL of a page (name relative to its language root) in a language."""
    return site_url + ("" if language == "en" else f"{language}/") + name
