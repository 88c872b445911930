"""Load the vocabularies (data files under `pipeline/vocab/`) into one immutable object.

Users extend the pipeline by editing those YAML files or by pointing `--vocab` at a copy of
the folder; nothing vocabulary-like lives in code.
"""
from __future__ import annotations

import dataclasses
import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, Iterable, Mapping

import yaml

from .drug_dictionary import dictionary_version, drug_dictionary
from .furniture import FurnitureModel
from .lexicon import Concept, Lexicon
from .phenotypes import ontology_version, phenotypes
from .records import TOPICS
from .regex_literals import any_literal_pattern, required_literals
from .terms import SlotRule, SlotRules, SummaryRule
from .text import normalize_chars, stem

DEFAULT_VOCAB_DIR = Path(__file__).parent / "vocab"
CONCEPT_FILES = (
    "side_effects.yaml", "interactions.yaml", "indications.yaml", "contraindications.yaml",
    "mechanisms.yaml", "care.yaml",
)
DRUG_TOPIC = "drug"
_PIECE = re.compile(r"\{([a-z_]+)\}")


class VocabularyError(ValueError):
    """A vocabulary file is missing or malformed."""


@dataclass(frozen=True)
class NegationRules:
    """Compiled negation and hedging cues."""

    negation: re.Pattern
    pseudo: re.Pattern
    clause_break: re.Pattern
    hedge: re.Pattern
    window: int
    negatable_topics: frozenset[str]


@dataclass(frozen=True)
class UnitRules:
    """Compiled unit spellings, number words and the cue words that name kinds of quantity."""

    unit_pattern: str
    unit_of_spelling: tuple[tuple[re.Pattern, str], ...]
    number_words: Mapping[str, float]
    number_stems: frozenset[str]  # the number words as token stems
    family_of_unit: Mapping[str, str]
    scale: Mapping[str, float]  # unit -> size in a base unit shared by units of one measure
    comparable_as: Mapping[str, tuple[str, float]]  # unit -> (the unit sources are compared in, its size in it)
    dose_kinds: tuple[tuple[str, re.Pattern], ...]
    duration_kinds: tuple[tuple[str, re.Pattern], ...]
    duration_kind_units: dict[str, frozenset[str]]  # the units a duration kind is measured in
    not_treatment_durations: frozenset[str]  # duration kinds that yield no duration fact
    time_topics: Mapping[str, str]  # ... but a fact of this topic, in a sentence about it
    age_before: re.Pattern
    age_after: re.Pattern
    age_upper_before: re.Pattern
    age_upper_after: re.Pattern
    interval_before: re.Pattern
    interval_after: re.Pattern
    strength_after: re.Pattern  # after a percentage: it is a product's strength
    dosage_form: re.Pattern  # a form noun and the form modifiers before it: groups `mods` and `noun`
    dosage_form_stems: frozenset[str]  # the form nouns as token stems (a cheap test before the pattern)
    age_without_unit: re.Pattern  # group `a` (and `b` for a range) hold the ages
    number_pattern: str  # a number in digits or words, compounds included ("sixty-one")
    share: re.Pattern  # "nine in ten": groups `part` and `of`
    share_not_after: re.Pattern  # a share after these words is a frequency band ("up to 1 in 10")
    dose_steps: re.Pattern  # between two doses of a sentence: the second is what the first may rise to
    frequency_counts: Mapping[str, int]  # "once" -> 1, "twice" -> 2, "three" -> 3 (counts of a dosing frequency)
    frequency_items: tuple[str, ...]  # what is counted ("times", "tablets"): "two tablets a day"
    frequency_periods: tuple[str, ...]  # said after a|per|each|every: "a day"
    frequency_adverbs: Mapping[str, str]  # a period said as one word: "daily" -> day
    temperature_limits: re.Pattern  # before a storage temperature: the words of its limit ("below")
    dose_increments: re.Pattern  # before a dose: it is the size of a step, not a dose
    article_duration: re.Pattern  # "within an hour or two": groups `unit` and `b` (the "or two")
    article_duration_units: Mapping[str, tuple[float, str]]  # "fortnight" -> (2, "weeks")


@dataclass(frozen=True)
class FrameRules:
    """Wordings that make the conditions named after them facts of one topic (see topics.yaml)."""

    frames: tuple[tuple[str, tuple[str, ...], re.Pattern], ...]  # (topic, anchors, pattern)
    condition_topics: tuple[str, ...]
    scope_end: re.Pattern


@dataclass(frozen=True)
class DrugPattern:
    """A wording that names a brand's active ingredient, tried only near its anchor words."""

    anchors: tuple[str, ...]
    pattern: re.Pattern


@dataclass(frozen=True)
class DomRule:
    """HTML ancestors (tags, ARIA roles, class/id tokens) that mark a block as boilerplate."""

    reason: str
    tags: frozenset[str]
    roles: frozenset[str]
    tokens: frozenset[str]


