"""`[[forest-plot]]`: a forest plot of early response per study with 95% Wilson intervals, drawn at build
time by matplotlib from the numerators and denominators in data/trials.yaml, one static SVG per language
with real text (svg.fonttype none, CJK font families named so the reader's fonts render Chinese). The page
gets the figure with alt text, the plain statement that between-study comparisons are confounded, and the
plotted numbers as a table. Drawing costs about a second, so SVGs are cached by a hash of what is drawn.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import html
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import evidence  # noqa: E402
import trial_format as fmt  # noqa: E402

DIRECTIVE = re.compile(r"^\[\[forest-plot\]\]\s*$", re.M)
FIGURE = "figures/response-forest.svg"
GROUP_ORDER = ("autologous", "donor-derived", "universal", "mixed", "nk", "nkt", "ipsc")
# named in the SVG so the reader's own fonts draw the text; DejaVu Sans ships with matplotlib for metrics
FONTS = {"en": ["DejaVu Sans", "Helvetica", "Arial", "sans-serif"],
         "zh": ["Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "DejaVu Sans",
                "sans-serif"]}
CACHE_VERSION = "1"
e = html.escape
_PENDING: dict[Path, str] = {}


def _study_label(ev, trial: dict, language: str) -> str:
    """The study's short name, else first author and year of its first source."""
    if trial.get("short_name"):
        short = trial["short_name"]
        return short[language] if isinstance(short, dict) else short
    reference = ev.references[trial["refs"][0]]
    author = (reference.get("authors") or "").split(",")[0].split(" ")[0]
    return f"{author} {reference.get('year', '')}".strip() if author else trial["refs"][0]


def plotted_rows(ev, language: str = "en") -> list[dict]:
    rows = []
    for group in GROUP_ORDER:
        for trial in (t for t in ev.trials if t["cell_source"] == group):
            for outcome in fmt.responses(trial):
                low, high = fmt.wilson(outcome["numerator"], outcome["denominator"])
                rows.append({"trial": trial, "group": group, "outcome": outcome,
                             "study": _study_label(ev, trial, language), "measure": outcome["measure"],
                             "numerator": outcome["numerator"], "denominator": outcome["denominator"],
                             "percent": 100 * outcome["numerator"] / outcome["denominator"],
                             "low": low, "high": high})
    return rows


def _draw(ev, rows: list[dict], language: str) -> str:
    import io

    import matplotlib
    matplotlib.use("svg")
    from matplotlib import pyplot
    from matplotlib.figure import Figure

    del pyplot  # the Figure API is enough; importing pyplot only registers the backend
    matplotlib.rcParams.update({"svg.fonttype": "none", "font.family": "sans-serif",
                                "font.sans-serif": FONTS[language], "svg.hashsalt": "cd7-atlas",
                                "axes.unicode_minus": False})
    lines = []  # (label, row or None for a group heading)
    for group in GROUP_ORDER:
        members = [r for r in rows if r["group"] == group]
        if members:
            lines.append((ev.label("cell_source", group, language), None))
            lines += [(f'{r["study"]} · {ev.label("measure", r["measure"], language)}', r) for r in members]
    height = 0.32 * len(lines) + 0.9
    figure = Figure(figsize=(7.2, height), dpi=100)
    axes = figure.add_axes((0.36, 0.7 / height, 0.44, 1 - 0.85 / height))
    count = len(lines)
    for index, (label, row) in enumerate(lines):
        y = count - index
        if row is None:
            axes.text(-0.02, y, label, transform=axes.get_yaxis_transform(), ha="right", va="center",
                      fontsize=9, fontweight="bold", color="#1a1a1a")
            continue
        axes.plot([row["low"], row["high"]], [y, y], color="#3f51b5", linewidth=1.6, clip_on=False)
        axes.plot([row["percent"]], [y], marker="s", color="#1a237e", markersize=5, clip_on=False)
        axes.text(-0.02, y, label, transform=axes.get_yaxis_transform(), ha="right", va="center", fontsize=8.5,
                  color="#1a1a1a")
        axes.text(1.02, y, f'{row["numerator"]}/{row["denominator"]}  {row["percent"]:.0f}% '
                  f'({row["low"]:.0f}–{row["high"]:.0f})', transform=axes.get_yaxis_transform(), ha="left",
                  va="center", fontsize=8, color="#1a1a1a")
    axes.set_xlim(0, 100)
    axes.set_ylim(0.4, count + 0.6)
    axes.set_yticks([])
    axes.set_xticks([0, 25, 50, 75, 100])
    axes.tick_params(axis="x", labelsize=8, colors="#1a1a1a")
    axes.set_xlabel(ev.label("ui", "forest_axis", language), fontsize=8.5, color="#1a1a1a")
    axes.grid(axis="x", color="#dddddd", linewidth=0.6)
    for side in ("top", "right", "left"):
        axes.spines[side].set_visible(False)
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Title": ev.label("ui", "forest_caption", language)})
    svg = buffer.getvalue()
    return svg


