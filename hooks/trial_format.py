"""The one formatter of trial numbers: turns the structured outcomes of data/trials.yaml into text in either
language (English: "CRS grade 3–4: 10% (2/20)"; Chinese: "3～4 级 CRS：10%（2/20）"), and computes what the
views derive from them (best response, Wilson intervals). Not a hook: trials_table.py, trials_page.py and
the tests import it. Every word comes from data/labels.yaml.
"""

from __future__ import annotations

import math
import re

SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
BRACKETS = {"en": ("(", ")"), "zh": ("（", "）")}
SEPARATOR = {"en": "; ", "zh": "；"}
COLON = {"en": ": ", "zh": "："}
APPROXIMATE = {"en": "about ", "zh": "约 "}
# ranges: English en dash, Chinese full-width tilde, % on both ends (CONTRIBUTING, house style)
RANGE = {"en": "–", "zh": "～"}

# which measures fill which column of the tables
COLUMN_MEASURES = {
    "efficacy": ("cr", "mrd-negative-cr", "composite-cr", "cri", "orr", "extramedullary-cr", "remission",
                 "deep-remission-to-sct", "disease-free", "alive-disease-free", "relapse-free", "pfs", "os",
                 "efs", "dfs"),
    "crs": ("crs",),
    "icans": ("icans", "neurotoxicity"),
    "gvhd": ("gvhd", "acute-gvhd", "chronic-gvhd"),
    "follow_up": ("follow-up", "hsct", "nrm", "cd7-negative-relapse", "full-donor-chimerism", "cd7-positive"),
}
# responses a forest plot and the "best response" sort may use: read early, counted in patients
RESPONSE_MEASURES = ("cr", "mrd-negative-cr", "composite-cr", "cri", "orr")
LATE_TIMES = ("median-follow-up", "last-report", "last-follow-up")
DEFAULT_POPULATIONS = ("treated",)

_CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


def number(value) -> str:
    """As written in the data: 27.0 stays 27.0, 90 stays 90."""
    return str(value)


def power_of_ten(value, exponent: int) -> str:
    """5 × 10^6 written as 5 × 10⁶ (the house style: never a caret, a space either side of ×)."""
    return f"{number(value)} × 10{str(exponent).translate(SUPERSCRIPT)}"


def bracket(text: str, language: str) -> str:
    left, right = BRACKETS[language]
    return f"{left}{text}{right}"


def join_words(first: str, second: str) -> str:
    """Chinese has no spaces between words, but one between Chinese and Latin letters or digits."""
    if not first or not second:
        return first or second
    if bool(_CJK.match(first[-1])) != bool(_CJK.match(second[0])) and first[-1] not in "（）：；，" \
            and second[0] not in "（）：；，":
        return f"{first} {second}"
    return first + second


def _grade(grade: str, language: str) -> str:
    # ranges as the house style writes them: 3–4 in English, 3～4 in Chinese
    return grade.replace(">=", "≥").replace("<=", "≤").replace("-", "–" if language == "en" else "～")


def _unit(ev, unit: str, value, language: str) -> str:
    singular, plural = ev.labels["unit"][unit][language]
    return singular if value == 1 else plural


def time_point(ev, time: dict, language: str) -> str:
    relation, value, unit = time["relation"], time.get("value"), time.get("unit")
    key = f"{relation}-day" if unit == "day" and f"{relation}-day" in ev.labels["time"] else relation
    template = ev.label("time", key, language)
    text = template.format(value=number(value) if value is not None else "",
                           unit=_unit(ev, unit, value, language) if unit else "")
    return text.replace("  ", " ").strip()


def _statistic(ev, outcome: dict, language: str) -> str:
    template = ev.label("statistic", outcome["statistic"], language)
    text = template.format(value=number(outcome["value"]),
                           unit=_unit(ev, outcome["unit"], outcome["value"], language))
    if outcome.get("approximate"):
        text = text.replace(number(outcome["value"]), APPROXIMATE[language] + number(outcome["value"]), 1)
    if outcome.get("range"):
        low, high = outcome["range"]
        text += (" " if language == "en" else "") + bracket(f"{number(low)}{RANGE[language]}{number(high)}", language)
    return text