@dataclass(frozen=True)
class CopyRules:
    """Thresholds of copy detection between pages (copies.yaml, where each is explained)."""

    min_sentence_words: int
    min_aligned_words: int
    ngram_min: int
    ngram_max: int
    candidate_similarity: float
    align_similarity: float
    verbatim_similarity: float
    min_shared_sentences: int
    min_share: float
    min_run: int
    run_gap: int
    gap_similarity: float
    share_tie: float
    selling_reasons: frozenset[str]
    spun_order: float
    spun_word_overlap: float
    repeat_similarity: float


@dataclass(frozen=True)
class Vocabulary:
    """Every vocabulary the pipeline uses, loaded and compiled once per run."""

    topic_cues: Lexicon
    heading_cues: Mapping[str, re.Pattern]  # match lower-cased text
    admits: Mapping[str, frozenset[str]]  # topic -> topics whose concepts its context also admits
    frames: FrameRules
    slots: SlotRules
    boilerplate_reasons: tuple[str, ...]
    boilerplate_at_start: re.Pattern
    boilerplate_anywhere: re.Pattern
    # strings one of which is in every text boilerplate_anywhere matches (None: not known), so most
    # texts skip its scan (regex_literals)
    boilerplate_anywhere_literals: frozenset[str] | None
    boilerplate_anywhere_gate: re.Pattern | None  # finds a text holding one of those literals
    dom_rules: tuple[DomRule, ...]
    cut_reasons: frozenset[str]  # boilerplate.yaml cut: reasons of fragments cut out of prose, not dropped with it
    cut_min_words: int
    stuffing_words: frozenset[str]
    contents_opener: re.Pattern  # boilerplate.yaml contents: a whole line that opens a table of contents
    contents_entry_max_words: int
    advert_label: re.Pattern  # boilerplate.yaml adverts: a whole line that labels an advert
    advert_max_words: int
    concepts: Lexicon
    clause_keys: frozenset[str]  # concepts whose terms show the clause stating them ("price (costs under $20 a month)")
    class_keys: frozenset[str]  # mechanisms that need no cue: drug classes ("an SSRI"), also named among other drugs
    negation: NegationRules
    units: UnitRules
    drug_names: Lexicon
    brands_of: Mapping[str, tuple[str, ...]]
    drug_patterns: tuple[DrugPattern, ...]
    inn_suffixes: tuple[str, ...]
    contradictions: frozenset[frozenset[str]]
    open_key_overlap: float
    copies: CopyRules
    drug_dictionary: Mapping[str, str]  # lower-case name variant -> generic (see drug_dictionary.py)
    list_joiners: frozenset[str]
    date: re.Pattern  # a calendar date in any common spelling (a line holding one is a dateline, not a heading)
    spun_words: re.Pattern | None  # the spun wordings of spinner.yaml (None: none)
    unspun: Mapping[str, str]  # spun wording (lower case) -> the wording it replaced
    spun_key_words: tuple[str, ...]  # the longest word of each spun wording (a cheap test before the pattern)
    condition_signs: re.Pattern  # "low sodium level - headache, confusion": groups `head` and `signs`
    condition_head_words: int
    open_if_lead_in: re.Pattern  # a lead-in ending in "if" ("Do not use it if…"); group 1 follows "if"
    list_opener: re.Pattern  # words of a paragraph that announces a list ("any of the following")
    furniture: FurnitureModel  # which lines of a text page are page furniture (furniture.yaml + furniture_model.yaml)
    fingerprint: str
    folder: Path  # where its files were read from (worker processes load it again from there)

    def unspin(self, text: str) -> tuple[str, tuple[int, ...] | None]:
        """`text` with its spun wordings read as the words they replaced (spinner.yaml), and where
        each position of that reading stands in `text` (one entry more than the reading has
        characters, so an end offset maps too), or None when nothing was spun."""
        if self.spun_words is None:
            return text, None
        lowered = text.lower()
        if not any(map(lowered.__contains__, self.spun_key_words)):
            return text, None  # a cheap test: most pages are not spun
        parts: list[str] = []
        origin: list[int] = []
        pos = 0
        for m in self.spun_words.finditer(text):
            replaced = self.unspun[m.group().lower()]
            if m.group()[:1].isupper():
                replaced = replaced[:1].upper() + replaced[1:]
            parts += [text[pos:m.start()], replaced]
            origin += range(pos, m.start())
            origin += (min(m.start() + k, m.end() - 1) for k in range(len(replaced)))
            pos = m.end()
        if not parts:
            return text, None
        parts.append(text[pos:])
        origin += range(pos, len(text) + 1)
        return "".join(parts), tuple(origin)

    def heading_topics(self, heading: str | None) -> set[str]:
        """Topics a section heading names ("Possible side effects" -> side_effects)."""
        if not heading:
            return set()
        heading = normalize_chars(heading).lower()
        return {t for t, p in self.heading_cues.items() if p.search(heading)}

    def boilerplate_spans(self, text: str) -> list[tuple[int, int, str]]:
        """Where the boilerplate cues that may occur anywhere match in `text`, with their reasons
        (none when lower-casing changes the text's length: the offsets would not hold)."""
        lowered = normalize_chars(text).lower()
        if len(lowered) != len(text) or not self._may_hold_cues(lowered):
            return []
        return [(*m.span(), m.lastgroup) for m in self.boilerplate_anywhere.finditer(lowered)]

    def _may_hold_cues(self, lowered: str) -> bool:
        """Whether boilerplate_anywhere may match a lower-cased text (False: it holds none of the
        literals the cues need)."""
        gate = self.boilerplate_anywhere_gate
        return gate is None or gate.search(lowered) is not None

    def boilerplate_reasons_in(self, text: str) -> set[str]:
        """The boilerplate reasons whose text cues occur in `text` (one scan of the lower-cased text).

        Cues anchored at the start (`^...`) are tried there only; the first of them in
        vocabulary order is enough, as the earliest reason wins.
        """
        text = normalize_chars(text).lower()
        found = {m.lastgroup for m in self.boilerplate_anywhere.finditer(text)} if self._may_hold_cues(text) else set()
        first = self.boilerplate_at_start.match(text)
        if first:
            found.add(first.lastgroup)
        return found


