"""Phrase lexicon: concepts with synonym patterns, matched over stemmed tokens with a trie.

A synonym pattern is a phrase with two small extensions, expanded when the lexicon is built:
`(a|b c)` picks one alternative and `[x y]` (or `[x|y]`) is optional. Matching is case-insensitive, ignores
punctuation and inflection (see `text.stem`), and prefers the longest phrase at each place.
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from .text import Token, tokenize

_PATTERN_PART = re.compile(r"\(([^)]*)\)|\[([^\]]*)\]|([^\s()\[\]]+)")
# In cue phrases (`topic_starts`), this word stands for any one word: "do not take * with".
ANY_WORD = "*"
MAX_EXPANSIONS = 512


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


@dataclass(frozen=True)
class Match:
    """A place where a lexicon phrase occurs in a token list."""

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


@dataclass
class _Node:
    children: dict[str, "_Node"] = field(default_factory=dict)
    concepts: list[Concept] = field(default_factory=list)


class Lexicon:
    """A trie of stemmed phrases, each leading to the concepts it names."""

    def __init__(self) -> None:
        self._root = _Node()

    def add(self, pattern: str, concept: Concept) -> None:
        """Add every phrase of `pattern` as a name of `concept`."""
        for phrase in expand_pattern(pattern):
            stems = [stem for word in phrase.split()
                     for stem in ([ANY_WORD] if word == ANY_WORD else [t.norm for t in tokenize(word)])]
            if not stems:
                continue
            node = self._root
            for s in stems:
                node = node.children.setdefault(s, _Node())
            if concept not in node.concepts:
                node.concepts.append(concept)

    def lookup(self, stems: list[str]) -> tuple[Concept, ...]:
        """The concepts named by exactly this stem sequence, if any."""
        node = self._root
        for s in stems:
            node = node.children.get(s)
            if node is None:
                return ()
        return tuple(node.concepts)

    def topic_starts(self, tokens: list[Token]) -> dict[str, list[int]]:
        """Where phrases of each topic start in `tokens` (character offsets), overlapping ones included.

        Here a phrase word `*` matches any one word.
        """
        starts: dict[str, list[int]] = {}
        n = len(tokens)
        for i in range(n):
            frontier = [(self._root, i)]
            while frontier:
                node, j = frontier.pop()
                if j == n:
                    continue
                for child in (node.children.get(tokens[j].norm), node.children.get(ANY_WORD)):
                    if child is not None:
                        for concept in child.concepts:
                            starts.setdefault(concept.topic, []).append(tokens[i].start)
                        frontier.append((child, j + 1))
        return starts

    def find(self, tokens: list[Token]) -> list[Match]:
        """All non-overlapping longest matches in `tokens`, left to right."""
        found: list[Match] = []
        i, n = 0, len(tokens)
        while i < n:
            node, best = self._root, None
            j = i
            while j < n:
                node = node.children.get(tokens[j].norm)
                if node is None:
                    break
                if node.concepts:
                    best = (j, node.concepts)
                j += 1
            if best is None:
                i += 1
                continue
            last, concepts = best
            found.append(Match(tuple(concepts), i, last, tokens[i].start, tokens[last].end))
            i = last + 1
        return found
