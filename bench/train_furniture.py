"""Train the furniture model (pipeline/vocab/furniture_model.yaml) on the annotated pages under tests/golden.

    .venv/bin/python bench/train_furniture.py            # train, print cross-validated numbers, write the model
    .venv/bin/python bench/train_furniture.py --dry-run  # the same without writing

Each line of a golden page that the text rules leave as content is labelled from its gold: furniture
when it is (or lies inside) a gold boilerplate string, content when it holds or lies inside a gold
evidence sentence, unlabelled content otherwise (weighted by `training.unlabelled_weight`). A
logistic regression over `pipeline.furniture.line_features` is fitted by Newton's method with an L2
penalty. The threshold is chosen on leave-one-set-out predictions, so it reflects pages the model was
not fitted on: the lowest probability at which at most `training.max_evidence_loss` of the evidence
lines would be marked. The printed numbers (per held-out set: furniture lines found, evidence lines
marked) are those held-out predictions.
"""
from __future__ import annotations

import argparse
import math
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import yaml

from pipeline.blocks import split_blocks
from pipeline.boilerplate import cue_and_markup_reasons, layout_of_blocks
from pipeline.furniture import FurnitureModel, line_features, page_context
from pipeline.ingest import decode_page
from pipeline.records import Block, PageText
from pipeline.text import normalize_for_dedup
from pipeline.vocabulary import DEFAULT_VOCAB_DIR, Vocabulary, load_vocabulary

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
NEWTON_STEPS = 30
WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")


@dataclass(frozen=True)
class Line:
    """A line of a golden page the text rules left as content, with its gold label."""

    set_name: str
    page: str
    blocks: tuple[Block, ...]
    index: int
    context: object
    label: float  # 1: furniture, 0: content
    weight: float
    evidence: bool  # the line holds or lies inside a gold evidence sentence


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _page_text(gold_file: Path) -> Path:
    beside = gold_file.parent / "page.txt"
    return beside if beside.exists() else ROOT / "raw" / f"{gold_file.parent.name}.txt"


def golden_lines(vocab: Vocabulary, unlabelled_weight: float) -> tuple[list[Line], dict[tuple[str, str], list[str]]]:
    """Every line the text rules leave as content on every golden page, labelled from its gold,
    and the reasons the rules gave each page's other lines (for the learned words' reasons)."""
    lines: list[Line] = []
    marked_texts: dict[tuple[str, str], list[str]] = {}
    for gold_file in sorted(GOLDEN.glob("*/*/gold.yaml")):
        set_name, page_name = gold_file.parent.parent.name, gold_file.parent.name
        gold = yaml.safe_load(gold_file.read_text(encoding="utf-8"))
        path = _page_text(gold_file)
        page = decode_page(page_name, path.suffix, path.read_bytes())
        if not isinstance(page, PageText) or page.layout:
            continue
        blocks = split_blocks(page, vocab)
        reasons, cuts, _ = cue_and_markup_reasons(blocks, layout_of_blocks(blocks, page), vocab)
        context = page_context(blocks, [r is not None for r in reasons], vocab.drug_dictionary)
        boiler = [_norm(s) for s in gold.get("boilerplate") or []]
        # a contents line that repeats a heading: the text alone cannot tell which of the two the gold means
        repeated = {s for s in boiler if _norm(page.text).count(s) > 1}
        evidence = [_norm(f["evidence"]) for f in gold.get("facts") or [] if f.get("evidence")]
        pointed_to = {normalize_for_dedup(b.text) for b, r in zip(blocks, reasons) if r is not None}
        marked_texts[(set_name, page_name)] = [f"{r}\t{b.text}" for b, r in zip(blocks, reasons) if r]
        for i, (block, reason) in enumerate(zip(blocks, reasons)):
            if reason is not None or i in cuts:
                continue  # the furniture pass sees neither marked blocks nor prose the cut rules kept
            text = _norm(block.text)
            is_evidence = any(e in text or (text in e and len(text) >= 12) for e in evidence)
            is_boiler = any(text in s or (s in text and len(s) >= 0.6 * len(text)) for s in boiler)
            if is_evidence and is_boiler:
                continue  # a sentence with a cut fragment: the cut rules' business, not the line's
            if block.kind == "heading" and (text in repeated or normalize_for_dedup(block.text) in pointed_to):
                continue  # the furniture pass keeps a heading a marked line repeats
            label = 1.0 if is_boiler else 0.0
            weight = 1.0 if is_boiler or is_evidence else unlabelled_weight
            lines.append(Line(set_name, page_name, tuple(blocks), i, context, label, weight, is_evidence))
    return lines, marked_texts


