from datetime import datetime, timezone

from pipeline.compare import build_comparison, copied_sources, wide_csv
from pipeline.drugs import identify_drug, learn_brands
from pipeline.records import Block, Fact, PageSummary


def test_drug_from_brand_and_page_words(vocab):
    assert identify_drug("Buy Viagra now. Viagra works fast.", vocab) == ("sildenafil", ("Viagra",))
    assert learn_brands("Zoltrexa, containing the active ingredient isotretinoin, is strong.", vocab) == {"Zoltrexa": "isotretinoin"}
    drug, brands = identify_drug("Zoltrexa, containing the active ingredient isotretinoin, helps. Zoltrexa is taken daily.", vocab)
    assert drug == "isotretinoin" and brands == ("Zoltrexa",)
    assert identify_drug("Accutane, known generically as isotretinoin, treats acne.", vocab)[0] == "isotretinoin"
    assert identify_drug("The weather is nice.", vocab) == (None, ())


def fact(source, key, vmin=None, vmax=None, unit=None, negated=False, topic="duration"):
    return Fact(f"{source}:{key}", f"{source}:c", f"{source}.txt", source, "drugx", topic, key, key.split(".")[-1],
                vmin, vmax, unit, negated, False, "evidence", 0, 1, True)


def pages(*sources):
    now = datetime.now(timezone.utc)
    return [PageSummary(f"{s}.txt", s, "drugx", (), "text", "utf-8", "x", 1, None, 1, 0, 0, 1, 1, now) for s in sources]


def agreement_of(rows, key):
    return {r.agreement for r in rows if r.key == key}


def test_agreement_labels(vocab):
    facts = [
        fact("a", "duration.course_length", 16, 24, "weeks"), fact("b", "duration.course_length", 15, 20, "weeks"),
        fact("a", "side_effects.nausea", topic="side_effects"), fact("b", "side_effects.nausea", topic="side_effects"),
        fact("c", "side_effects.nausea", topic="side_effects"),
        fact("a", "side_effects.rash", topic="side_effects"), fact("b", "side_effects.rash", topic="side_effects"),
        fact("c", "side_effects.headache", topic="side_effects"),
        fact("a", "side_effects.drowsiness", topic="side_effects"),
        fact("b", "side_effects.drowsiness", topic="side_effects", negated=True),
        fact("a", "access.prescription_only", topic="access"),
        fact("b", "access.available_without_a_prescription", topic="access"),
    ]
    rows = build_comparison(facts, pages("a", "b", "c"), {}, vocab)
    assert agreement_of(rows, "duration.course_length") == {"conflict"}
    assert agreement_of(rows, "side_effects.nausea") == {"all"}
    assert agreement_of(rows, "side_effects.rash") == {"some"}
    assert agreement_of(rows, "side_effects.headache") == {"one"}
    assert agreement_of(rows, "side_effects.drowsiness") == {"conflict"}
    assert agreement_of(rows, "access.prescription_only") == {"conflict"}
    assert len([r for r in rows if r.key == "side_effects.headache"]) == 3
    negated_row = next(r for r in rows if r.key == "side_effects.drowsiness" and r.source == "b")
    assert negated_row.negated and not negated_row.stated
    csv_text = wide_csv(rows)
    assert csv_text.splitlines()[0] == "drug,topic,key,fact,agreement,a,b,c"
    assert "16-24 weeks" in csv_text and "NOT: drowsiness" in csv_text


def test_copied_sources():
    blocks = [Block("a.txt", 0, "paragraph", "t", 0, 1, None), Block("b.txt", 0, "paragraph", "t", 0, 1, None, dup_of="a.txt#0"),
              Block("b.txt", 1, "paragraph", "u", 0, 1, None, True, "legal")]
    assert copied_sources(blocks, {"a.txt": "a", "b.txt": "b"}) == {"b": "a"}
