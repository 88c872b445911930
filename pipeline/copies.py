"""Copied sources: pages about the same drug whose sentences were taken from each other.

Sentences are compared only among pages about one drug (so the cost grows with the pages of a drug,
not with the corpus), by `similarity` (character n-gram TF-IDF cosine, word overlap), as mutual
nearest neighbours between each two pages. A page pair with enough aligned sentences, as a share of the
page or as a run of consecutive sentences, is a copy; its kind (verbatim, spun, paraphrase,
partial) comes from how close and how ordered the aligned sentences are. Thresholds: `copies.yaml`.
"""
from __future__ import annotations

import statistics
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass
from typing import Callable, Iterable, Mapping

import numpy as np

from .claims import without_cuts
from .progress import Progress, report
from .records import Block, CopiedPage, CopiedSentence, PageSummary
from .similarity import sentence_vectors, similarity, word_overlap
from .text import normalize_chars, normalize_for_dedup, split_sentences
from .vocabulary import CopyRules, Vocabulary

# Rows of the similarity matrix computed at once: bounds memory to CHUNK_ROWS x sentences of a drug.
CHUNK_ROWS = 2048


@dataclass(frozen=True)
class ComparedSentence:
    """A content sentence of a page, as compared: where it is in the page text and its words."""

    page_id: str
    char_start: int
    char_end: int
    text: str  # as scraped
    words: str  # normalised, spun wordings read as the words they replaced
    spun: bool  # it holds spun wordings (spinner.yaml)
    counts: bool  # long enough to count towards a verdict (`min_sentence_words`)


def compared_sentences(blocks: Iterable[Block], vocab: Vocabulary) -> list[ComparedSentence]:
    """The sentences of content blocks (not headings) of at least `min_aligned_words` words, in page order."""
    out = []
    for block in blocks:
        if block.is_boilerplate or block.kind == "heading":
            continue
        view = without_cuts(normalize_chars(block.text), block)
        for a, b in split_sentences(view):
            reading, origin = vocab.unspin(view[a:b])
            words = normalize_for_dedup(reading)
            n_words = words.count(" ") + 1 if words else 0
            if n_words >= vocab.copies.min_aligned_words:
                out.append(ComparedSentence(block.page_id, block.char_start + a, block.char_start + b, block.text[a:b],
                                            words, origin is not None, n_words >= vocab.copies.min_sentence_words))
    return out


def _mutual_pairs(sentences: list[ComparedSentence], matrix, group_of: np.ndarray, rules: CopyRules,
                  alike: Callable[[ComparedSentence, ComparedSentence, float], float]) -> list[tuple[int, int, float]]:
    """(i, j, similarity) with i < j for sentences of two sources that are each other's most similar
    sentence (by character n-gram cosine) in the other's page, at or above `candidate_similarity`;
    `alike` turns a pair's cosine into its similarity."""
    page_index = {p: k for k, p in enumerate(dict.fromkeys(s.page_id for s in sentences))}
    page_of = np.fromiter((page_index[s.page_id] for s in sentences), dtype=np.int64, count=len(sentences))
    rows, cols, sims = [], [], []
    for start in range(0, len(sentences), CHUNK_ROWS):
        chunk = (matrix[start:start + CHUNK_ROWS] @ matrix.T).toarray()
        chunk[group_of[start:start + CHUNK_ROWS, None] == group_of[None, :]] = 0.0
        r, c = np.nonzero(chunk >= rules.candidate_similarity)
        rows.append(r + start)
        cols.append(c)
        sims.append(chunk[r, c])
    i, j, s = np.concatenate(rows), np.concatenate(cols), np.concatenate(sims)
    # best partner of each sentence in each other page: the highest cosine, then the first sentence
    order = np.lexsort((j, -s, page_of[j], i))
    i, j, s = i[order], j[order], s[order]
    first = np.ones(len(i), dtype=bool)
    first[1:] = (i[1:] != i[:-1]) | (page_of[j[1:]] != page_of[j[:-1]])
    best = set(zip(i[first].tolist(), j[first].tolist()))
    return [(a, b, alike(sentences[a], sentences[b], cos))
            for a, b, cos in zip(i[first].tolist(), j[first].tolist(), s[first].tolist()) if a < b and (b, a) in best]