class _UniqueKeyLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml's parser when installed: ~5x faster
    """A safe YAML loader that refuses a key repeated in one mapping (YAML would keep only the last)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        """Build a mapping, failing on a repeated key."""
        seen: set = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"key {key!r} appears twice (the first entry would be silently lost)", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _read_yaml(folder: Path, name: str) -> Any:
    path = folder / name
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.load(fh, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
    except FileNotFoundError as exc:
        raise VocabularyError(f"vocabulary file missing: {path}") from exc
    except yaml.YAMLError as exc:
        raise VocabularyError(f"vocabulary file {path} is not valid YAML: {exc}") from exc


def _compile_any(patterns: list[str], source: str) -> re.Pattern:
    try:
        return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)
    except re.error as exc:
        raise VocabularyError(f"bad regular expression in {source}: {exc}") from exc


def _require_lower_case(patterns: list[str], source: str) -> None:
    """Cues matched on lower-cased text must be written in lower case (escapes like `\\W` aside)."""
    upper = [p for p in patterns if re.search(r"(?<!\\)[A-Z]", p)]
    if upper:
        raise VocabularyError(f"{source}: cues are matched on lower-cased text, write them in lower case: {upper}")


def _cue_pattern(patterns: list[str], source: str, lower_case_text: bool = False) -> re.Pattern:
    """Cues match whole words: a boundary is required at both ends of the matched cue.

    One boundary check around the whole alternation is ~8x faster than one per alternative;
    with `lower_case_text` the pattern is matched case-sensitively on lower-cased text (~2x faster).
    """
    if lower_case_text:
        _require_lower_case(patterns, source)
    try:
        return re.compile(r"(?<!\w)(?:" + "|".join(f"(?:{p})" for p in patterns) + r")(?!\w)",
                          0 if lower_case_text else re.IGNORECASE)
    except re.error as exc:
        raise VocabularyError(f"bad regular expression in {source}: {exc}") from exc


def _named_alternation(groups: Mapping[str, list[str]], source: str) -> re.Pattern:
    """One case-sensitive pattern with a named group per key: a single scan finds which keys occur.

    Cues start where a word (or a symbol such as ©) starts: checking that once, before the
    alternation, skips positions inside words and makes the scan many times faster.
    """
    _require_lower_case([p for cues in groups.values() for p in cues], source)
    groups = {name: cues for name, cues in groups.items() if cues}
    if not groups:
        return re.compile(r"(?!)")
    try:
        return re.compile(r"(?<!\w)(?:" + "|".join(f"(?P<{name}>" + "|".join(f"(?:{p})" for p in cues) + ")"
                                                   for name, cues in groups.items()) + ")")
    except re.error as exc:
        raise VocabularyError(f"bad regular expression in {source}: {exc}") from exc


def slug(text: str) -> str:
    """A stable snake-case identifier for a term (`dry skin` -> `dry_skin`)."""
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def _load_concepts(folder: Path, negatable_topics: frozenset[str]) -> tuple[Lexicon, frozenset[str], frozenset[str]]:
    """The concept lexicon of the concept files (and the ontology), the keys of the concepts whose
    terms show the clause that states them (`shows_clause: true`), and those of the mechanisms that
    need no cue (drug classes: "an SSRI")."""
    lexicon = Lexicon()
    clause_keys: set[str] = set()
    class_keys: set[str] = set()
    for name in CONCEPT_FILES:
        data = _read_yaml(folder, name) or {}
        if "topic" in data:
            data = {data["topic"]: data.get("concepts") or {}}
        for topic, concepts in data.items():
            if topic not in TOPICS:
                raise VocabularyError(f"{name}: unknown topic {topic!r}; topics are {', '.join(TOPICS)}")
            for term, spec in (concepts or {}).items():
                spec = {"synonyms": spec} if isinstance(spec, list) else dict(spec)
                concept = Concept(
                    topic=topic,
                    key=f"{topic}.{slug(term)}",
                    term=term,
                    requires_cue=bool(spec.get("requires_cue", True)),
                    negatable=bool(spec.get("negatable", topic in negatable_topics)),
                    base=spec.get("base"),
                    compose_with_condition=bool(spec.get("compose_with_condition", False)),
                )
                if spec.get("shows_clause"):
                    clause_keys.add(concept.key)
                if topic == "mechanism" and not concept.requires_cue:
                    class_keys.add(concept.key)
                for pattern in [term, *spec.get("synonyms", [])]:
                    try:
                        lexicon.add(str(pattern), concept)
                    except ValueError as exc:
                        raise VocabularyError(f"{name}: {term}: {exc}") from exc
    _add_phenotypes(lexicon, folder, negatable_topics)
    return lexicon, frozenset(clause_keys), frozenset(class_keys)


def _add_phenotypes(lexicon: Lexicon, folder: Path, negatable_topics: frozenset[str]) -> None:
    """Add the names of the HPO's phenotypes the hand-written concepts lack (`phenotypes.yaml`)."""
    rules = _read_yaml(folder, "phenotypes.yaml") or {}
    if not rules.get("enabled", False):
        return
    topics = _topic_set(rules["topics"], "phenotypes.yaml:topics")
    stop = _words(rules, "stop_names", "phenotypes.yaml")
    min_characters = int(rules.get("min_characters", 1))
    for phenotype in phenotypes(str(rules["root"]), frozenset(rules.get("skipped_synonym_types") or ())):
        named = [(n, st) for n, st in zip(phenotype.names, phenotype.stems)
                 if st and len(n) >= min_characters and n.lower() not in stop and not _stem_changes_word(n, st)]
        known = {c.topic: c for _, st in named for c in lexicon.lookup(list(st)) if c.topic in topics}
        concepts = tuple(known.get(t) or Concept(topic=t, key=f"{t}.{slug(phenotype.name)}", term=phenotype.name.lower(),
                                                 negatable=t in negatable_topics) for t in sorted(topics))
        for _, st in named:
            if not lexicon.lookup(list(st)):
                lexicon.add_stems(st, concepts)


