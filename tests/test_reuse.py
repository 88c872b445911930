"""Per-drug digests: a drug's digest changes with its own inputs only."""
import dataclasses
from datetime import datetime, timezone

from pipeline.records import Block, Fact, PageSummary
from pipeline.reuse import comparison_digests, copies_digests, digests_table, unchanged_drugs


def page(page_id: str, drug: str, source: str = "site") -> PageSummary:
    return PageSummary(page_id, source, drug, (), "text", "utf-8", "0" * 64, 10, None, 1, 0, 0, 1, 1,
                       datetime(2026, 12, 1, tzinfo=timezone.utc))


def block(page_id: str, text: str, is_boilerplate: bool = False) -> Block:
    return Block(page_id=page_id, block_index=0, kind="paragraph", text=text, char_start=0, char_end=len(text),
                 section=None, is_boilerplate=is_boilerplate, boilerplate_reason="navigation" if is_boilerplate else None)


def fact(page_id: str, drug: str, key: str = "side_effects.nausea") -> Fact:
    return Fact(f"{page_id}:0:0", f"{page_id}:0", page_id, "site", drug, "side_effects", key, "concept", "nausea",
                "nausea", "nausea", None, None, None, False, False, "It may cause nausea.", 0, 5, True)


PAGES = [page("a.txt", "metformin"), page("b.txt", "ibuprofen")]
BLOCKS = [block("a.txt", "Metformin may cause nausea."), block("b.txt", "Ibuprofen may cause heartburn.")]


def test_a_drug_s_copies_digest_changes_with_its_own_pages_and_blocks_only():
    before = copies_digests(PAGES, BLOCKS)
    edited = copies_digests(PAGES, [block("a.txt", "Metformin may cause nausea.", is_boilerplate=True), BLOCKS[1]])
    moved = copies_digests([PAGES[0], dataclasses.replace(PAGES[1], source="other")], BLOCKS)
    assert set(before) == {"metformin", "ibuprofen"}
    assert unchanged_drugs(edited, before) == {"ibuprofen"}
    assert unchanged_drugs(moved, before) == {"metformin"}
    assert unchanged_drugs(before, None) == set()


def test_a_drug_s_comparison_digest_follows_its_facts_sources_and_copied_spans():
    facts = [fact("a.txt", "metformin"), fact("b.txt", "ibuprofen")]
    before = comparison_digests(facts, PAGES, {})
    assert unchanged_drugs(comparison_digests([facts[0], fact("b.txt", "ibuprofen", "side_effects.rash")], PAGES, {}),
                           before) == {"metformin"}
    assert unchanged_drugs(comparison_digests(facts, PAGES, {"a.txt": [(0, 20, "other")]}), before) == {"ibuprofen"}
    # a fact about metformin on the ibuprofen page: that page's copied spans count for metformin too
    mixed = [*facts, fact("b.txt", "metformin")]
    assert unchanged_drugs(comparison_digests(mixed, PAGES, {"b.txt": [(0, 20, "other")]}),
                           comparison_digests(mixed, PAGES, {})) == set()


def test_the_digests_table_has_a_row_per_drug():
    table = digests_table({"metformin": "1"}, {"metformin": "2", "ibuprofen": "3"})
    assert table.to_pylist() == [{"drug": "ibuprofen", "copies": "", "comparison": "3"},
                                 {"drug": "metformin", "copies": "1", "comparison": "2"}]
