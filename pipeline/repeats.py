"""In-page repeats: spam pages say the same thing twice, verbatim or reworded, and a repeat is not
counted as a second statement. A block whose words repeat an earlier block's is skipped; a sentence
sharing most content words with an earlier one is kept but marked (`dup_of`, `counted`).
"""
from __future__ import annotations

import math
from collections import Counter, defaultdict
from itertools import compress
from typing import Mapping

from .text import Token, stems_of

# Two sentences are near duplicates when their content words overlap this much (Jaccard).
NEAR_DUPLICATE_JACCARD = 0.6
# Shorter sentences (in content words) are never near duplicates: too little to compare.
MIN_WORDS_FOR_NEAR_DUPLICATE = 6
# Words this long or longer count as content words for near-duplicate sentences.
MIN_CONTENT_WORD_LENGTH = 4


def exact_repeats(words_of_block: Mapping[int, list[str]]) -> set[int]:
    """Indexes of blocks whose words (as stems, in page order) repeat an earlier block's exactly."""
    seen: set[str] = set()
    repeats: set[int] = set()
    for index, words in words_of_block.items():
        key = " ".join(words)
        if key in seen:
            repeats.add(index)
        seen.add(key)
    return repeats


class SentenceIndex:
    """Sentences seen so far on a page, indexed by content word, to find paraphrased repeats."""

    def __init__(self) -> None:
        self._words: list[frozenset[str]] = []
        self._ids: list[str] = []
        self._postings: defaultdict[str, list[int]] = defaultdict(list)
        self._sentences_with: Counter[str] = Counter()

    def near_duplicate_of(self, tokens: list[Token], sentence_id: str) -> str | None:
        """The id of an earlier sentence with nearly the same content words, else remember this one."""
        norms = stems_of(tokens)
        words = frozenset(compress(norms, map(MIN_CONTENT_WORD_LENGTH.__le__, map(len, norms))))
        if len(words) < MIN_WORDS_FOR_NEAR_DUPLICATE:
            return None
        # Prefix filter: a sentence sharing >= J of these words shares one of any
        # len - ceil(J * len) + 1 of them; the rarest ones give the fewest candidates.
        rarest = sorted(words, key=self._sentences_with.__getitem__)
        postings = self._postings
        candidates = {i for w in rarest[:len(words) - math.ceil(NEAR_DUPLICATE_JACCARD * len(words)) + 1]
                      for i in postings.get(w, ())}
        for i in sorted(candidates):
            other = self._words[i]
            if len(words & other) / len(words | other) >= NEAR_DUPLICATE_JACCARD:
                return self._ids[i]
        index = len(self._ids)
        self._words.append(words)
        self._ids.append(sentence_id)
        self._sentences_with.update(words)
        for w in words:
            postings[w].append(index)
        return None
