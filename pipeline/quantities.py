"""Quantities in a sentence: doses, durations, rates, with ranges kept as min/max."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Mapping, NamedTuple

from .text import normalize_chars
from .vocabulary import QUANTITY_MARK, UnitRules

SPF = re.compile(r"\bSPF\s*\(?\s*(?:of\s+|at least\s+|above\s+|\d+\s*\+?\s*or\s+)?(\d{1,3})\b|\b(\d{1,3})\s*\+?\s*SPF\b", re.IGNORECASE)
_THOUSANDS = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
# Dosing intervals are short ("every 4 to 6 hours"); "every 3 to 6 months" is a check-up rhythm.
INTERVAL_UNITS = frozenset({"hours", "minutes", "days"})


@dataclass(frozen=True)
class Quantity:
    """A number or range with its canonical unit and where it stands in the sentence."""

    value_min: float
    value_max: float
    unit: str
    family: str
    start: int
    end: int


def quantity_regex(rules: UnitRules) -> re.Pattern:
    """The pattern that finds `N unit`, `N to M unit` and `N unit to M unit` in text."""
    num = rules.number_pattern
    return re.compile(
        rf"(?<![\w.])(?:(?P<between>between)\s+)?(?P<a>{num})"
        rf"(?:\s*(?P<unit_a>{rules.unit_pattern})\s*(?(between)(?:-|–|to|and)|(?:-|–|to))\s*(?P<b_after_unit>{num})"
        rf"|\s*(?:-|–|to|and|or)\s*(?P<b>{num}))?"
        rf"\s*(?P<unit>{rules.unit_pattern})(?![\w/])",
        re.IGNORECASE,
    )


def _number(text: str, rules: UnitRules) -> float:
    text = text.lower()
    if text in rules.number_words:
        return rules.number_words[text]
    parts = re.split(r"[- ]", text)
    if len(parts) == 2 and all(p in rules.number_words for p in parts):
        return rules.number_words[parts[0]] + rules.number_words[parts[1]]  # sixty-one
    if _THOUSANDS.match(text):
        return float(text.replace(",", ""))
    return float(text.replace(",", "."))  # a decimal comma: 0,5 mg


def canonical_unit(spelling: str, rules: UnitRules) -> str | None:
    """The canonical unit of a spelling (`milligrams per kilogram per day` -> `mg/kg/day`)."""
    spelling = " ".join(spelling.split())
    for pattern, unit in rules.unit_of_spelling:
        if pattern.match(spelling):
            return unit
    return None


def find_quantities(sentence: str, rules: UnitRules, pattern: re.Pattern) -> list[Quantity]:
    """All quantities of a sentence: doses, times, rates, SPF; ages (`min_age`/`max_age` families),
    dosing intervals (`interval`), spacings (`spacing`: "4 hours apart") and strengths (`strength`:
    "5% foam") are told apart by the words around them."""
    sentence = normalize_chars(sentence)  # same length: offsets still point into the original
    found = []
    for m in pattern.finditer(sentence):
        unit = canonical_unit(m.group("unit"), rules)
        if unit is None:
            continue
        before, after = sentence[:m.start()], sentence[m.end():]
        family = rules.family_of_unit.get(unit, "other")
        if unit == "years" and (rules.age_before.search(before) or rules.age_after.search(after)):
            upper = rules.age_upper_before.search(before) or rules.age_upper_after.search(after)
            family = "max_age" if upper else "min_age"
        if family == "time" and rules.interval_before.search(before):
            if unit not in INTERVAL_UNITS:
                continue
            family = "interval"
        elif family == "rate" and rules.strength_after.search(after):
            family = "strength"  # "5% foam"
        elif family == "time" and rules.interval_after.search(after):
            family = "spacing"  # "12 hours apart": between doses, or between this drug and another
        second = m.group("b") or m.group("b_after_unit")
        lo = _number(m.group("a"), rules)
        hi = _number(second, rules) if second else lo
        first_unit = canonical_unit(m.group("unit_a"), rules) if m.group("unit_a") else None
        if first_unit and unit != first_unit and not unit.startswith(first_unit + "/"):
            if first_unit not in rules.scale or unit not in rules.scale:
                continue  # "10 mg to 20 hours" is not a range ("10 mg to 20 mg daily" is)
            hi, unit = hi * rules.scale[unit] / rules.scale[first_unit], first_unit  # "500 mg to 1 g"
            if hi < lo:
                continue  # "10 mg to 20 mcg" is no range either
        found.append(Quantity(min(lo, hi), max(lo, hi), unit, family, m.start(), m.end()))
    for m in rules.age_without_unit.finditer(sentence):
        lo, hi = float(m.group("a")), float(m.group("b") or m.group("a"))
        upper = not m.group("b") and (rules.age_upper_before.search(sentence[:m.start("a")])
                                      or rules.age_upper_after.search(sentence[m.end():]))
        found.append(Quantity(lo, hi, "years", "max_age" if upper else "min_age", m.start("a"), m.end()))
    for m in rules.share.finditer(sentence):  # "nine in ten", "one out of four": a percentage
        whole = _number(m.group("of"), rules)
        if whole and not rules.share_not_after.search(sentence[:m.start()]):
            value = round(100 * _number(m.group("part"), rules) / whole, 1)
            found.append(Quantity(value, value, "%", "rate", m.start(), m.end()))
    for m in rules.article_duration.finditer(sentence):  # "within an hour or two", "for a fortnight"
        size, unit = rules.article_duration_units[m.group("unit").lower()]
        hi = _number(m.group("b"), rules) * size if m.group("b") else size
        found.append(Quantity(size, max(size, hi), unit, "time", m.start("quantity"), m.end("quantity")))
    for m in SPF.finditer(sentence):
        value = float(m.group(1) or m.group(2))
        found.append(Quantity(value, value, "SPF", "spf", m.start(), m.end()))
    return found


def quantity_kind(sentence: str, quantity: Quantity, kinds: tuple[tuple[str, re.Pattern], ...],
                  default: str | None, look_after: int = 40,
                  units_of_kind: Mapping[str, frozenset[str]] | None = None) -> str | None:
    """The first kind whose cue words occur in the sentence around the quantity, else `default`.

    Cues are matched on the words around the quantity with the quantity itself replaced by a
    mark (`QTY` in `units.yaml`).
    `look_after` is how far past the quantity cues count: dose kinds ("maximum", "starting")
    stand before their dose ("100 mg is enough, while up to 400 mg": only 400 mg is a maximum),
    duration kinds may follow ("2 weeks to take effect"). A kind listed in `units_of_kind` is
    only taken for a quantity in one of its units ("lasts 6 hours" is no course of treatment).
    """
    before = sentence[max(0, quantity.start - 80):quantity.start]
    after = sentence[quantity.end:quantity.end + 40]
    window = f"{before}{QUANTITY_MARK}{sentence[quantity.end:quantity.end + look_after]}"
    for kind, cue in kinds:
        if units_of_kind and kind in units_of_kind and quantity.unit not in units_of_kind[kind]:
            continue
        if kind == "after_stopping":
            if cue.search(after):
                return kind
        elif cue.search(window):
            return kind
    return default


def display_value(value_min: float | None, value_max: float | None, unit: str | None) -> str | None:
    """Human text of a quantity: `16-24 weeks`, `2 mg/kg/day`."""
    if value_min is None:
        return None
    fmt = lambda v: f"{v:g}"  # noqa: E731 - tiny local formatter
    number = fmt(value_min) if value_max in (None, value_min) else f"{fmt(value_min)}-{fmt(value_max)}"
    return f"{number} {unit}" if unit and unit != "SPF" else f"SPF {number}" if unit == "SPF" else number


@dataclass(frozen=True)
class Frequency:
    """How often a dose is taken ("three or four times a day"): counts per period, as the page joins them."""

    low: int
    high: int
    joiner: str  # "or" or "to" between two counts, as the page writes it
    period: str  # day, week, month
    start: int
    end: int

    @property
    def term(self) -> str:
        """The frequency in plain words: "once a day", "once or twice a day", "three to four times a week"."""
        if self.low == self.high:
            return f"{_times(self.low)} a {self.period}"
        if (self.low, self.high) == (1, 2):
            return f"once {self.joiner} twice a {self.period}"
        return f"{_COUNT_WORDS.get(self.low, str(self.low))} {self.joiner} {_COUNT_WORDS.get(self.high, str(self.high))} times a {self.period}"

    @property
    def unit(self) -> str:
        """Counts per period as a unit: `times/day`."""
        return f"times/{self.period}"


_COUNT_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six"}


def _times(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n) or f"{_COUNT_WORDS.get(n, str(n))} times"


def frequency_regex(rules: UnitRules) -> re.Pattern:
    """The pattern of a dosing frequency: "once a day", "twice daily", "3 or 4 times per day",
    "one to two times a week", "two tablets a day" (`rules.frequency_counts` name the counts)."""
    count = "|".join(sorted(map(re.escape, rules.frequency_counts), key=len, reverse=True))
    items = "|".join(map(re.escape, rules.frequency_items))
    periods = "|".join(map(re.escape, rules.frequency_periods))
    adverbs = "|".join(map(re.escape, rules.frequency_adverbs))
    return re.compile(
        rf"(?<![\w-])(?P<a>{count}|\d)(?:\s*(?P<join>or|to|-|–)\s*(?P<b>{count}|\d))?"
        rf"(?:\s+(?:{items})s?)?\s+(?:(?:a|per|each|every)\s+(?P<period>{periods})|(?P<ly>{adverbs}))(?![\w-])",
        re.IGNORECASE,
    )


def find_frequencies(sentence: str, rules: UnitRules, pattern: re.Pattern) -> list[Frequency]:
    """The dosing frequencies of a sentence (offsets into it)."""
    found = []
    for m in pattern.finditer(normalize_chars(sentence)):
        low = rules.frequency_counts.get(m.group("a").lower()) or int(m.group("a"))
        high = rules.frequency_counts.get((m.group("b") or "").lower()) or int(m.group("b") or low)
        period = (m.group("period") or rules.frequency_adverbs[m.group("ly").lower()]).lower()
        joiner = "or" if (m.group("join") or "").lower() == "or" else "to"
        if 1 <= low <= high <= 12:
            found.append(Frequency(low, high, joiner, period, m.start(), m.end()))
    return found


class DosageForm(NamedTuple):
    """A dosage form a sentence names ("film-coated tablets"): its name in the singular and its span."""

    term: str
    start: int
    end: int


def find_dosage_forms(sentence: str, rules: UnitRules, strength_ends: set[int]) -> list[DosageForm]:
    """The dosage forms of a sentence: a form noun with a form modifier ("an oral solution"), or
    right after a strength ending at one of `strength_ends` ("5 mg and 10 mg tablets")."""
    found = []
    for m in rules.dosage_form.finditer(sentence):
        after_strength = any(sentence[end:m.start()].strip() == "" for end in strength_ends if end <= m.start())
        if m.group("mods") or after_strength:
            words = " ".join(m.group("mods").lower().split() + [m.group("noun").lower()])
            found.append(DosageForm(words, m.start(), m.end()))
    return found