def _stem_changes_word(name: str, stems: tuple[str, ...]) -> bool:
    """Whether a one-word name stems to another word ("Ordering" -> "order", "Intoeing" -> "into"):
    matched on stems, it would name everyday words."""
    if len(stems) != 1:
        return False
    word, stemmed = name.lower(), stems[0]
    return word not in (stemmed, stemmed + "s", stemmed + "es", stemmed + "e")


def _load_cues(topics: Mapping[str, Any]) -> Lexicon:
    """Every topic's sentence cues in one lexicon: one pass over a sentence finds them all."""
    cues = Lexicon()
    for topic in TOPICS:
        concept = Concept(topic=topic, key=f"cue.{topic}", term=topic)
        for pattern in topics[topic]["cues"]:
            try:
                cues.add(str(pattern), concept)
            except ValueError as exc:
                raise VocabularyError(f"topics.yaml: {topic} cues: {exc}") from exc
    return cues


def fill_pattern(pattern: str, pieces: Mapping[str, str], source: str) -> str:
    """A pattern with each `{name}` replaced by the named piece of grammar.yaml's `pattern_pieces`."""
    def piece(m: re.Match) -> str:
        if m.group(1) not in pieces:
            raise VocabularyError(f"{source}: unknown pattern piece {{{m.group(1)}}} (grammar.yaml: pattern_pieces)")
        return f"(?:{pieces[m.group(1)]})"
    return _PIECE.sub(piece, pattern)


def _load_frame(topic: str, frame: Mapping[str, Any], pieces: Mapping[str, str]) -> tuple[str, tuple[str, ...], re.Pattern]:
    """(topic, anchors, pattern) of one frame of topics.yaml."""
    source = f"topics.yaml:{topic}:frames"
    if not isinstance(frame, Mapping) or not frame.get("anchors") or not frame.get("pattern"):
        raise VocabularyError(f"{source}: each frame needs `anchors` (a list) and a `pattern`, got {frame!r}")
    anchors = [str(a) for a in frame["anchors"]]
    _require_lower_case(anchors, source)
    return topic, tuple(anchors), _cue_pattern([fill_pattern(str(frame["pattern"]), pieces, source)], source)


def _words(data: dict, key: str, source: str) -> frozenset[str]:
    """A word list of a vocabulary file, lower case; a word YAML read as something else (an unquoted
    `yes`, `no`, `on` or `off` is a boolean) is an error, not a silent "true"."""
    words = data[key]
    odd = [w for w in words if not isinstance(w, str)]
    if odd:
        raise VocabularyError(f"{source}:{key}: quote these words, YAML reads them as {type(odd[0]).__name__}: {odd}")
    return frozenset(w.lower() for w in words)


def _topic_set(names: list, source: str) -> frozenset[str]:
    """A list of topic names of a vocabulary file, each one of the 14 topics."""
    unknown = sorted(set(names) - set(TOPICS))
    if unknown:
        raise VocabularyError(f"{source}: unknown topics {unknown}")
    return frozenset(names)


