"""Fail the build when a page or figure exists in one language folder and not in the other.

mkdocs-static-i18n would otherwise build a missing Chinese page from the English one (or skip it) and the
strict build would still pass.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError

# files a reader sees in both languages; other assets are shared at docs/ root
_PAIRED_SUFFIXES = {".md", ".svg", ".png", ".jpg", ".jpeg", ".webp"}


def _relative_files(folder: Path) -> set[str]:
    return {
        path.relative_to(folder).as_posix()
        for path in folder.rglob("*")
        if path.is_file() and path.suffix.lower() in _PAIRED_SUFFIXES
    }


def on_pre_build(config) -> None:
    i18n = config.plugins.get("i18n")
    if i18n is None or i18n.building:
        return
    docs = Path(config.docs_dir)
    locales = [lang.locale for lang in i18n.config.languages if lang.build]
    files = {locale: _relative_files(docs / locale) for locale in locales}
    problems = []
    for locale in locales:
        for other in locales:
            for missing in sorted(files[locale] - files[other]):
                problems.append(
                    f"docs/{other}/{missing} is missing: docs/{locale}/{missing} has no "
                    f"'{other}' counterpart (every page and figure needs one in each language)"
                )
    if problems:
        raise PluginError("Language parity:\n  " + "\n  ".join(problems))