def candidate_words(lines: list[Line], vocab: Vocabulary, model: FurnitureModel, settings: dict) -> list[str]:
    """Words frequent enough across pages and sets to be features, most telling first."""
    pages: dict[str, set[str]] = defaultdict(set)
    sets: dict[str, set[str]] = defaultdict(set)
    furniture, content = Counter(), Counter()
    for line in lines:
        words = {w.group().lower() for w in WORD.finditer(line.blocks[line.index].text)}
        for w in words:
            if w.isdigit() or len(w) < 2 or w in model.function_words or w in vocab.drug_dictionary:
                continue
            pages[w].add(f"{line.set_name}/{line.page}")
            sets[w].add(line.set_name)
            (furniture if line.label else content)[w] += line.weight
    total_f, total_c = sum(l.label * l.weight for l in lines), sum((1 - l.label) * l.weight for l in lines)
    scored = []
    for w in pages:
        if len(pages[w]) < settings["min_pages"] or len(sets[w]) < settings["min_sets"]:
            continue
        odds = math.log((furniture[w] + 0.5) / total_f) - math.log((content[w] + 0.5) / total_c)
        scored.append((abs(odds) * math.log(1 + furniture[w] + content[w]), w))
    return [w for _, w in sorted(scored, reverse=True)[: settings["max_words"]]]


def feature_matrix(lines: list[Line], model: FurnitureModel, vocab: Vocabulary) -> tuple[np.ndarray, list[str]]:
    """The lines' features as a matrix, and the feature names of its columns."""
    rows = [line_features(list(l.blocks), l.index, l.context, model, vocab) for l in lines]
    names = sorted({f for r in rows for f in r})
    column = {f: j for j, f in enumerate(names)}
    x = np.zeros((len(rows), len(names)))
    for i, r in enumerate(rows):
        for f, v in r.items():
            x[i, column[f]] = v
    return x, names


def fit(x: np.ndarray, y: np.ndarray, w: np.ndarray, l2: float) -> tuple[float, np.ndarray]:
    """Weighted L2-penalised logistic regression by Newton's method: (bias, weights)."""
    xb = np.hstack([np.ones((len(x), 1)), x])
    beta = np.zeros(xb.shape[1])
    penalty = np.full(xb.shape[1], l2 * w.sum())
    penalty[0] = 0.0
    for _ in range(NEWTON_STEPS):
        p = 1 / (1 + np.exp(-np.clip(xb @ beta, -30, 30)))
        gradient = xb.T @ (w * (p - y)) + penalty * beta
        hessian = (xb * (w * p * (1 - p))[:, None]).T @ xb + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if np.abs(step).max() < 1e-6:
            break
    return float(beta[0]), beta[1:]


def predict(x: np.ndarray, bias: float, weights: np.ndarray) -> np.ndarray:
    """The model's probabilities for the rows of `x`."""
    return 1 / (1 + np.exp(-np.clip(bias + x @ weights, -30, 30)))


def choose_threshold(p: np.ndarray, lines: list[Line], max_loss: float) -> float:
    """The lowest probability at which at most `max_loss` of the evidence lines are marked."""
    evidence = np.sort(np.array([pi for pi, l in zip(p, lines) if l.evidence]))[::-1]
    allowed = int(max_loss * len(evidence))
    return float(min(0.99, max(0.5, evidence[allowed] + 1e-6))) if len(evidence) > allowed else 0.5


