"""Lighthouse (mobile) scores for every page in both languages: SEO, accessibility, best practices.

The site is built with ATLAS_SITE_URL set to the local server's address, so the page is read as it would be
where it is published (absolute hreflang alternates included). Lighthouse comes from npm, pinned, and drives
the same Debian Chromium as the tests (CHROME_PATH). Used by scripts/benchmark; runnable on its own.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LIGHTHOUSE = "lighthouse@12.8.2"
CATEGORIES = ("seo", "accessibility", "best-practices")
CHROME_FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-background-networking "
                "--disable-component-update --disable-sync --no-first-run")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def page_paths() -> list[str]:
    names = sorted(p.relative_to(ROOT / "docs/en").with_suffix(".html").as_posix() for p in (ROOT / "docs/en").rglob("*.md"))
    return names + [f"zh/{n}" for n in names]


def scores(chromium: str) -> dict[str, dict[str, float]]:
    """{page: {category: score}} for every page; raises if npx or Lighthouse cannot run."""
    if shutil.which("npx") is None:
        raise RuntimeError("npx (Node.js) is needed for the Lighthouse figures: apt-get install nodejs npm")
    port = _free_port()
    work = Path(tempfile.mkdtemp())
    site = work / "site"
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(site)], cwd=ROOT,
                   check=True, env=dict(os.environ, NO_MKDOCS_2_WARNING="1", ATLAS_SITE_URL=f"http://127.0.0.1:{port}/"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    results: dict[str, dict[str, float]] = {}
    try:
        for path in page_paths():
            report = work / "report.json"
            subprocess.run(
                ["npx", "--yes", LIGHTHOUSE, f"http://127.0.0.1:{port}/{path}", "--quiet", "--form-factor=mobile",
                 f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={CHROME_FLAGS}",
                 "--output=json", f"--output-path={report}"],
                check=True, env=dict(os.environ, CHROME_PATH=chromium), timeout=300)
            data = json.loads(report.read_text(encoding="utf-8"))
            results[path] = {c: data["categories"][c]["score"] for c in CATEGORIES}
            results[path]["failing"] = [a for c in CATEGORIES for a in
                                        (r["id"] for r in data["categories"][c]["auditRefs"] if r["weight"] > 0)
                                        if (data["audits"][a]["score"] is not None and data["audits"][a]["score"] < 1)]
    finally:
        server.shutdown()
    return results


def table(results: dict[str, dict]) -> str:
    lines = ["| Lighthouse (mobile) | SEO | Accessibility | Best practices |", "|---|---|---|---|"]
    for category_row in (("lowest, all pages", min),):
        label, pick = category_row
        lines.append(f"| {label} ({len(results)} pages) | "
                     + " | ".join(f"{pick(r[c] for r in results.values()):.2f}" for c in CATEGORIES) + " |")
    for path, row in results.items():
        if any(row[c] < 1 for c in CATEGORIES):
            lines.append(f"| {path} | " + " | ".join(f"{row[c]:.2f}" for c in CATEGORIES)
                         + f" |  <!-- {', '.join(row['failing'])} -->")
    return "\n".join(lines)


if __name__ == "__main__":
    print(table(scores(os.environ.get("ATLAS_CHROMIUM", "/usr/bin/chromium"))))
