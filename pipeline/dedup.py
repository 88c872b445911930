"""Find repeated blocks, exact and near-duplicate, inside a page and across pages.

Exact duplicates share the xxh3 hash of `normalize_for_dedup(text)`. Near duplicates share
most word 3-shingles: MinHash signatures with LSH banding propose candidates, and the exact
Jaccard similarity of the shingle sets confirms them.
"""
from __future__ import annotations

import dataclasses
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import xxhash

from .progress import Progress, report
from .records import Block
from .text import normalize_for_dedup


@dataclass(frozen=True)
class DedupOptions:
    """Thresholds of duplicate detection."""

    min_words: int = 6
    shingle_words: int = 3
    num_perm: int = 64
    bands: int = 16
    near_threshold: float = 0.7
    seed: int = 20241


def block_ref(block: Block) -> str:
    """The `page_id#block_index` reference used in `dup_of`."""
    return f"{block.page_id}#{block.block_index}"


def exact_key(text: str) -> str:
    """Hash of the normalised text: equal for blocks that differ only in case, spacing, punctuation."""
    return _key(normalize_for_dedup(text))


def _key(normalized: str) -> str:
    return xxhash.xxh3_64_hexdigest(normalized.encode("utf-8"))


def _shingles(words: list[str], size: int) -> np.ndarray:
    grams = {" ".join(words[i:i + size]) for i in range(max(1, len(words) - size + 1))}
    return np.fromiter((xxhash.xxh3_64_intdigest(g.encode()) for g in grams), dtype=np.uint64, count=len(grams))


def _minhash(shingles: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        return (shingles[None, :] * a[:, None] + b[:, None]).min(axis=1)


def _jaccard(x: np.ndarray, y: np.ndarray) -> float:
    inter = np.intersect1d(x, y, assume_unique=True).size
    return inter / (x.size + y.size - inter) if inter else 0.0


def mark_duplicates(blocks: list[Block], options: DedupOptions = DedupOptions(),
                    progress: Progress | None = None) -> list[Block]:
    """Return blocks (ordered by page and index) with `dup_group`, `dup_kind`, `dup_of` set.

    Boilerplate blocks take part too, so repeated footers are visible. The first occurrence
    (smallest page_id, then block_index) is the group's original: it gets `dup_group` only.
    `progress` hears of each distinct block signed (stage `dedup`), the long part.
    """
    ordered = sorted(blocks, key=lambda b: (b.page_id, b.block_index))
    normalized = [normalize_for_dedup(b.text) for b in ordered]  # once per block: the costly part
    first_of: dict[str, int] = {}
    group_of: dict[int, tuple[str, int, str]] = {}
    candidates: list[int] = []
    for i, text in enumerate(normalized):
        if text.count(" ") + 1 < options.min_words:
            continue
        key = _key(text)
        if key in first_of:
            group_of[i] = (key, first_of[key], "exact")
        else:
            first_of[key] = i
            candidates.append(i)
    _near_duplicates(normalized, candidates, group_of, options, progress)
    originals: dict[int, str] = {}
    for i, (key, first, _) in group_of.items():
        originals.setdefault(first, key)
    out = []
    for i, block in enumerate(ordered):
        if i in group_of:
            key, first, kind = group_of[i]
            out.append(dataclasses.replace(block, dup_group=originals[first], dup_kind=kind, dup_of=block_ref(ordered[first])))
        elif i in originals:
            out.append(dataclasses.replace(block, dup_group=originals[i], dup_kind=None, dup_of=None))
        else:
            out.append(dataclasses.replace(block, dup_group=None, dup_kind=None, dup_of=None))
    return out


def _near_duplicates(normalized: list[str], candidates: list[int], group_of: dict, options: DedupOptions,
                     progress: Progress | None) -> None:
    if len(candidates) < 2:
        return
    rng = np.random.default_rng(options.seed)
    a = rng.integers(1, 2**63, size=options.num_perm, dtype=np.uint64) | np.uint64(1)
    b = rng.integers(0, 2**63, size=options.num_perm, dtype=np.uint64)
    rows = options.num_perm // options.bands
    report(progress, "dedup", 0, len(candidates))  # the clock starts before the shingles are made
    shingles = {i: _shingles(normalized[i].split(), options.shingle_words) for i in candidates}
    buckets: dict[tuple[int, bytes], list[int]] = defaultdict(list)
    for done, i in enumerate(candidates):
        report(progress, "dedup", done, len(candidates))
        signature = _minhash(shingles[i], a, b)
        for band in range(options.bands):
            buckets[(band, signature[band * rows:(band + 1) * rows].tobytes())].append(i)
    root: dict[int, int] = {}
    for members in buckets.values():
        for j in members[1:]:
            if j in root or j in group_of:
                continue
            first = members[0]
            first = root.get(first, first)
            if _jaccard(shingles[first], shingles[j]) >= options.near_threshold:
                root[j] = first
    for j, first in root.items():
        group_of[j] = (_key(normalized[first]), first, "near")
    report(progress, "dedup", len(candidates), len(candidates))


def template_blocks(blocks: list[Block], source_of_page: dict[str, str], min_pages: int) -> set[tuple[str, int]]:
    """Blocks whose exact text recurs on at least `min_pages` pages of the same source: the
    site's template (menus, badges, promos), whatever words it uses."""
    pages_of: dict[tuple[str, str], set[str]] = defaultdict(set)
    keyed: list[tuple[tuple[str, str], Block]] = []
    for b in blocks:
        source = source_of_page.get(b.page_id)
        normalized = normalize_for_dedup(b.text) if source is not None else ""
        if not normalized:
            continue
        k = (source, _key(normalized))
        pages_of[k].add(b.page_id)
        keyed.append((k, b))
    return {(b.page_id, b.block_index) for k, b in keyed if len(pages_of[k]) >= min_pages}