def _head(ev, outcome: dict, language: str) -> str:
    measure = ev.label("measure", outcome["measure"], language)
    grade = outcome.get("grade")
    if outcome.get("population") == "pooled":
        measure = join_words(ev.label("population", "pooled", language), measure) if language == "zh" \
            else f"pooled {measure}"
    if grade:
        grade_text = ev.label("grade", "any", language) if grade == "any" else \
            ev.label("grade", "one", language).format(grade=_grade(grade, language))
        if language == "en":
            measure = f"{measure}, {grade_text}" if grade == "any" else f"{measure} {grade_text}"
        else:
            measure = join_words(grade_text, measure)
    context = []
    if outcome.get("subgroup"):
        context.append(outcome["subgroup"][language])
    if outcome.get("setting"):
        context.append(ev.label("setting", outcome["setting"], language))
    if outcome.get("time"):
        context.append(time_point(ev, outcome["time"], language))
    if language == "en":
        return ", ".join([measure] + context)
    head = "，".join(context)
    return join_words(head, measure) if head else measure


def _count(ev, outcome: dict, language: str) -> str | None:
    numerator, denominator = outcome.get("numerator"), outcome.get("denominator")
    if numerator is not None and denominator is not None:
        return f"{numerator}/{denominator}"
    if numerator == 0:
        return ev.label("ui", "none", language)
    if numerator is not None:
        return ev.label("ui", "patient", language) if numerator == 1 else \
            ev.label("ui", "patients", language).format(n=numerator)
    return None


def _population(ev, outcome: dict, language: str, with_fraction: bool) -> str | None:
    population = outcome.get("population")
    if not population or population in DEFAULT_POPULATIONS or population == "pooled":
        return None
    if population == "evaluable" and outcome.get("denominator") and not with_fraction:
        return ev.label("ui", "evaluable", language).format(n=outcome["denominator"])
    return ev.label("population", population, language)


def outcome_value(ev, outcome: dict, language: str) -> str:
    """The value part: "90% (18/20)", "median 6.3 months (4.0–9.2)", "none"."""
    if outcome.get("statistic"):
        main, extras = _statistic(ev, outcome, language), []
        population = _population(ev, outcome, language, False)
        if population:
            extras.append(population)
    else:
        count = _count(ev, outcome, language)
        fraction = "/" in (count or "")
        extras = []
        if outcome.get("percent") is not None:
            main = f"{APPROXIMATE[language] if outcome.get('approximate') else ''}{number(outcome['percent'])}%"
            if outcome.get("interval"):
                low, high = outcome["interval"]
                extras.append(f"{number(low)}%{RANGE[language]}{number(high)}%")
            if count:
                extras.append(count)
        else:
            main = count
        if outcome.get("events"):
            extras.append(ev.label("ui", "events", language).format(n=outcome["events"]))
        population = _population(ev, outcome, language, fraction)
        if population and fraction:
            # "9/11 evaluable" / "9/11，可评估": the population qualifies the fraction
            qualified = f"{count} {population}" if language == "en" else f"{count}，{population}"
            if count in extras:
                extras[extras.index(count)] = qualified
            else:
                extras.append(population)
        elif population:
            extras.append(population)
        if main is None:
            main = ev.label("ui", "not_reported", language)
    if outcome.get("note"):
        extras.append(outcome["note"][language])
    if not extras:
        return main
    return main + (" " if language == "en" else "") + bracket(SEPARATOR[language].join(extras), language)


def outcome_text(ev, outcome: dict, language: str) -> str:
    return _head(ev, outcome, language) + COLON[language] + outcome_value(ev, outcome, language)


