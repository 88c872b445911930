"""In-page repeats: spam pages say the same thing twice, verbatim or reworded, and a repeat is not
counted as a second statement. A block whose words repeat an earlier block's is skipped; a sentence
as alike an earlier one as copies across pages are (`similarity`) is kept but marked (`dup_of`,
`counted`).
"""
from __future__ import annotations

from typing import Mapping

import numpy as np

from .similarity import sentence_vectors, similarity
from .text import normalize_for_dedup
from .vocabulary import CopyRules


# Earlier sentences tried as what a sentence repeats: the most alike by cosine.
CANDIDATES = 5


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


class SentenceRepeats:
    """The sentences of a page, compared by `similarity` (the measure of copies across pages): a
    sentence repeats an earlier sentence it was asked about when the two are at least
    `min_similarity` alike, both have `min_sentence_words` words or more, and the earlier one states
    every fact the later one does, quantities included (a restatement that adds a fact is not a repeat)."""

    def __init__(self, texts: list[str], rules: CopyRules, min_similarity: float) -> None:
        self._words = [normalize_for_dedup(t) for t in texts]
        self._long = [len(w.split()) >= rules.min_sentence_words for w in self._words]
        self._matrix = sentence_vectors(self._words, rules.ngram_min, rules.ngram_max) if any(self._long) else None
        self._near_verbatim = rules.verbatim_similarity
        self._min_similarity = min_similarity
        self._seen: list[int] = []
        self._ids: list[str] = []
        self._facts: list[frozenset] = []

    def repeat_of(self, index: int, sentence_id: str, facts: frozenset) -> str | None:
        """The id of the earlier sentence that sentence `index` (stating `facts`, as hashable
        key-and-value tuples) repeats, else remember it as `sentence_id`."""
        if not self._long[index]:
            return None
        if self._seen:
            cosines = (self._matrix[self._seen] @ self._matrix[index].T).toarray().ravel()
            for k in np.argsort(-cosines)[:CANDIDATES]:
                if cosines[k] < self._min_similarity / 2:
                    break
                if facts <= self._facts[k] and similarity(self._words[index], self._words[self._seen[k]], float(cosines[k]),
                                                         self._near_verbatim) >= self._min_similarity:
                    return self._ids[k]
        self._seen.append(index)
        self._ids.append(sentence_id)
        self._facts.append(facts)
        return None
