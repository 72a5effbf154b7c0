"""Measure the site against its performance budget and print the figures as a Markdown table.

- build time of the whole site (mkdocs build --strict, both languages);
- bytes a typical page transfers over http, without the search index (raw and gzip-compressed, as a
  static host would serve them); budget: 120 KB compressed for a text page;
- search index size per language (raw and compressed);
- time from opening a page via file:// to the first search result, per language;
- Lighthouse (mobile) SEO, accessibility and best-practices scores of every page (scripts/lighthouse_scores.py;
  skip with --no-lighthouse).
Run it with scripts/benchmark (which sets up the environment first).
"""

from __future__ import annotations

import functools
import gzip
import http.server
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from conftest import CHROMIUM_ARGS, Reader  # noqa: E402

BUDGET_KB = 120
PAGES = ["index.html", "fratricide.html", "clinical-results.html", "glossary.html",
         "zh/index.html", "zh/fratricide.html", "zh/clinical-results.html"]


def kb(n: int) -> str:
    return f"{n / 1024:.1f}"


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def main() -> int:
    site = Path(tempfile.mkdtemp()) / "site"
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(site)],
                   cwd=ROOT, check=True, env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
    build_seconds = time.perf_counter() - start

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"

    rows, over_budget = [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=os.environ.get("ATLAS_CHROMIUM", "/usr/bin/chromium"), args=CHROMIUM_ARGS)
        for name in PAGES:
            context = browser.new_context()
            page = context.new_page()
            bodies: dict[str, bytes] = {}
            page.on("response", lambda r: bodies.__setitem__(r.url, r.body()) if r.ok else None)
            page.goto(base + name, wait_until="networkidle")
            context.close()
            assets = {u: b for u, b in bodies.items() if "search_index" not in u}
            raw = sum(len(b) for b in assets.values())
            packed = sum(len(gzip.compress(b, 6)) for b in assets.values())
            rows.append((name, len(assets), raw, packed))
            if packed > BUDGET_KB * 1024:
                over_budget.append(name)

        timings = {}
        for language, query in (("en", "fratricide"), ("zh", "自相残杀")):
            reader = Reader(browser, site.as_uri() + "/")
            url = site.as_uri() + ("/" if language == "en" else "/zh/") + "index.html"
            start = time.perf_counter()
            reader.page.goto(url)
            results = reader.search(query)
            timings[language] = (time.perf_counter() - start, len(results))
            reader.context.close()
        browser.close()
    server.shutdown()

    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}\n")
    print("| Measure | Value |\n|---|---|")
    print(f"| Build time, both languages (`mkdocs build --strict`) | {build_seconds:.1f} s |")
    for language, prefix in (("English", ""), ("Chinese", "zh/")):
        index = (site / prefix / "search" / "search_index.json").read_bytes()
        print(f"| Search index, {language} | {kb(len(index))} KB ({kb(len(gzip.compress(index, 6)))} KB gzip) |")
    for language, (seconds, count) in timings.items():
        print(f"| file:// open to first search result, {language} | {seconds:.2f} s ({count} results) |")
    size = sum(f.stat().st_size for f in site.rglob("*") if f.is_file())
    print(f"| Site folder size | {size / 1024 / 1024:.1f} MB |")
    print(f"\n| Page (without search index) | Requests | Transferred | Gzip (budget {BUDGET_KB} KB) |\n|---|---|---|---|")
    for name, count, raw, packed in rows:
        print(f"| {name} | {count} | {kb(raw)} KB | {kb(packed)} KB |")
    if over_budget:
        print(f"\nOver budget: {', '.join(over_budget)}")
    if "--no-lighthouse" not in sys.argv:
        import lighthouse_scores
        print("\n" + lighthouse_scores.table(lighthouse_scores.scores(os.environ.get("ATLAS_CHROMIUM", "/usr/bin/chromium"))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