def _load_slots(folder: Path, scope_ends: list[str], pieces: Mapping[str, str]) -> SlotRules:
    """The slot rules and item grammar of `slots.yaml`."""
    data = _read_yaml(folder, "slots.yaml")
    rules = []
    for i, rule in enumerate(data["rules"]):
        source = f"slots.yaml:rules[{i}]"
        if rule.get("topic") not in TOPICS:
            raise VocabularyError(f"{source}: unknown topic {rule.get('topic')!r}")
        rules.append(SlotRule(rule["topic"], tuple(str(a).lower() for a in rule["anchors"]),
                              _compile_any([fill_pattern(rule["pattern"], pieces, source)], source), bool(rule.get("whole")),
                              bool(rule.get("in_context")), bool(rule.get("keep_cue")), rule.get("max_words"),
                              bool(rule.get("alone")), bool(rule.get("common_words")), bool(rule.get("naming")),
                              bool(rule.get("before"))))
    summaries = []
    for i, rule in enumerate(data.get("summaries") or ()):
        source = f"slots.yaml:summaries[{i}]"
        if rule.get("topic") not in TOPICS:
            raise VocabularyError(f"{source}: unknown topic {rule.get('topic')!r}")
        summaries.append(SummaryRule(rule["topic"], str(rule["term"]), tuple(str(a).lower() for a in rule["anchors"]),
                                     _compile_any([rule["pattern"]], source), frozenset(rule.get("absorbs") or ())))
    return SlotRules(
        rules=tuple(rules),
        summaries=tuple(summaries),
        list_topics=_topic_set(data["list_topics"], "slots.yaml:list_topics"),
        recast_topics=_topic_set(data["recast_topics"], "slots.yaml:recast_topics"),
        item_topic_leads={t: _compile_any([p], f"slots.yaml:item_topic_leads:{t}")
                          for t, p in (data.get("item_topic_leads") or {}).items()},
        statement_topics=_topic_set(data["statement_topics"], "slots.yaml:statement_topics"),
        always_stated=_topic_set(data["always_stated"], "slots.yaml:always_stated"),
        max_statement_words=int(data["max_statement_words"]),
        min_statement_words=int(data["min_statement_words"]),
        separators=_compile_any(data["item_separators"], "slots.yaml:item_separators"),
        ends=_compile_any(scope_ends + data["slot_ends"], "slots.yaml:slot_ends"),
        edge_words=_words(data, "item_edge_words", "slots.yaml"),
        refused_starts=_words(data, "item_refused_starts", "slots.yaml"),
        refused_words=_words(data, "item_refused_words", "slots.yaml"),
        refused_alone=_words(data, "item_refused_alone", "slots.yaml"),
        refused_inner=_words(data, "item_refused_inner", "slots.yaml"),
        generic_modifiers=_words(data, "item_generic_modifiers", "slots.yaml"),
        lead_phrases=_compile_any(data["item_lead_phrases"], "slots.yaml:item_lead_phrases"),
        max_item_words=int(data["max_item_words"]),
        max_list_line_words=int(data["max_list_line_words"]),
        max_whole_words=int(data["max_whole_words"]),
        max_qualifier_words=int(data["max_qualifier_words"]),
        list_breaks=_compile_any(scope_ends + data["slot_ends"] + data["list_breaks"], "slots.yaml:list_breaks"),
        list_min_items=int(data["list_min_items"]),
        list_min_known=int(data["list_min_known"]),
        list_vote_vetoes=_topic_set(data["list_vote_vetoes"], "slots.yaml:list_vote_vetoes"),
        named_drug_topics=_topic_set(data["named_drug_topics"], "slots.yaml:named_drug_topics"),
        named_drug_list_min=int(data["named_drug_list_min"]),
        named_drug_list_vetoes=_topic_set(data["named_drug_list_vetoes"], "slots.yaml:named_drug_list_vetoes"),
        drug_item_topics=_topic_set(data["drug_item_topics"], "slots.yaml:drug_item_topics"),
        definition=_compile_any([data["definition"]], "slots.yaml:definition"),
        definition_subjects=_words(data, "definition_subjects", "slots.yaml"),
        definition_ends=_compile_any(data["definition_ends"], "slots.yaml:definition_ends"),
        the_baby=_compile_any([data["the_baby"]], "slots.yaml:the_baby"),
        other_products=_compile_any([data["other_products"]], "slots.yaml:other_products"),
        medicines_for=_compile_any([data["medicines_for"]], "slots.yaml:medicines_for"),
        prohibition=_compile_any(data["prohibitions"], "slots.yaml:prohibitions"),
    )


def _load_drugs(folder: Path) -> tuple[Lexicon, dict[str, tuple[str, ...]]]:
    data = _read_yaml(folder, "drugs.yaml") or {}
    names = Lexicon()
    brands_of: dict[str, tuple[str, ...]] = {}
    for generic, brands in data.items():
        generic = str(generic).lower()
        brands_of[generic] = tuple(brands or ())
        names.add(generic, Concept(DRUG_TOPIC, generic, generic))
        for brand in brands or ():
            names.add(str(brand), Concept(DRUG_TOPIC, generic, str(brand)))
    return names, brands_of


# Stands for the quantity itself in the text the kind cues of `units.yaml` are matched on, where
# cues write it `QTY` ("took QTY", "for the first QTY"): a private-use character, never page text.
QUANTITY_MARK = "\ue000"