def column_text(ev, trial: dict, column: str, language: str, limit: int | None = None) -> str:
    """Every outcome of one column, in data order, then the column's remark; n.r. when there is nothing."""
    measures = COLUMN_MEASURES[column]
    parts = [outcome_text(ev, o, language) for o in trial["outcomes"] if o["measure"] in measures]
    if limit is not None:
        parts = parts[:limit]
    remark = trial.get("remarks", {}).get(column)
    if remark and (limit is None or len(parts) < limit):
        parts.append(remark[language])
    return SEPARATOR[language].join(parts) or ev.label("ui", "not_reported", language)


def key_toxicity(ev, trial: dict, language: str) -> str:
    """Severe CRS, then the first neurotoxicity and GVHD figure: what a reader scans a summary row for."""
    chosen = []
    severe = [o for o in trial["outcomes"] if o["measure"] == "crs" and _is_severe(o.get("grade", ""))]
    chosen += severe[:1]
    for column in ("icans", "gvhd"):
        found = [o for o in trial["outcomes"] if o["measure"] in COLUMN_MEASURES[column]]
        chosen += found[:1]
    parts = [outcome_text(ev, o, language) for o in chosen]
    if not severe and trial.get("remarks", {}).get("crs"):
        parts.insert(0, trial["remarks"]["crs"][language])
    return SEPARATOR[language].join(parts) or ev.label("ui", "not_reported", language)


def _is_severe(grade: str) -> bool:
    digits = [int(d) for d in re.findall(r"\d", grade)]
    return bool(digits) and (grade.startswith(">=") or min(digits) >= 3)


def study_size(ev, trial: dict, language: str) -> str:
    """"n = 12 (11 evaluable)", "n = 200 (13 studies)"; empty for work without patients."""
    if not trial.get("n"):
        return ""
    extras = []
    if trial.get("n_population") and trial["n_population"] not in DEFAULT_POPULATIONS:
        extras.append(ev.label("population", trial["n_population"], language))
    if trial.get("n_evaluable"):
        extras.append(ev.label("ui", "evaluable", language).format(n=trial["n_evaluable"]))
    if trial.get("n_studies"):
        extras.append(ev.label("ui", "studies", language).format(n=trial["n_studies"]))
    if trial.get("n_note"):
        extras.append(trial["n_note"][language])
    text = f"n = {trial['n']}"
    if extras:
        text += (" " if language == "en" else "") + bracket(SEPARATOR[language].join(extras), language)
    return text


def dose_text(ev, trial: dict, language: str) -> str:
    dose = trial.get("dose")
    if not dose:
        return ""
    unit = ev.label("ui", "per_kg", language) if dose["unit"] == "per-kg" else ""
    return power_of_ten(dose["value"], dose["exponent"]) + unit


def responses(trial: dict) -> list[dict]:
    """Early responses counted in patients (numerator and denominator given): what may be plotted."""
    return [o for o in trial["outcomes"]
            if o["measure"] in RESPONSE_MEASURES and o.get("numerator") is not None and o.get("denominator")
            and o.get("population") != "pooled" and o.get("time", {}).get("relation") not in LATE_TIMES]


def best_response(trial: dict) -> float | None:
    """Highest reported response percentage (as printed, else from the fraction), for sorting."""
    values = []
    for o in trial["outcomes"]:
        if o["measure"] not in RESPONSE_MEASURES:
            continue
        if o.get("percent") is not None:
            values.append(float(o["percent"]))
        elif o.get("numerator") is not None and o.get("denominator"):
            values.append(100.0 * o["numerator"] / o["denominator"])
    return max(values) if values else None


def wilson(successes: int, total: int, z: float = 1.959963984540054) -> tuple[float, float]:
    """95% Wilson score interval for a proportion, in percent."""
    p = successes / total
    denominator = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / denominator
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / denominator
    return 100 * max(0.0, centre - half), 100 * min(1.0, centre + half)
