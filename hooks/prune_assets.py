"""Leave out of site/ what no page loads: the theme's source maps and the search-language files of
languages this site does not use (about 2 MB that readers, hosts and the offline bundle need not carry)."""

from __future__ import annotations

from pathlib import Path

from mkdocs.plugins import event_priority

# lunr files the search worker loads for English + Chinese
KEEP_LUNR = {"lunr.stemmer.support.min.js", "lunr.multi.min.js", "lunr.zh.min.js"}


@event_priority(-200)
def on_post_build(config) -> None:
    i18n = config.plugins.get("i18n")
    if i18n is not None and i18n.building:  # only once, after every language is built
        return
    site = Path(config.site_dir)
    for source_map in site.glob("assets/**/*.map"):
        source_map.unlink()
    for lunr_file in (site / "assets/javascripts/lunr/min").glob("*.js"):
        if lunr_file.name not in KEEP_LUNR:
            lunr_file.unlink()
    for segmenter in ("tinyseg.js", "wordcut.js"):  # Japanese, Thai/Hindi only
        (site / "assets/javascripts/lunr" / segmenter).unlink(missing_ok=True)