def _time_topics(data: Mapping[str, str], not_treatment: Iterable[str]) -> Mapping[str, str]:
    """units.yaml `time_topics`: a kind of time that is no treatment duration -> the topic it is a fact of."""
    known = set(not_treatment)
    for kind, topic in data.items():
        if kind not in known or topic not in TOPICS:
            raise VocabularyError(f"units.yaml:time_topics: {kind!r} must be one of not_treatment_durations "
                                  f"and {topic!r} a topic")
    return MappingProxyType({str(k): str(v) for k, v in data.items()})


def _load_units(folder: Path) -> UnitRules:
    data = _read_yaml(folder, "units.yaml")
    grammar = _read_yaml(folder, "grammar.yaml")
    spellings: list[tuple[re.Pattern, str]] = []
    alternatives: list[str] = []
    for unit, patterns in data["units"].items():
        for p in patterns:
            alternatives.append(p)
            spellings.append((re.compile(rf"^(?:{p})$", re.IGNORECASE), str(unit)))
    family_of_unit = {u: fam for fam, units in data["families"].items() for u in units}
    number_words = {str(k).lower(): float(v) for k, v in data["number_words"].items()}
    kinds = {
        section: tuple((kind, _cue_pattern([str(c).replace("QTY", QUANTITY_MARK) for c in cues], f"units.yaml:{section}"))
                       for kind, cues in data[section].items())
        for section in ("dose_kinds", "duration_kinds")
    }
    words = "|".join(sorted((re.escape(w) for w in number_words), key=len, reverse=True))
    digits = "|".join(w for w, v in number_words.items() if 1 <= v <= 9)
    number = rf"(?:\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:[.,]\d+)?|(?:{words})(?:[- ](?:{digits})\b)?)"
    return UnitRules(
        number_pattern=number,
        share=_compile_any([rf"(?<![\w.])(?P<part>\d+(?![.,]\d)|(?:{words})(?:[- ](?:{digits})\b)?)\s+(?:{'|'.join(grammar['share_words'])})\s+(?P<of>{number})(?![\w.%])(?!\s*stars?\b)"],
                           "grammar.yaml:share_words"),
        share_not_after=_compile_any([rf"(?:{p})\s*$" for p in grammar["share_not_after"]], "grammar.yaml:share_not_after"),
        dose_steps=_cue_pattern(grammar["dose_steps"], "grammar.yaml:dose_steps"),
        frequency_counts={str(k).lower(): int(v) for k, v in grammar["frequency_counts"].items()},
        frequency_items=tuple(str(w).lower() for w in grammar["frequency_items"]),
        frequency_periods=tuple(str(w).lower() for w in grammar["frequency_periods"]),
        frequency_adverbs={str(w).lower(): str(period) for w, period in grammar["frequency_adverbs"].items()},
        temperature_limits=_compile_any([rf"(?<!\w)({'|'.join(data['temperature_limits'])})\s*$"],
                                        "units.yaml:temperature_limits"),
        dose_increments=_compile_any([rf"(?<!\w)(?:{w})\s*$" for w in grammar["dose_increments"]],
                                     "grammar.yaml:dose_increments"),
        article_duration=_compile_any([
            rf"(?<!\w)(?:{'|'.join(grammar['article_durations']['after'])})\s+(?P<quantity>an?\s+"
            rf"(?P<unit>{'|'.join(grammar['article_durations']['units'])})s?(?:\s+or\s+(?P<b>{words}|\d+))?)(?!\w)"],
            "grammar.yaml:article_durations"),
        article_duration_units={str(k): (float(n), str(u)) for k, (n, u) in grammar["article_durations"]["units"].items()},
        unit_pattern="|".join(f"(?:{a})" for a in alternatives),
        unit_of_spelling=tuple(spellings),
        number_words=number_words,
        number_stems=frozenset(stem(w) for w in number_words),
        family_of_unit=family_of_unit,
        scale={str(u): float(f) for u, f in (data.get("scale") or {}).items()},
        comparable_as={str(u): (str(base), float(size)) for u, (base, size) in (data.get("comparable_as") or {}).items()},
        dose_kinds=kinds["dose_kinds"],
        duration_kinds=kinds["duration_kinds"],
        duration_kind_units={str(k): frozenset(map(str, v)) for k, v in (data.get("duration_kind_units") or {}).items()},
        not_treatment_durations=frozenset(data.get("not_treatment_durations") or ()),
        time_topics=_time_topics(data.get("time_topics") or {}, data.get("not_treatment_durations") or ()),
        age_before=_compile_any([rf"(?<!\w)(?:{w})\s*$" for w in grammar["age_before"]], "grammar.yaml:age_before"),
        age_after=_compile_any([rf"^\s*(?:{w})(?!\w)" for w in grammar["age_after"]], "grammar.yaml:age_after"),
        age_upper_before=_compile_any([rf"(?<!\w)(?:{w})\s*$" for w in grammar["age_upper_before"]],
                                      "grammar.yaml:age_upper_before"),
        age_upper_after=_compile_any([rf"^\s*(?:{w})(?!\w)" for w in grammar["age_upper_after"]],
                                     "grammar.yaml:age_upper_after"),
        interval_before=_compile_any([rf"(?<!\w)(?:{w})\s*$" for w in grammar["interval_before"]],
                                     "grammar.yaml:interval_before"),
        interval_after=_compile_any([rf"^\s*(?:{w})(?!\w)" for w in grammar["interval_after"]],
                                    "grammar.yaml:interval_after"),
        dosage_form=_compile_any([rf"(?<![\w-])(?P<mods>(?:(?:{'|'.join(grammar['dosage_form_modifiers'])})[\s-]+){{0,3}})"
                                  rf"(?P<noun>{'|'.join(grammar['dosage_form_nouns'])})s?(?![\w-])"],
                                 "grammar.yaml:dosage_form_nouns"),
        dosage_form_stems=frozenset(stem(w) for w in grammar["dosage_form_nouns"]),
        strength_after=_compile_any([rf"^\s*(?:{w})(?!\w)" for w in grammar["strength_forms"]],
                                    "grammar.yaml:strength_forms"),
        age_without_unit=_compile_any(
            [rf"(?<!\w)(?:{'|'.join(grammar['age_without_unit'])})\s+(?P<a>\d{{1,2}})(?:\s*(?:-|–|to)\s*(?P<b>\d{{1,2}}))?"
             rf"(?![\w%]|[.,]\d|\s*(?:-|–|to)?\s*\d)(?!\s*(?:-\s*)?(?:years?|yrs?|months?|weeks?|days?)\b)"],
            "grammar.yaml:age_without_unit"),
    )


