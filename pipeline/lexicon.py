"""Phrase lexicon: concepts with synonym patterns, matched over stemmed tokens with a trie.

A synonym pattern is a phrase with two small extensions, expanded when the lexicon is built:
`(a|b c)` picks one alternative and `[x y]` (or `[x|y]`) is optional. Matching is case-insensitive, ignores
punctuation and inflection (see `text.stem`), and prefers the longest phrase at each place.
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import NamedTuple

from .text import Token, stems_of, tokenize

_PATTERN_PART = re.compile(r"\(([^)]*)\)|\[([^\]]*)\]|([^\s()\[\]]+)")
# In cue phrases (`topic_starts`), this word stands for any one word: "do not take * with".
ANY_WORD = "*"
MAX_EXPANSIONS = 512
# The key under which a trie node keeps the concepts of the phrase ending there.
CONCEPTS = " "


@dataclass(frozen=True)
class Concept:
    """A canonical fact term: its topic, stable key, readable term and how it is found."""

    topic: str
    key: str
    term: str
    requires_cue: bool = True
    negatable: bool = True
    base: str | None = None
    compose_with_condition: bool = False


class Match(NamedTuple):
    """A place where a lexicon phrase occurs in a token list (a named tuple: cheap to create)."""

    concepts: tuple[Concept, ...]
    first_token: int
    last_token: int
    start: int
    end: int


def expand_pattern(pattern: str) -> list[str]:
    """Expand a synonym pattern into the plain phrases it stands for."""
    if "?" in pattern or re.search(r"\w[(\[]|[)\]]\w", pattern):
        raise ValueError(f"groups must stand between spaces and `?` is not supported: {pattern!r}")
    choices: list[list[str]] = []
    for alt, opt, word in _PATTERN_PART.findall(pattern):
        if word:
            choices.append([word])
        elif alt:
            choices.append([a.strip() for a in alt.split("|")])
        else:
            choices.append(["", *(o.strip() for o in opt.split("|"))])
    phrases = []
    for combo in itertools.islice(itertools.product(*choices), MAX_EXPANSIONS + 1):
        phrases.append(" ".join(p for p in combo if p))
    if len(phrases) > MAX_EXPANSIONS:
        raise ValueError(f"synonym pattern expands to more than {MAX_EXPANSIONS} phrases: {pattern!r}")
    return phrases


class Lexicon:
    """A trie of stemmed phrases, each leading to the concepts it names.

    The trie is plain nested dicts keyed by stem (the fastest structure to walk in Python);
    a node's concepts sit under the key `CONCEPTS`, which no token can equal (tokens have no
    white space).
    """

    def __init__(self) -> None:
        self._root: dict = {}

    def add(self, pattern: str, concept: Concept) -> None:
        """Add every phrase of `pattern` as a name of `concept`."""
        for phrase in expand_pattern(pattern):
            self._insert([stem for word in phrase.split()
                          for stem in ([ANY_WORD] if word == ANY_WORD else [t.norm for t in tokenize(word)])], concept)

    def add_stems(self, stems: tuple[str, ...], concepts: tuple[Concept, ...]) -> None:
        """Add one phrase, given as its word stems (an ontology's name, tokenized), as a name of each
        of `concepts` (one walk down the trie; a concept already there is not added twice)."""
        node = self._root
        for s in stems:
            node = node.setdefault(s, {})
        present = node.get(CONCEPTS, ())
        node[CONCEPTS] = (*present, *(c for c in concepts if not any(c is p for p in present)))

    def _insert(self, stems: tuple[str, ...] | list[str], concept: Concept) -> None:
        """Add one stem sequence as a name of `concept` (once)."""
        if not stems:
            return
        node = self._root
        for s in stems:
            node = node.setdefault(s, {})
        if concept not in node.get(CONCEPTS, ()):
            node[CONCEPTS] = (*node.get(CONCEPTS, ()), concept)

    def lookup(self, stems: list[str]) -> tuple[Concept, ...]:
        """The concepts named by exactly this stem sequence, if any."""
        node = self._root
        for s in stems:
            node = node.get(s)
            if node is None:
                return ()
        return node.get(CONCEPTS, ())

    def topic_starts(self, tokens: list[Token]) -> dict[str, list[int]]:
        """Where phrases of each topic start in `tokens` (character offsets), overlapping ones included.

        Here a phrase word `*` matches any one word. A phrase inside a longer phrase of another
        topic does not count: "symptoms" cues side effects, but not inside "relieves the symptoms".
        """
        hits: list[tuple[int, int, str]] = []  # (first token, last token, topic)
        norms = stems_of(tokens)
        n = len(norms)
        for i, node in enumerate(map(self._root.get, norms)):
            if node is None:
                continue
            frontier = [(node, i + 1)]
            while frontier:
                node, j = frontier.pop()
                if CONCEPTS in node:
                    hits.extend((i, j - 1, concept.topic) for concept in node[CONCEPTS])
                if j < n:
                    child = node.get(norms[j])
                    if child is not None:
                        frontier.append((child, j + 1))
                    if ANY_WORD in node:
                        frontier.append((node[ANY_WORD], j + 1))
        starts: dict[str, list[int]] = {}
        phrases = [hit for hit in hits if hit[1] > hit[0]]  # only these can hold another phrase
        for first, last, topic in hits:
            if not phrases or not any(f <= first and last <= l and l - f > last - first and t != topic
                                      for f, l, t in phrases):
                starts.setdefault(topic, []).append(tokens[first].start)
        return starts

    def find(self, tokens: list[Token]) -> list[Match]:
        """All non-overlapping longest matches in `tokens`, left to right."""
        found: list[Match] = []
        norms = stems_of(tokens)
        n = len(norms)
        resume = 0
        for i, node in enumerate(map(self._root.get, norms)):
            if node is None or i < resume:
                continue
            best, concepts, j = -1, (), i
            while True:
                if CONCEPTS in node:
                    best, concepts = j, node[CONCEPTS]
                j += 1
                if j == n:
                    break
                node = node.get(norms[j])
                if node is None:
                    break
            if best < 0:
                continue
            found.append(Match(concepts, i, best, tokens[i].start, tokens[best].end))
            resume = best + 1
        return found