def _longest_run(pairs: list[tuple[int, int]], gap: int) -> int:
    """The most aligned sentences that follow each other in the first page and stay within `gap`
    sentences of each other in the second (a copied paragraph)."""
    best = run = 0
    previous = None
    for a, b in sorted(pairs):
        run = run + 1 if previous and a - previous[0] <= gap and abs(b - previous[1]) <= gap else 1
        best = max(best, run)
        previous = (a, b)
    return best


def _increasing_share(partners: list[int]) -> float:
    """Share of the partners (in the copy's order) in one increasing run: 1.0 when the copy keeps
    the source's sentence order (longest increasing subsequence)."""
    tails: list[int] = []
    for p in partners:
        k = bisect_left(tails, p)
        tails[k:k + 1] = [p]
    return len(tails) / len(partners) if partners else 0.0


@dataclass(frozen=True)
class _PairEvidence:
    """The aligned sentences of two pages, each pair as (sentence of page p, sentence of page q, similarity)."""

    p: str
    q: str
    pairs: list[tuple[ComparedSentence, ComparedSentence, float]]
    sentences: Mapping[str, list[ComparedSentence]]  # each page's compared sentences, in page order
    position: Mapping[ComparedSentence, int]  # a sentence's place in its page's list
    selling: Mapping[str, float]  # each page's share of selling boilerplate blocks


def _verdict(pair: _PairEvidence, rules: CopyRules, alike: Callable[[ComparedSentence, ComparedSentence], float]
             ) -> tuple[str, str, str, list] | None:
    """(copying page, source page, kind, copied sentences as (copy, source, similarity)) when two
    pages copied each other: enough sentences aligned at `align_similarity` as a share of a page,
    or a run of near-verbatim sentences (a copied section)."""
    strong = [t for t in pair.pairs if t[2] >= rules.align_similarity and t[0].counts and t[1].counts]
    if len(strong) < rules.min_shared_sentences:
        return None
    share = {page: len(strong) / max(1, sum(s.counts for s in pair.sentences[page])) for page in (pair.p, pair.q)}
    verbatim = [(pair.position[a], pair.position[b]) for a, b, sim in strong if sim >= rules.verbatim_similarity]
    by_share = max(share.values()) >= rules.min_share
    if not by_share and _longest_run(verbatim, rules.run_gap) < rules.min_run:
        return None

    # The copying page: the one more of whose sentences are shared; on a tie, the one carrying more
    # selling boilerplate (copied leaflets sit on shops and spam sites), then the one whose
    # sentences hold more spun wordings.
    def tie_rank(page: str) -> tuple:
        spun = sum(1 for a, b, _ in pair.pairs for s in (a, b) if s.page_id == page and s.spun)
        return pair.selling[page], spun, page
    if abs(share[pair.p] - share[pair.q]) >= rules.share_tie:
        copy_page = max((pair.p, pair.q), key=share.__getitem__)
    else:
        copy_page = max((pair.p, pair.q), key=tie_rank)
    source_page = pair.q if copy_page == pair.p else pair.p
    oriented = [(a, b, sim) if a.page_id == copy_page else (b, a, sim) for a, b, sim in pair.pairs]
    # a short sentence ("Never take two doses together.") is copied when it is (nearly) the same
    oriented = [t for t in oriented if (t[0].counts and t[1].counts) or t[2] >= rules.verbatim_similarity]
    if not by_share:
        return copy_page, source_page, "partial", [t for t in oriented if t[2] >= rules.verbatim_similarity]
    oriented = _fill_gaps(oriented, pair.sentences[copy_page], pair.sentences[source_page], rules, alike)
    return copy_page, source_page, _kind(oriented, rules), oriented


