"""Writing checks: Chinese copywriting (autocorrect) on docs/zh/, English spelling (codespell) on docs/en/."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import autocorrect_py
import pytest

from conftest import ROOT

ZH_PAGES = sorted((ROOT / "docs" / "zh").rglob("*.md"))
AUTOCORRECT_CONFIG = ROOT / ".autocorrectrc"


def chinese_lint(text: str, name: str) -> list[str]:
    autocorrect_py.load_config(AUTOCORRECT_CONFIG.read_text(encoding="utf-8"))
    result = autocorrect_py.lint_for(text, name)
    return [f"{name}:{line.line}:{line.col}: {line.old.strip()!r} -> {line.new.strip()!r}" for line in result.lines]


@pytest.mark.parametrize("page", ZH_PAGES, ids=lambda p: p.name)
def test_chinese_copywriting(page):
    problems = chinese_lint(page.read_text(encoding="utf-8"), f"docs/zh/{page.relative_to(ROOT / 'docs/zh')}")
    assert not problems, "CJK spacing/punctuation (autocorrect):\n  " + "\n  ".join(problems)


def test_chinese_lint_catches_missing_spaces_and_half_width_punctuation():
    assert chinese_lint("这是CD7阳性的细胞,很好.\n", "x.md"), "autocorrect accepted bad Chinese copywriting"


def _codespell(*paths: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "codespell_lib", "--ignore-words", str(ROOT / "tests/codespell-allow.txt"),
         *map(str, paths)], capture_output=True, text=True, cwd=ROOT,
    )


def test_english_spelling():
    result = _codespell(ROOT / "docs" / "en", ROOT / "data", ROOT / "README.md")
    assert result.returncode == 0, f"codespell found misspellings:\n{result.stdout}{result.stderr}"


def test_spell_check_catches_a_misspelling(tmp_path):
    bad = tmp_path / "bad.md"
    bad.write_text("The patients recieved lymphodepletion.\n", encoding="utf-8")
    result = _codespell(bad)
    assert result.returncode != 0 and "recieved" in result.stdout
