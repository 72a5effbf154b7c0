"""Each class of authoring mistake fails the build with a message that names the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import build


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