def _fill_gaps(pairs: list, copy: list[ComparedSentence], source: list[ComparedSentence], rules: CopyRules,
               alike: Callable[[ComparedSentence, ComparedSentence], float]) -> list:
    """Align the sentence between two aligned neighbours of the copy with the one sentence between
    their partners in the source, when it is unaligned and at least `gap_similarity` alike (a copy
    that rewords a sentence beyond recognition mostly keeps its place)."""
    partner = {c: s for c, s, _ in pairs}
    taken = set(partner.values())
    index = {s: k for k, s in enumerate(source)}
    filled = list(pairs)
    for k in range(1, len(copy) - 1):
        before, middle, after = copy[k - 1], copy[k], copy[k + 1]
        if middle in partner or before not in partner or after not in partner:
            continue
        a, b = index[partner[before]], index[partner[after]]
        if b - a == 2 and source[a + 1] not in taken:
            sim = alike(middle, source[a + 1])
            if sim >= rules.gap_similarity:
                filled.append((middle, source[a + 1], sim))
                taken.add(source[a + 1])
    return filled


def _kind(shared: list[tuple[ComparedSentence, ComparedSentence, float]], rules: CopyRules) -> str:
    """verbatim, spun or paraphrase, for a copy sharing most of a page."""
    if statistics.median(sim for _, _, sim in shared) >= rules.verbatim_similarity:
        return "verbatim"
    ordered = sorted(shared, key=lambda t: t[0].char_start)
    order_kept = _increasing_share([source.char_start for _, source, _ in ordered])
    kept_words = statistics.median(word_overlap(c.words, s.words) for c, s, _ in shared)
    return "spun" if order_kept >= rules.spun_order and kept_words >= rules.spun_word_overlap else "paraphrase"


def find_copies(pages: Iterable[PageSummary], blocks: Iterable[Block], vocab: Vocabulary,
                progress: Progress | None = None) -> tuple[list[CopiedPage], list[CopiedSentence]]:
    """Copied pages among pages of different sources about the same drug, each with the one page it
    copied most from (two `copies` rows a pair, one from each page), and the aligned sentences of
    each pair (from the copying page). `progress` hears of each drug done (stage `copies`)."""
    rules = vocab.copies
    page_of_id = {p.page_id: p for p in sorted(pages, key=lambda p: p.page_id)}
    by_page: dict[str, list[Block]] = defaultdict(list)
    for b in blocks:
        if b.page_id in page_of_id and page_of_id[b.page_id].drug:
            by_page[b.page_id].append(b)
    pages_of_drug: dict[str, list[PageSummary]] = defaultdict(list)
    for p in page_of_id.values():
        if p.drug:
            pages_of_drug[p.drug].append(p)
    copies: list[CopiedPage] = []
    sentences_out: list[CopiedSentence] = []
    for done, (drug, drug_pages) in enumerate(sorted(pages_of_drug.items())):
        report(progress, "copies", done, len(pages_of_drug))
        if len({p.source for p in drug_pages}) < 2:
            continue
        of_page = {p.page_id: compared_sentences(sorted(by_page[p.page_id], key=lambda b: b.block_index), vocab)
                   for p in drug_pages}
        for copy_page, source_page, kind, shared in _drug_copies(drug_pages, of_page, by_page, rules):
            similarity = round(statistics.median(sim for _, _, sim in shared), 4)
            for page, other in ((copy_page, source_page), (source_page, copy_page)):
                copies.append(CopiedPage(
                    drug=drug, page_id=page, source=page_of_id[page].source, other_page_id=other,
                    other_source=page_of_id[other].source, kind=kind, copied=page == copy_page,
                    n_shared=len(shared), n_sentences=len(of_page[page]),
                    share=round(len(shared) / len(of_page[page]), 4), similarity=similarity,
                ))
            for c, s, sim in sorted(shared, key=lambda t: t[0].char_start):
                sentences_out.append(CopiedSentence(
                    page_id=c.page_id, char_start=c.char_start, char_end=c.char_end, text=c.text,
                    other_page_id=s.page_id, other_char_start=s.char_start, other_char_end=s.char_end,
                    other_text=s.text, similarity=round(sim, 4),
                    match="exact" if c.words == s.words else "near" if sim >= rules.verbatim_similarity else "reworded",
                ))
    report(progress, "copies", len(pages_of_drug), len(pages_of_drug))
    return copies, sentences_out