def svg_for(ev, language: str) -> str:
    """The plot's SVG: drawn once per loaded evidence and language (the figures hook asks on every page that
    shows it), and kept in .cache/ across builds (matplotlib is slow to import and draw)."""
    key = ("forest-plot", language)
    if key not in ev.memo:
        ev.memo[key] = _cached_svg(ev, language)
    return ev.memo[key]


def _cached_svg(ev, language: str) -> str:
    rows = plotted_rows(ev, language)
    what = json.dumps([[r["study"], r["group"], r["measure"], r["numerator"], r["denominator"]] for r in rows]
                      + [ev.labels["ui"]["forest_axis"], ev.labels["ui"]["forest_caption"], ev.labels["measure"],
                         ev.labels["cell_source"], language, CACHE_VERSION, importlib.metadata.version("matplotlib"),
                         Path(__file__).read_text(encoding="utf-8")], sort_keys=True, ensure_ascii=False)
    digest = hashlib.sha256(what.encode("utf-8")).hexdigest()[:16]
    cache = ev.root / ".cache" / "forest-plot" / f"{digest}-{language}.svg"
    if cache.exists():
        return cache.read_text(encoding="utf-8")
    svg = _draw(ev, rows, language)
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text(svg, encoding="utf-8")
    return svg


def render(ev, language: str, page) -> str:
    """The figure, its notes and the table of plotted numbers, which restates data/trials.yaml and is therefore
    left out of the search index like the trials table."""
    rows = plotted_rows(ev, language)
    studies = len({r["trial"]["id"] for r in rows})
    alt = ev.label("ui", "forest_alt", language).format(count=len(rows), studies=studies)
    head = "".join(f'<th scope="col">{e(ev.label("ui", k, language))}</th>'
                   for k in ("group", "study", "measure", "responders", "ci"))
    body = []
    for r in rows:
        percent = fmt.bracket(f'{r["percent"]:.0f}%', language)
        body.append(
            f'<tr data-trial="{r["trial"]["id"]}" data-measure="{r["measure"]}">'
            f'<td>{e(ev.label("cell_source", r["group"], language))}</td>'
            f'<td><a href="#trial-{r["trial"]["id"]}">{e(r["trial"]["name"][language])}</a> '
            f'[@{r["trial"]["refs"][0]}]</td>'
            f'<td>{e(fmt.outcome_text(ev, r["outcome"], language).split(fmt.COLON[language])[0])}</td>'
            f'<td data-numerator="{r["numerator"]}" data-denominator="{r["denominator"]}">'
            f'{r["numerator"]}/{r["denominator"]}{" " if language == "en" else ""}{percent}</td>'
            f'<td data-low="{r["low"]:.1f}" data-high="{r["high"]:.1f}">'
            f'{r["low"]:.0f}%{fmt.RANGE[language]}{r["high"]:.0f}%</td></tr>')
    table = (f'<table class="atlas-forest__numbers">\n<caption>{e(ev.label("ui", "forest_table_caption", language))}</caption>\n'
             f'<thead><tr>{head}</tr></thead>\n<tbody>\n' + "\n".join(body) + "\n</tbody>\n</table>\n")
    return (
        f'<figure class="atlas-forest" id="fig-response-forest">\n'
        f'<img src="{FIGURE}" alt="{e(alt)}" width="720">\n'
        f'<figcaption>{e(ev.label("ui", "forest_caption", language))}</figcaption>\n</figure>\n'
        f'<p class="atlas-forest__confounded"><strong>{e(ev.label("ui", "forest_confounded", language))}</strong></p>\n'
        f'<p><small>{e(ev.label("ui", "forest_omitted", language))}</small></p>\n'
    ) + evidence.defer(page, table, searchable=False)


def on_page_markdown(markdown: str, page, config, files) -> str:
    if not DIRECTIVE.search(markdown):
        return markdown
    ev = evidence.get(config)
    language = evidence.language_of(page)
    target = Path(config.site_dir) / Path(page.file.dest_uri).parent / FIGURE
    _PENDING[target] = language
    return DIRECTIVE.sub(lambda m: "\n" + render(ev, language, page) + "\n", markdown)


def on_post_page(output: str, page, config) -> str:
    """Write the SVG next to the page that shows it (after the site folder was cleaned)."""
    target = Path(config.site_dir) / Path(page.file.dest_uri).parent / FIGURE
    language = _PENDING.pop(target, None)
    if language:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(svg_for(evidence.get(config), language), encoding="utf-8")
    return output
