"""Measure the site against its performance budget and print the figures as a Markdown table.

- build time of the whole site (mkdocs build --strict, both languages);
- build-speed ratio: the real project's build time divided by the build time of the same docs/ with the
  project's hooks switched off (median of alternating runs), on the real site and on a synthetic site ten
  times larger (both languages), to show that the hooks' cost per page does not grow with the site
  (budget: 1.5 for both);
- bytes a page transfers over http on first load, everything fetched before the reader interacts (raw and
  gzip-compressed, as a static host would serve them), for every page; budget: 120 KB compressed for a text
  page (fratricide.html is the typical one); the heaviest page is named;
- search index size per language (search/search_docs.js, which loads when search first opens; raw and
  compressed); budget: 60 KB compressed;
- time from opening a page via file:// to the first search result, per language, and from the last input to
  the results shown once the index has loaded (budget: 300 ms);
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
import re
import resource
import shutil
import statistics
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
INDEX_BUDGET_KB = 60
RESULT_BUDGET_MS = 300
RATIO_BUDGET = 1.5
TYPICAL_PAGE = "fratricide.html"
# queries timed from file:// once the index has loaded
TIMED_QUERIES = {"en": ["fratricide", "CRS", "RD13-01", "relapse after CAR-T", "base editing", "my own cells"],
                 "zh": ["自相残杀", "CD7阴性复发", "细胞因子释放综合征", "碱基编辑", "复发", "用自己的细胞"]}
# milliseconds from an input event to the theme's rewritten result count (it renders the list in the same task)
_TIME_QUERIES = """async queries => {
  const box = document.querySelector("input.md-search__input")
  const meta = document.querySelector(".md-search-result__meta")
  const times = []
  for (const query of queries) {
    const answered = new Promise(resolve => {
      const observer = new MutationObserver(() => { observer.disconnect(); resolve() })
      observer.observe(meta, { childList: true, characterData: true, subtree: true })
    })
    const start = performance.now()
    box.value = query
    box.dispatchEvent(new InputEvent("input", { bubbles: true, inputType: "insertText", data: query }))
    await answered
    times.push(performance.now() - start)
  }
  return times
}"""
PROJECT_PARTS = ("mkdocs.yml", "docs", "hooks", "overrides", "data")
PAGES = ["index.html", "fratricide.html", "clinical-results.html", "glossary.html", "trials.html", "zh/trials.html",
         "zh/index.html", "zh/fratricide.html", "zh/clinical-results.html"]


def kb(n: int) -> str:
    return f"{n / 1024:.1f}"


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def timed_build(config: Path, site: Path) -> float:
    """CPU seconds (user + system) of one build: unlike wall-clock time, hardly moved by other load on the
    machine, so the ratio of two builds in one run is stable."""
    start = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "--strict",
                    "--config-file", str(config), "--site-dir", str(site)],
                   cwd=config.parent, check=True, env=dict(os.environ, NO_MKDOCS_2_WARNING="1"),
                   stderr=subprocess.DEVNULL)
    end = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (end.ru_utime - start.ru_utime) + (end.ru_stime - start.ru_stime)


def without_hooks(project: Path) -> Path:
    """A configuration of the same project with its hooks switched off (literal markers stay in the pages)."""
    text = (project / "mkdocs.yml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^hooks:\n(?:[ \t]+.*\n|[ \t]*\n)*", "", text)
    config = project / "mkdocs-no-hooks.yml"
    config.write_text(text, encoding="utf-8")
    return config


def synthetic_project(copies: int) -> Path:
    """A copy of the project with every page present `copies` times in both languages (and in the nav)."""
    project = Path(tempfile.mkdtemp()) / "project"
    project.mkdir()
    for part in PROJECT_PARTS:
        source = ROOT / part
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, project / part)
    names = sorted(p.stem for p in (ROOT / "docs" / "en").glob("*.md"))
    nav = []
    for copy in range(1, copies):
        for name in names:
            for language in ("en", "zh"):
                shutil.copy2(project / "docs" / language / f"{name}.md", project / "docs" / language / f"{name}-{copy}.md")
            nav.append(f"      - {name} {copy}: {name}-{copy}.md\n")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("\nnav:\n", "\nnav:\n  - Synthetic:\n" + "".join(nav), 1), encoding="utf-8")
    return project


def build_ratio(project: Path, runs: int) -> tuple[float, float, float]:
    """(median with hooks, median without, ratio), builds alternating so that load on the machine hits both;
    one untimed build of each first, so that no timed build pays for filling caches (.cache/, jieba's)."""
    site = Path(tempfile.mkdtemp()) / "site"
    plain = without_hooks(project)
    with_hooks, no_hooks = [], []
    try:
        timed_build(project / "mkdocs.yml", site)
        timed_build(plain, site)
        for _ in range(runs):
            with_hooks.append(timed_build(project / "mkdocs.yml", site))
            no_hooks.append(timed_build(plain, site))
    finally:
        plain.unlink()
    a, b = statistics.median(with_hooks), statistics.median(no_hooks)
    return a, b, a / b


def main() -> int:
    # --skip-ratios: the page, index and search figures only (the ratios take most of the run)
    ratios = {} if "--skip-ratios" in sys.argv else {
        "real site": build_ratio(ROOT, runs=5), "synthetic site, 10× the pages": build_ratio(synthetic_project(10), runs=5)}
    if "--ratios-only" in sys.argv:
        print_ratios(ratios)
        return 0
    site = Path(tempfile.mkdtemp()) / "site"
    build_seconds = timed_build(ROOT / "mkdocs.yml", site)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"

    every_page = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html") if p.name != "404.html")
    weights, over_budget = {}, []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=os.environ.get("ATLAS_CHROMIUM", "/usr/bin/chromium"), args=CHROMIUM_ARGS)
        for name in every_page:
            context = browser.new_context()
            page = context.new_page()
            bodies: dict[str, bytes] = {}
            page.on("response", lambda r: bodies.__setitem__(r.url, r.body()) if r.ok else None)
            page.goto(base + name, wait_until="networkidle")
            # on a busy machine the theme's script can run past "network idle" and fetch more afterwards
            seen = -1
            while seen != len(bodies):
                seen = len(bodies)
                page.wait_for_timeout(2000)
            context.close()
            # everything the first load fetches (search_docs.js comes only when search is opened)
            raw = sum(len(b) for b in bodies.values())
            packed = sum(len(gzip.compress(b, 6)) for b in bodies.values())
            weights[name] = (len(bodies), raw, packed, any("search_docs" in u for u in bodies))
            if packed > BUDGET_KB * 1024:
                over_budget.append(name)

        timings, latencies = {}, {}
        for language, query in (("en", "fratricide"), ("zh", "自相残杀")):
            reader = Reader(browser, site.as_uri() + "/")
            url = site.as_uri() + ("/" if language == "en" else "/zh/") + "index.html"
            start = time.perf_counter()
            reader.page.goto(url)
            results = reader.search(query)
            timings[language] = (time.perf_counter() - start, len(results))
            reader.page.locator("input.md-search__input").fill("")
            latencies[language] = reader.page.evaluate(_TIME_QUERIES, TIMED_QUERIES[language])
            reader.context.close()
        browser.close()
    server.shutdown()

    print_ratios(ratios)
    print("| Measure | Value |\n|---|---|")
    print(f"| Build, CPU time, both languages (`mkdocs build --strict`) | {build_seconds:.1f} s |")
    for language, prefix in (("English", ""), ("Chinese", "zh/")):
        index = (site / prefix / "search" / "search_docs.js").read_bytes()
        packed = len(gzip.compress(index, 6))
        flag = "" if packed <= INDEX_BUDGET_KB * 1024 else " — over budget"
        print(f"| Search index, {language} (`{prefix}search/search_docs.js`, loads when search first opens) | "
              f"{kb(len(index))} KB, {kb(packed)} KB gzip (budget {INDEX_BUDGET_KB} KB){flag} |")
    typical = [weights[f"{prefix}{TYPICAL_PAGE}"] for prefix in ("", "zh/")]
    print(f"| First load, typical text page (`{TYPICAL_PAGE}`), English / Chinese | "
          + " / ".join(f"{kb(packed)} KB gzip ({count} requests)" for count, _, packed, _ in typical)
          + f" (budget {BUDGET_KB} KB) |")
    heaviest = max(weights, key=lambda name: weights[name][2])
    count, raw, packed, _ = weights[heaviest]
    print(f"| Heaviest first load (`{heaviest}`) | {kb(raw)} KB, {kb(packed)} KB gzip ({count} requests) |")
    for language, (seconds, count) in timings.items():
        print(f"| file:// open to first search result, {language} | {seconds:.2f} s ({count} results) |")
    for language, times in latencies.items():
        flag = "" if max(times) <= RESULT_BUDGET_MS else " — over budget"
        print(f"| file://, last input to results shown, index loaded, {language} ({len(times)} queries) | "
              f"median {statistics.median(times):.0f} ms, slowest {max(times):.0f} ms (budget {RESULT_BUDGET_MS} ms){flag} |")
    size = sum(f.stat().st_size for f in site.rglob("*") if f.is_file())
    print(f"| Site folder size | {size / 1024 / 1024:.1f} MB |")
    print(f"\n| Page, first load | Requests | Transferred | Gzip (budget {BUDGET_KB} KB) |\n|---|---|---|---|")
    for name in PAGES:
        count, raw, packed, _ = weights[name]
        print(f"| {name} | {count} | {kb(raw)} KB | {kb(packed)} KB |")
    if over_budget:
        print(f"\nOver budget: {', '.join(over_budget)}")
    if loaded := [name for name, weight in weights.items() if weight[3]]:
        print(f"\nThe search index loaded with the page on: {', '.join(loaded)}")
    if "--no-lighthouse" not in sys.argv:
        import lighthouse_scores
        print("\n" + lighthouse_scores.table(lighthouse_scores.scores(os.environ.get("ATLAS_CHROMIUM", "/usr/bin/chromium"))))
    return 0


def print_ratios(ratios) -> None:
    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}\n")
    if not ratios:
        return
    print(f"| Build, CPU time (median of alternating runs) | With hooks | Hooks off | Ratio (budget {RATIO_BUDGET}) |\n|---|---|---|---|")
    for name, (a, b, ratio) in ratios.items():
        flag = "" if ratio <= RATIO_BUDGET else " — over budget"
        print(f"| {name} | {a:.1f} s | {b:.1f} s | {ratio:.2f}{flag} |")
    print()


if __name__ == "__main__":
    sys.exit(main())