def _drug_copies(drug_pages: list[PageSummary], of_page: Mapping[str, list[ComparedSentence]],
                 by_page: Mapping[str, list[Block]], rules: CopyRules) -> list[tuple[str, str, str, list]]:
    """The copies among one drug's pages, as (copying page, source page, kind, copied sentences): for
    each copying page only the page it shares most with (a leaflet copied onto 30 sites is 29 rows,
    not 435), which may itself be a copy."""
    source_of = {p.page_id: p.source for p in drug_pages}
    sentences = [s for p in drug_pages for s in of_page[p.page_id]]
    if len(sentences) < 2:
        return []
    source_index = {src: k for k, src in enumerate(dict.fromkeys(source_of.values()))}
    group_of = np.fromiter((source_index[source_of[s.page_id]] for s in sentences), dtype=np.int64, count=len(sentences))
    position = {s: k for page_sentences in of_page.values() for k, s in enumerate(page_sentences)}
    row = {s: k for k, s in enumerate(sentences)}
    matrix = sentence_vectors([s.words for s in sentences], rules.ngram_min, rules.ngram_max)

    known: dict[tuple[str, str], float] = {}  # a sentence copied onto many pages meets the same partners

    def alike(a: ComparedSentence, b: ComparedSentence, cosine: float) -> float:
        if (a.words, b.words) not in known:
            known[a.words, b.words] = similarity(a.words, b.words, cosine, rules.verbatim_similarity)
        return known[a.words, b.words]

    def pair_similarity(a: ComparedSentence, b: ComparedSentence) -> float:
        return alike(a, b, float(matrix[row[a]].multiply(matrix[row[b]]).sum()))
    aligned: dict[tuple[str, str], list] = defaultdict(list)
    for i, j, sim in _mutual_pairs(sentences, matrix, group_of, rules, alike):
        aligned[sentences[i].page_id, sentences[j].page_id].append((sentences[i], sentences[j], sim))
    selling = {p: sum(b.boilerplate_reason in rules.selling_reasons for b in by_page[p]) / max(1, len(by_page[p]))
               for p in of_page}
    best: dict[str, tuple[tuple, tuple[str, str, str, list]]] = {}
    for (p, q), pairs in sorted(aligned.items()):
        verdict = _verdict(_PairEvidence(p, q, pairs, of_page, position, selling), rules, pair_similarity)
        if verdict is None:
            continue
        copy_page, source_page, _, shared = verdict
        rank = (len(shared) / len(of_page[copy_page]), statistics.median(sim for _, _, sim in shared), source_page)
        if copy_page not in best or rank > best[copy_page][0]:
            best[copy_page] = (rank, verdict)
    return [verdict for _, (_, verdict) in sorted(best.items())]


def copied_evidence(copies: Iterable[CopiedPage], sentences: Iterable[CopiedSentence],
                    source_of_page: Mapping[str, str]) -> dict[str, list[tuple[int, int, str]]]:
    """Per copying page, the spans of its copied sentences and the source each was copied from."""
    copying = {(c.page_id, c.other_page_id) for c in copies if c.copied}
    spans: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for s in sentences:
        if (s.page_id, s.other_page_id) in copying:
            spans[s.page_id].append((s.char_start, s.char_end, source_of_page[s.other_page_id]))
    return {page: sorted(v) for page, v in spans.items()}
