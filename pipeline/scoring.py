"""Fact quality against gold annotations: precision, recall and F1, overall, per topic and per page.

Gold is one folder per page, `<page id>/gold.yaml`, in the format of the project's golden pages
(`tests/golden/README.md`): the page's drug, its boilerplate strings, and every fact with its
topic, either a term with aliases or a quantity (min, max, unit), and its evidence sentence.

Matching follows the annotation conventions the project is measured by:
- a facts row belongs to the gold page whose id is the row's `page_id`, its file name, its stem,
  or (for `<id>/page.txt`) its folder;
- a term fact matches when, on the same page and topic, one of the gold term and aliases equals the
  system term or is contained in it word for word, or the reverse (case, punctuation and hyphens
  ignored, so "ER" never matches inside "every");
- a quantity matches on the same page and topic with an equal unit (after spelling
  normalisation; "X/day" and "X" count as one unit, since pages use both for one dose) and equal
  min and max;
- a system fact is correct if it matches any gold fact; each gold fact is found by at most one
  system fact and each system fact finds at most one gold fact (a maximum matching), so one vague
  fact cannot find many.
"""
from __future__ import annotations

import argparse
import math
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import yaml

from .text import fold

WORD = re.compile(r"[a-z0-9%$\u00b5]+(?:\.[0-9]+)?")
# Unit spellings, applied in order to a lower-cased unit; the result is split on "/".
UNIT_SPELLINGS: tuple[tuple[str, str], ...] = (
    (r"\bmilligrams?\b", "mg"), (r"\bmicrograms?\b|\bmcg\b|\bug\b|[\u00b5\u03bc]g\b", "mcg"), (r"\bgrams?\b", "g"),
    (r"\bkilograms?\b|\bkgs\b", "kg"), (r"\bmillilit(?:er|re)s?\b", "ml"),
    (r"\bbody ?weight\b|\bof\b", ""), (r"\bper ?cent\b|\bpercent\b|\bpct\b", "%"),
    (r"\bper\b|\beach\b|\bevery\b|\ba\b|\ban\b", "/"), (r"\bdaily\b", "/day"),
    (r"\bdays?\b|\bd\b", "day"), (r"\bweeks?\b|\bwks?\b|\bw\b", "week"), (r"\bmonths?\b|\bmos?\b", "month"),
    (r"\byears?\b|\byrs?\b", "year"), (r"\bhours?\b|\bhrs?\b|\bh\b", "hour"), (r"\bminutes?\b|\bmins?\b", "minute"),
    (r"\bcycles?\b|\bcourses?\b", "cycle"), (r"\btablets?\b|\bpills?\b|\bcapsules?\b|\btabs?\b", "tablet"),
)
TIME_UNITS = {"day": "days", "week": "weeks", "month": "months", "year": "years", "hour": "hours",
              "minute": "minutes", "cycle": "cycles", "tablet": "tablets"}


def words(text: Any) -> tuple[str, ...]:
    """Lower-cased word tokens of `text`; punctuation, hyphens and slashes separate words."""
    if text is None:
        return ()
    return tuple(WORD.findall(fold(str(text)).lower().replace("'", "")))