def _fingerprint(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.yaml")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _load_rewrites(folder: Path) -> tuple[re.Pattern | None, Mapping[str, str]]:
    """The spun wordings of `spinner.yaml` and what each replaced."""
    rewrites = {str(k).lower(): str(v) for k, v in ((_read_yaml(folder, "spinner.yaml") or {}).get("rewrites") or {}).items()}
    if not rewrites:
        return None, {}
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(k) for k in sorted(rewrites, key=len, reverse=True))
                         + r")(?!\w)", re.IGNORECASE)
    return pattern, MappingProxyType(rewrites)


def load_furniture_model(folder: Path) -> FurnitureModel:
    """The furniture model: the hand-kept half (furniture.yaml) and the trained half (furniture_model.yaml)."""
    kept = _read_yaml(folder, "furniture.yaml")
    trained = _read_yaml(folder, "furniture_model.yaml")
    try:
        weights = {str(k): float(v) for k, v in (trained.get("weights") or {}).items()}
        reasons = {str(k): str(v) for k, v in (kept.get("reasons") or {}).items()}
        reasons.update({f"word:{k}": str(v) for k, v in (trained.get("word_reasons") or {}).items()})
        return FurnitureModel(
            bias=float(trained["bias"]), threshold=float(trained["threshold"]),
            weights=MappingProxyType(weights), reasons=MappingProxyType(reasons),
            function_words=frozenset(str(w).lower() for w in kept["function_words"]),
            default_reason=str(kept["default_reason"]),
            words=frozenset(f[5:] for f in weights if f.startswith("word:")),
            content_field=re.compile(r"^\W*(?:" + "|".join(f"(?:{label})" for label in kept.get("content_fields") or ["(?!)"])
                                     + r")\s*:", re.IGNORECASE),
        )
    except (KeyError, TypeError, ValueError, AttributeError, re.error) as exc:
        raise VocabularyError(f"furniture.yaml / furniture_model.yaml: {exc!r}") from exc


def load_vocabulary(folder: Path | str | None = None) -> Vocabulary:
    """Read and compile every vocabulary file of `folder` (default: the packaged `vocab/`); a folder
    whose files have not changed is compiled once per process (a run, a served flow, the tests)."""
    folder = Path(folder) if folder else DEFAULT_VOCAB_DIR
    if not folder.is_dir():
        raise VocabularyError(f"vocabulary folder not found: {folder}")
    return _compiled_vocabulary(folder.resolve(), _fingerprint(folder))


def _load_copy_rules(folder: Path) -> CopyRules:
    rules = _read_yaml(folder, "copies.yaml")
    names = [f.name for f in dataclasses.fields(CopyRules)]
    missing = [n for n in names if n not in rules]
    if missing:
        raise VocabularyError(f"copies.yaml lacks {', '.join(missing)}")
    kinds = {"int": int, "float": float, "frozenset[str]": lambda v: frozenset(map(str, v))}
    return CopyRules(**{f.name: kinds[f.type](rules[f.name]) for f in dataclasses.fields(CopyRules)})


