"""Match explanations in the reader's language: matching returns comparisons and levels, this renders words.

``matching/`` cannot import the registry, so its English texts stay where they are and the words a
clerk reads come from here, keyed by (comparison, level name): each is an English message id, the
same words matching writes, translated for the reader.
"""

from __future__ import annotations

import re

from matching.scoring import CONDITION_TIME, KIN_TOGETHER, Evidence, Explanation
from registry.i18n import N_, _, format_number, translate

LEVEL_TEXTS: dict[tuple[str, str], str] = {
    ("given_names", "EXACT"): N_("same given names"),
    ("given_names", "EQUIVALENT"): N_("same given names once nicknames and abbreviations are read"),
    ("given_names", "SHARED"): N_("one given name in common (another dropped or added)"),
    ("given_names", "SIMILAR"): N_("given names spelled differently but alike"),
    ("given_names", "INITIAL"): N_("given name written as an initial that fits"),
    ("given_names", "DISAGREE"): N_("different given names"),
    ("surnames", "EXACT"): N_("same surnames"),
    ("surnames", "SWAPPED"): N_("surnames swapped"),
    ("surnames", "ONE_MISSING"): N_("surname agrees, the other is missing on one report"),
    ("surnames", "SIMILAR"): N_("surnames spelled differently but sound or look alike"),
    ("surnames", "ONE_SHARED"): N_("one surname in common, the other differs"),
    ("surnames", "DISAGREE"): N_("different surnames"),
    ("date_of_birth", "EXACT"): N_("same date of birth"),
    ("date_of_birth", "SWAPPED"): N_("date of birth with day and month swapped"),
    ("date_of_birth", "ONE_DIGIT"): N_("date of birth differs in one digit"),
    ("date_of_birth", "YEAR"): N_("same year of birth, different day or month"),
    ("date_of_birth", "YEAR_NEAR"): N_("year of birth one apart"),
    ("date_of_birth", "DISAGREE"): N_("different dates of birth"),
    ("age", "SAME"): N_("same age (or near the middle of the estimated range)"),
    ("age", "CONSISTENT"): N_("age within the estimated range"),
    ("age", "NEAR"): N_("age a few years off"),
    ("age", "DISAGREE"): N_("ages far apart"),
    ("sex", "SAME"): N_("same sex"),
    ("sex", "DISAGREE"): N_("different sex"),
    ("curp", "EXACT"): N_("same CURP"),
    ("curp", "ONE_TYPO"): N_("CURP differs in one character (a typo)"),
    ("curp", "DISAGREE"): N_("different CURP"),
    ("event_date", "WITHIN_WEEK"): N_("dates within a week"),
    ("event_date", "WITHIN_MONTH"): N_("dates weeks apart (within a month)"),
    ("event_date", "WITHIN_QUARTER"): N_("dates one to three months apart"),
    ("event_date", "WITHIN_YEAR"): N_("dates months apart (within a year)"),
    ("event_date", "FAR"): N_("dates more than a year apart"),
    ("event_date", "EXCLUDED"): N_("remains found before the person was last seen"),
    ("place", "SAME_MUNICIPALITY"): N_("same municipality"),
    ("place", "SAME_STATE"): N_("same state"),
    ("place", "NEIGHBOUR_STATE"): N_("neighbouring states"),
    ("place", "FAR"): N_("distant states"),
    ("height", "EXACT"): N_("same height (or near the middle of the estimated range)"),
    ("height", "CLOSE"): N_("height close or within the estimated range"),
    ("height", "NEAR"): N_("height a little off"),
    ("height", "DISAGREE"): N_("heights far apart"),
    ("marks", "SAME_MARK"): N_("same distinguishing mark (kind, motif and body part)"),
    ("marks", "SIMILAR"): N_("similar distinguishing mark"),
    ("marks", "SAME_PLACE"): N_("a mark of the same kind on the same part of the body"),
    ("marks", "DISAGREE"): N_("distinguishing marks do not match"),
    ("aliases", "SAME"): N_("same alias"),
    ("aliases", "DISAGREE"): N_("different aliases"),
    (KIN_TOGETHER, KIN_TOGETHER.upper()): N_(
        "shared surnames and last sighting, as relatives who vanished together also have"
    ),
}