def _contains(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    n = len(shorter)
    return 0 < n <= len(longer) and any(longer[i:i + n] == shorter for i in range(len(longer) - n + 1))


def terms_match(names: Iterable[str], term: str | None) -> bool:
    """True if one of `names` equals `term`, or either contains the other word for word."""
    system = words(term)
    if not system:
        return False
    for name in names:
        gold = words(name)
        if gold and (gold == system or _contains(system, gold) or _contains(gold, system)):
            return True
    return False


def normal_unit(unit: Any) -> str:
    """A unit's spelling-free form: 'milligrams per day' and 'mg' give 'mg', 'Weeks' gives 'weeks'."""
    if unit is None or (isinstance(unit, float) and math.isnan(unit)):
        return ""
    text = fold(str(unit)).lower().strip()
    for pattern, replacement in UNIT_SPELLINGS:
        text = re.sub(pattern, replacement, text)
    parts = [p for p in re.sub(r"\s+", "", text).split("/") if p]
    if len(parts) == 1 and parts[0] in TIME_UNITS:
        return TIME_UNITS[parts[0]]
    if len(parts) > 1 and parts[-1] == "day":
        parts = parts[:-1]
    return "/".join(parts)


def _number(value: Any) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = float(str(value).replace(",", "")) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


@dataclass(frozen=True)
class GoldFact:
    """One fact of a gold page: a term with aliases, or a quantity range with its unit."""

    page: str
    topic: str
    names: tuple[str, ...] = ()
    value_min: float | None = None
    value_max: float | None = None
    unit: str | None = None
    evidence: str = ""

    def describe(self) -> str:
        """The fact as one readable phrase."""
        if self.value_min is not None:
            return f"{self.value_min:g}-{self.value_max:g} {self.unit}"
        return " | ".join(self.names)


@dataclass(frozen=True)
class SystemFact:
    """One row of a facts table, reduced to what scoring compares."""

    page: str
    topic: str
    term: str | None
    value_min: float | None
    value_max: float | None
    unit: str | None
    evidence: str = ""

    def describe(self) -> str:
        """The fact as one readable phrase."""
        if self.value_min is not None:
            return f"{self.value_min:g}-{self.value_max:g} {self.unit}"
        return str(self.term)


def facts_match(gold: GoldFact, system: SystemFact) -> bool:
    """True if `system` states `gold` (same topic; equal quantity or matching term)."""
    if gold.topic != system.topic:
        return False
    if gold.value_min is not None:
        return (system.value_min is not None and normal_unit(gold.unit) == normal_unit(system.unit)
                and abs(gold.value_min - system.value_min) <= 1e-6 and abs(gold.value_max - system.value_max) <= 1e-6)
    return terms_match(gold.names, system.term)


@dataclass(frozen=True)
class GoldSet:
    """Every gold page of a folder and their facts, with the ids a facts row may use for a page."""

    pages: Mapping[str, dict]
    facts: tuple[GoldFact, ...]
    ids: Mapping[str, str]

    def page_of(self, value: Any) -> str | None:
        """The gold page a facts row's page value names, or None."""
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return None
        path = fold(str(value)).strip().replace("\\", "/").rstrip("/")
        parts = path.split("/")
        candidates = [path, parts[-1], parts[-1].rsplit(".", 1)[0]] + ([parts[-2]] if len(parts) > 1 else [])
        return next((self.ids[c.lower()] for c in candidates if c.lower() in self.ids), None)


def load_gold(folder: Path) -> GoldSet:
    """Read every `<page id>/gold.yaml` under `folder`."""
    pages: dict[str, dict] = {}
    facts: list[GoldFact] = []
    ids: dict[str, str] = {}
    paths = sorted(Path(folder).glob("*/gold.yaml"))
    if not paths:
        raise FileNotFoundError(f"no <page>/gold.yaml files under {folder}")
    for path in paths:
        page = path.parent.name
        gold = yaml.safe_load(path.read_text(encoding="utf-8"))
        pages[page] = gold
        for name in {page, str(gold.get("id") or page), str(gold.get("url") or page).rstrip("/")}:
            ids[name.lower()] = page
        for fact in gold.get("facts") or []:
            topic, evidence = str(fact["topic"]).strip().lower(), str(fact.get("evidence", ""))
            if "min" in fact:
                facts.append(GoldFact(page, topic, (), float(fact["min"]), float(fact["max"]), str(fact["unit"]),
                                      evidence))
            else:
                names = (str(fact["term"]), *(str(a) for a in fact.get("aliases") or ()))
                facts.append(GoldFact(page, topic, names, evidence=evidence))
    return GoldSet(pages, tuple(facts), ids)


def system_facts(rows: Iterable[Mapping[str, Any]], gold: GoldSet) -> list[SystemFact]:
    """The rows of a `facts` table (dicts with the table's columns) that belong to a gold page."""
    found = []
    for row in rows:
        page = gold.page_of(row.get("page_id"))
        if page is None:
            continue
        low, high = _number(row.get("value_min")), _number(row.get("value_max"))
        low, high = (high if low is None else low), (low if high is None else high)
        if low is not None and low > high:
            low, high = high, low
        term = row.get("term")
        term = None if term is None or (isinstance(term, float) and math.isnan(term)) else str(term)
        unit = row.get("unit")
        found.append(SystemFact(page, str(row.get("topic")), term, low, high,
                                None if unit is None or unit != unit else str(unit), str(row.get("evidence") or "")))
    return found


@dataclass
class Tally:
    """Counts behind precision and recall for one slice (all, a topic or a page)."""

    system: int = 0
    correct: int = 0
    gold: int = 0
    found: int = 0

    @property
    def precision(self) -> float:
        """Share of system facts that match some gold fact."""
        return self.correct / self.system if self.system else 0.0

    @property
    def recall(self) -> float:
        """Share of gold facts found."""
        return self.found / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Score:
    """A scoring run: tallies overall, per topic and per page, and what was missed or wrong."""

    overall: Tally = field(default_factory=Tally)
    by_topic: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_page: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    missed: list[GoldFact] = field(default_factory=list)
    wrong: list[SystemFact] = field(default_factory=list)


def _maximum_matching(candidates: Sequence[Sequence[int]]) -> list[int | None]:
    """For each gold index, the system index it is matched to (augmenting paths), or None."""
    owner: dict[int, int] = {}

    def assign(gold: int, seen: set[int]) -> bool:
        for system in candidates[gold]:
            if system not in seen:
                seen.add(system)
                if system not in owner or assign(owner[system], seen):
                    owner[system] = gold
                    return True
        return False

    for gold in range(len(candidates)):
        assign(gold, set())
    matched: list[int | None] = [None] * len(candidates)
    for system, gold in owner.items():
        matched[gold] = system
    return matched


def score(gold: GoldSet, system: Iterable[SystemFact]) -> Score:
    """Score system facts against the gold: only gold pages count; each side matched once."""
    gold_by: dict[tuple[str, str], list[GoldFact]] = defaultdict(list)
    system_by: dict[tuple[str, str], list[SystemFact]] = defaultdict(list)
    for fact in gold.facts:
        gold_by[fact.page, fact.topic].append(fact)
    for fact in system:
        if fact.page in gold.pages:
            system_by[fact.page, fact.topic].append(fact)
    result = Score()
    for page, topic in sorted(set(gold_by) | set(system_by)):
        golds, systems = gold_by.get((page, topic), []), system_by.get((page, topic), [])
        candidates = [[i for i, s in enumerate(systems) if facts_match(g, s)] for g in golds]
        matched = _maximum_matching(candidates)
        correct = {i for c in candidates for i in c}
        result.missed += [g for g, m in zip(golds, matched) if m is None]
        result.wrong += [s for i, s in enumerate(systems) if i not in correct]
        for tally in (result.overall, result.by_topic[topic], result.by_page[page]):
            tally.system += len(systems)
            tally.correct += len(correct)
            tally.gold += len(golds)
            tally.found += sum(m is not None for m in matched)
    return result


def score_facts_table(gold_dir: Path, facts: Any) -> Score:
    """Score a facts table (a pandas DataFrame or a Parquet path) against the gold under `gold_dir`."""
    import pandas as pd

    table = pd.read_parquet(facts) if isinstance(facts, (str, Path)) else facts
    gold = load_gold(gold_dir)
    return score(gold, system_facts(table.to_dict("records"), gold))


def format_score(result: Score, per_page: bool = False, explain: bool = False) -> str:
    """A plain-text table of precision, recall and F1; optionally every miss and wrong fact."""
    lines = [f"{'':<22} {'P':>6} {'R':>6} {'F1':>6}  correct/system  found/gold"]

    def line(name: str, t: Tally) -> str:
        return (f"{name:<22} {t.precision:6.3f} {t.recall:6.3f} {t.f1:6.3f}  "
                f"{t.correct:>7}/{t.system:<6} {t.found:>5}/{t.gold}")

    lines.append(line("ALL", result.overall))
    lines += [line(f"topic:{name}", t) for name, t in sorted(result.by_topic.items())]
    if per_page:
        lines += [line(f"page:{name}"[:22], t) for name, t in sorted(result.by_page.items())]
    if explain:
        lines.append("\nmissed (gold facts no system fact matched):")
        lines += [f"  {g.page} [{g.topic}] {g.describe()}  <- {g.evidence[:100]}" for g in result.missed]
        lines.append("\nwrong (system facts matching no gold fact):")
        lines += [f"  {s.page} [{s.topic}] {s.describe()}  <- {s.evidence[:100]}" for s in result.wrong]
    return "\n".join(lines)


def add_score_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `drugpages score`."""
    parser.add_argument("--gold", type=Path, required=True, help="folder of <page>/gold.yaml files")
    parser.add_argument("--facts", type=Path, default=Path("output/facts.parquet"),
                        help="facts table to score (default: output/facts.parquet)")
    parser.add_argument("--per-page", action="store_true", help="also print one line per page")
    parser.add_argument("--explain", action="store_true", help="list every missed and every wrong fact")


def run_score(args: argparse.Namespace) -> int:
    """Print the score of a facts table against a gold folder."""
    try:
        result = score_facts_table(args.gold, args.facts)
    except (FileNotFoundError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(format_score(result, args.per_page, args.explain))
    return 0