@lru_cache(maxsize=4)
def _compiled_vocabulary(folder: Path, files_fingerprint: str) -> Vocabulary:
    """The vocabulary of `folder` whose YAML files hash to `files_fingerprint` (a Vocabulary is never
    changed after it is built, so one compiled copy serves every caller)."""
    topics = _read_yaml(folder, "topics.yaml")
    missing = [t for t in TOPICS if t not in topics]
    if missing:
        raise VocabularyError(f"topics.yaml lacks topics: {', '.join(missing)}")
    boiler = _read_yaml(folder, "boilerplate.yaml")
    cue_literals = required_literals([c for cues in boiler["anywhere"].values() for c in cues if not c.startswith("^")])
    neg = _read_yaml(folder, "negation.yaml")
    negation = NegationRules(
        negation=_cue_pattern(neg["negations"], "negation.yaml:negations"),
        pseudo=_cue_pattern(neg["pseudo_negations"], "negation.yaml:pseudo_negations"),
        clause_break=_compile_any(neg["clause_breaks"], "negation.yaml:clause_breaks"),
        hedge=_cue_pattern(neg["hedges"], "negation.yaml:hedges"),
        window=int(neg.get("negation_window", 6)),
        negatable_topics=frozenset(neg.get("negatable_topics", [])),
    )
    drug_names, brands_of = _load_drugs(folder)
    patterns = _read_yaml(folder, "drug_patterns.yaml")
    comparison = _read_yaml(folder, "comparison.yaml") or {}
    grammar = _read_yaml(folder, "grammar.yaml")
    concepts, clause_keys, class_keys = _load_concepts(folder, negation.negatable_topics)
    spun_words, unspun = _load_rewrites(folder)
    return Vocabulary(
        topic_cues=_load_cues(topics),
        heading_cues={t: _cue_pattern(topics[t]["headings"], f"topics.yaml:{t}", lower_case_text=True) for t in TOPICS},
        admits=MappingProxyType({t: _topic_set(topics[t].get("admits") or [], f"topics.yaml:{t}:admits") for t in TOPICS}),
        frames=FrameRules(
            frames=tuple(_load_frame(t, frame, grammar["pattern_pieces"]) for t in TOPICS for frame in topics[t].get("frames") or ()),
            condition_topics=tuple(topics.get("frame_conditions", [])),
            scope_end=_compile_any(grammar["frame_scope_ends"], "grammar.yaml:frame_scope_ends"),
        ),
        slots=_load_slots(folder, grammar["frame_scope_ends"], grammar["pattern_pieces"]),
        boilerplate_reasons=tuple(boiler["anywhere"]),
        boilerplate_at_start=_named_alternation(
            {r: [c for c in cues if c.startswith("^")] for r, cues in boiler["anywhere"].items()}, "boilerplate.yaml"),
        boilerplate_anywhere=_named_alternation(
            {r: [c for c in cues if not c.startswith("^")] for r, cues in boiler["anywhere"].items()}, "boilerplate.yaml"),
        boilerplate_anywhere_literals=cue_literals,
        boilerplate_anywhere_gate=None if cue_literals is None else any_literal_pattern(cue_literals),
        cut_reasons=frozenset((boiler.get("cut") or {}).get("reasons") or ()),
        cut_min_words=int((boiler.get("cut") or {}).get("min_words", 0)),
        stuffing_words=_words(boiler.get("cut") or {"stuffing_words": []}, "stuffing_words", "boilerplate.yaml:cut"),
        contents_opener=_compile_any(boiler["contents"]["openers"], "boilerplate.yaml:contents"),
        contents_entry_max_words=int(boiler["contents"]["entry_max_words"]),
        advert_label=_compile_any(boiler["adverts"]["labels"], "boilerplate.yaml:adverts"),
        advert_max_words=int(boiler["adverts"]["max_words"]),
        dom_rules=tuple(
            DomRule(reason, frozenset(r.get("tags", [])), frozenset(r.get("roles", [])), frozenset(r.get("tokens", [])))
            for reason, r in (boiler.get("dom") or {}).items()
        ),
        concepts=concepts,
        clause_keys=clause_keys,
        class_keys=class_keys,
        negation=negation,
        units=_load_units(folder),
        drug_names=drug_names,
        brands_of=brands_of,
        drug_patterns=tuple(DrugPattern(tuple(str(a).lower() for a in p["anchors"]), re.compile(p["pattern"]))
                            for p in patterns["patterns"]),
        inn_suffixes=tuple(sorted(patterns["inn_suffixes"], key=len, reverse=True)),
        contradictions=frozenset(frozenset(pair) for pair in comparison.get("contradictions", [])),
        open_key_overlap=float(comparison.get("open_key_overlap", 1.0)),
        copies=_load_copy_rules(folder),
        list_joiners=frozenset(stem(w) for w in grammar["list_joiners"]),
        date=_cue_pattern(grammar["dates"], "grammar.yaml:dates"),
        spun_words=spun_words,
        unspun=unspun,
        spun_key_words=tuple(sorted({max(w.split(), key=len) for w in unspun})),
        condition_signs=_compile_any([grammar["condition_signs"]], "grammar.yaml:condition_signs"),
        condition_head_words=int(grammar["condition_head_words"]),
        open_if_lead_in=_compile_any([grammar["open_if_lead_in"]], "grammar.yaml:open_if_lead_in"),
        list_opener=_cue_pattern(grammar["list_openers"], "grammar.yaml:list_openers"),
        furniture=load_furniture_model(folder),
        drug_dictionary=MappingProxyType({k: v for k, v in drug_dictionary().items()
                                          if k not in frozenset(patterns.get("dictionary_stop_words") or ())}),
        fingerprint=f"{files_fingerprint}+dict{dictionary_version()}+{ontology_version()}",
        folder=folder,
    )