def word_reasons(words: list[str], marked_texts: dict[tuple[str, str], list[str]]) -> dict[str, str]:
    """The reason the text rules most often give lines holding each learned word (seen at least 3 times)."""
    seen: dict[str, Counter] = defaultdict(Counter)
    wanted = set(words)
    for entries in marked_texts.values():
        for entry in entries:
            reason, text = entry.split("\t", 1)
            for w in {m.group().lower() for m in WORD.finditer(text)} & wanted:
                seen[w][reason] += 1
    return {w: c.most_common(1)[0][0] for w, c in sorted(seen.items()) if sum(c.values()) >= 3}


def main(argv: list[str]) -> int:
    """Train, report held-out numbers per set, and write furniture_model.yaml."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dry-run", action="store_true", help="report only, do not write the model")
    parser.add_argument("--explain", action="store_true",
                        help="list the held-out evidence lines marked and the furniture lines missed")
    args = parser.parse_args(argv)
    vocab = load_vocabulary()
    settings = yaml.safe_load((DEFAULT_VOCAB_DIR / "furniture.yaml").read_text(encoding="utf-8"))["training"]
    bootstrap = replace(vocab.furniture, weights={}, words=frozenset())
    lines, marked_texts = golden_lines(vocab, settings["unlabelled_weight"])
    words = candidate_words(lines, vocab, bootstrap, settings)
    model = replace(bootstrap, words=frozenset(words))
    x, names = feature_matrix(lines, model, vocab)
    y = np.array([l.label for l in lines])
    w = np.array([l.weight for l in lines])
    sets = np.array([l.set_name for l in lines])
    held_out = np.zeros(len(lines))
    for name in sorted(set(sets)):
        train = sets != name
        bias, weights = fit(x[train], y[train], w[train], settings["l2"])
        held_out[~train] = predict(x[~train], bias, weights)
    threshold = choose_threshold(held_out, lines, settings["max_evidence_loss"])
    print(f"{len(lines)} lines, {int(y.sum())} furniture, {len(names)} features; threshold {threshold:.3f}")
    print(f"{'held-out set':24} furniture found   evidence lines marked")
    for name in sorted(set(sets)):
        here = sets == name
        found = int(((held_out >= threshold) & here & (y == 1)).sum())
        ev = np.array([l.evidence for l in lines]) & here
        print(f"{name:24} {found:5}/{int((here & (y == 1)).sum()):<5}       {int(((held_out >= threshold) & ev).sum())}/{int(ev.sum())}")
    if args.explain:
        for p, line in sorted(zip(held_out, lines), key=lambda pair: -pair[0]):
            if (line.evidence and p >= threshold) or (line.label and p < threshold):
                tag = "marked" if line.evidence else "missed"
                print(f"  {tag} {p:.2f} {line.set_name}/{line.page}: {line.blocks[line.index].text[:100]!r}")
    bias, weights = fit(x, y, w, settings["l2"])
    kept = {f: round(float(v), 4) for f, v in sorted(zip(names, weights), key=lambda p: -abs(p[1])) if abs(v) >= 0.01}
    out = {"bias": round(bias, 4), "threshold": round(threshold, 4), "weights": kept,
           "word_reasons": word_reasons([f[5:] for f in kept if f.startswith("word:")], marked_texts)}
    print("strongest features:", ", ".join(f"{f} {v:+.2f}" for f, v in list(kept.items())[:25]))
    if not args.dry_run:
        path = DEFAULT_VOCAB_DIR / "furniture_model.yaml"
        header = ("# Generated by bench/train_furniture.py from the annotated pages under tests/golden; do not edit\n"
                  "# by hand: edit furniture.yaml (features' reasons, training settings) and retrain.\n")
        path.write_text(header + yaml.safe_dump(out, sort_keys=False, allow_unicode=True, width=110), encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
