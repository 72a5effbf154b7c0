"""The offline bundle: one command makes a dated zip that opens from file:// with switch and search working."""

from __future__ import annotations

import os
import subprocess
import zipfile

import pytest

from conftest import ROOT, Reader

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    out = tmp_path_factory.mktemp("bundle")
    env = dict(os.environ, ATLAS_OFFLINE_BUILD_DATE="2026-11-27")
    proc = subprocess.run([str(ROOT / "scripts/offline-bundle"), str(out)], env=env, capture_output=True,
                          text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    archive = out / "cd7-car-t-atlas-offline-2026-11-27.zip"
    assert archive.is_file(), f"no dated zip in {list(out.iterdir())}"
    with zipfile.ZipFile(archive) as zipped:
        names = zipped.namelist()
        assert not [n for n in names if n.endswith(".map")], "source maps in the bundle"
        zipped.extractall(out / "unzipped")
    return out / "unzipped" / "cd7-car-t-atlas-offline-2026-11-27"


def test_bundle_has_a_bilingual_how_to_open_note(bundle):
    note = (bundle / "HOW-TO-OPEN.txt").read_text(encoding="utf-8")
    assert "index.html" in note and "打开方法" in note and "2026-11-27" in note


def test_unzipped_bundle_reads_offline_with_switch_and_search(browser, bundle):
    root = bundle.as_uri() + "/"
    reader = Reader(browser, root)
    try:
        page = reader.page
        page.goto(root + "fratricide.html")
        notice = page.locator(".atlas-offline-notice")
        assert notice.is_visible() and "2026-11-27" in notice.inner_text()
        page.hover(".md-header__option .md-select")
        with page.expect_navigation():
            page.click("a.md-select__link[hreflang='zh']")
        assert page.url == root + "zh/fratricide.html"
        assert "离线副本" in page.locator(".atlas-offline-notice").inner_text()
        chinese = reader.search("自相残杀")
        assert chinese and all(r.startswith(root + "zh/") for r in chinese), chinese
        page.goto(root + "index.html")
        english = reader.search("fratricide")
        assert english and all("/zh/" not in r for r in english), english
        assert not reader.foreign_requests(), reader.foreign_requests()
        assert not reader.unexpected_errors(), reader.unexpected_errors()
    finally:
        reader.context.close()
