"""The project's own fact scorer on tiny inline gold: word-boundary containment, units, one-to-one matching."""
import pandas as pd
import pytest
import yaml

from pipeline.boilerplate_scoring import score_boilerplate_table
from pipeline.scoring import load_gold, normal_unit, score, score_facts_table, system_facts, terms_match


@pytest.fixture
def gold_dir(tmp_path):
    page = {"id": "p1", "drug": "x", "facts": [
        {"topic": "side_effects", "term": "dry lips", "aliases": ["cheilitis"], "evidence": "e"},
        {"topic": "side_effects", "term": "dry skin", "evidence": "e"},
        {"topic": "dosage", "min": 0.5, "max": 1, "unit": "mg/kg/day", "evidence": "e"},
        {"topic": "duration", "min": 16, "max": 24, "unit": "weeks", "evidence": "e"},
    ]}
    (tmp_path / "p1").mkdir()
    (tmp_path / "p1" / "gold.yaml").write_text(yaml.safe_dump(page))
    return tmp_path


def test_terms_match_on_word_boundaries_either_way():
    assert terms_match(["dry lips"], "very dry lips")
    assert terms_match(["severe nodular acne"], "acne")
    assert not terms_match(["ER"], "every")
    assert terms_match(["over-the-counter"], "over the counter")


@pytest.mark.parametrize("a, b", [("mg/kg/day", "milligrams per kilogram per day"), ("mg", "mg/day"),
                                  ("Weeks", "week"), ("mcg", "µg"), ("%", "percent")])
def test_unit_spellings_are_one_unit(a, b):
    assert normal_unit(a) == normal_unit(b)


def test_mg_and_g_stay_different_units():
    assert normal_unit("mg") != normal_unit("g")


def test_precision_recall_and_one_to_one_matching(gold_dir):
    facts = pd.DataFrame([
        {"page_id": "p1/page.txt", "topic": "side_effects", "term": "dry", "value_min": None, "value_max": None, "unit": None},
        {"page_id": "p1/page.txt", "topic": "dosage", "term": "dose", "value_min": 0.5, "value_max": 1.0, "unit": "mg/kg/day"},
        {"page_id": "p1/page.txt", "topic": "duration", "term": "course", "value_min": 16.0, "value_max": 20.0, "unit": "weeks"},
        {"page_id": "other.txt", "topic": "dosage", "term": "x", "value_min": 1.0, "value_max": 1.0, "unit": "mg"},
    ])
    result = score_facts_table(gold_dir, facts)
    # "dry" is contained in both gold terms but finds only one of them; the other page is ignored.
    assert (result.overall.system, result.overall.correct, result.overall.gold, result.overall.found) == (3, 2, 4, 2)
    assert result.by_topic["duration"].f1 == 0.0
    assert {g.describe() for g in result.missed} == {"dry skin", "16-24 weeks"} or \
        {g.describe() for g in result.missed} == {"dry lips | cheilitis", "16-24 weeks"}


def test_a_gold_page_without_system_rows_counts_as_missed(gold_dir):
    gold = load_gold(gold_dir)
    result = score(gold, system_facts([], gold))
    assert result.overall.found == 0 and result.overall.gold == 4 and result.overall.f1 == 0.0


def test_missing_gold_folder_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="gold.yaml"):
        load_gold(tmp_path)


def test_boilerplate_removed_and_evidence_lost(tmp_path):
    page = {"id": "p1", "drug": "x", "boilerplate": ["Add to cart", "Free  delivery", "Call us now"],
            "facts": [{"topic": "side_effects", "term": "nausea", "evidence": "It can cause nausea."},
                      {"topic": "storage", "term": "below 25 C", "evidence": "Store below 25 C."}]}
    (tmp_path / "p1").mkdir()
    (tmp_path / "p1" / "gold.yaml").write_text(yaml.safe_dump(page))
    blocks = pd.DataFrame({"page_id": ["p1/page.txt"] * 5, "is_boilerplate": [True, True, False, True, False],
                           "text": ["Add to cart", "Free\ndelivery", "It can cause nausea. Call us now",
                                    "Store below 25 C.", "Call us now"]})
    result = score_boilerplate_table(tmp_path, blocks)
    assert (result.removed, result.total, result.lost, result.evidence) == (2, 3, 1, 2)
    assert result.kept_strings == (("p1", "Call us now"),)
    assert result.lost_sentences == (("p1", "Store below 25 C."),)