COMPARISON_LABELS: dict[str, str] = {
    "given_names": N_("Given names"),
    "surnames": N_("Surnames"),
    "date_of_birth": N_("Date of birth"),
    "age": N_("Age"),
    "sex": N_("Sex"),
    "curp": N_("CURP"),
    "event_date": N_("Dates (last seen, found)"),
    "place": N_("Place"),
    "height": N_("Height"),
    "marks": N_("Distinguishing marks"),
    "aliases": N_("Aliases"),
    KIN_TOGETHER: N_("Relatives who vanished together"),
    CONDITION_TIME: N_("Condition of the body and time since last seen"),
}

# The condition line, as matching.condition writes it: "body {condition}, found {time} the last sighting: {verdict}".
_CONDITION_LINE = re.compile(r"^body (?P<condition>.+?), found (?P<time>.+?) the last sighting: (?P<verdict>.+)$")
_CONDITIONS = {
    "complete": N_("complete"),
    "decomposed": N_("decomposed"),
    "partial": N_("partial"),
    "skeletonised": N_("skeletonised"),
    "burned": N_("burned"),
    "fragmented": N_("fragmented"),
    "of unknown condition": N_("of unknown condition"),
}
_TIMES = {
    "within a week of": N_("within a week of"),
    "within a month of": N_("within a month of"),
    "within three months of": N_("within three months of"),
    "within a year of": N_("within a year of"),
    "more than a year after": N_("more than a year after"),
    "after": N_("after"),
}
_VERDICTS = {"as expected": N_("as expected"), "unusual": N_("unusual"), "tells little": N_("tells little")}


def _condition_text(text: str) -> str:
    parts = _CONDITION_LINE.match(text)
    if not parts or parts["condition"] not in _CONDITIONS or parts["time"] not in _TIMES:
        return text
    if parts["verdict"] not in _VERDICTS:
        return text
    return _(
        "body {condition}, found {time} the last sighting: {verdict}",
        condition=translate(_CONDITIONS[parts["condition"]]),
        time=translate(_TIMES[parts["time"]]),
        verdict=translate(_VERDICTS[parts["verdict"]]),
    )


def evidence_text(evidence: Evidence) -> str:
    """One comparison's level in the reader's words (matching's English when the level is new to the registry)."""
    if evidence.comparison == CONDITION_TIME:
        return _condition_text(evidence.text)
    text = LEVEL_TEXTS.get((evidence.comparison, evidence.level))
    return translate(text) if text else evidence.text


def comparison_label(comparison: str) -> str:
    label = COMPARISON_LABELS.get(comparison)
    return translate(label) if label else comparison


def excluded_by(explanation: Explanation) -> str | None:
    """The contradiction that rules the pair out, in the reader's words (None when nothing does)."""
    if not explanation.excluded_by:
        return None
    for evidence in explanation.evidence:
        if evidence.text == explanation.excluded_by:
            return evidence_text(evidence)
    return explanation.excluded_by


def summary(explanation: Explanation) -> str:
    """The explanation as one line, e.g. "misma CURP (+14.2); apellidos invertidos (+9.1)"."""
    excluded = excluded_by(explanation)
    if excluded:
        return _("excluded: {reason}", reason=excluded)
    return "; ".join(
        f"{evidence_text(e)} ({'+' if e.weight >= 0 else '-'}{format_number(abs(e.weight), digits=1)})"
        for e in explanation.evidence
    )


def level_vocabulary() -> dict[str, str]:
    """Each comparison level's words, keyed "comparison.LEVEL", in the current language."""
    return {f"{comparison}.{level}": translate(text) for (comparison, level), text in LEVEL_TEXTS.items()}
