import dataclasses
from datetime import datetime, timezone

from pipeline.compare import align_open_keys, build_comparison, wide_csv
from pipeline.drugs import find_page_drugs, learn_brands
from pipeline.records import Fact, PageSummary


def test_drug_from_brand_and_page_words(vocab):
    def main_and_brands(text):
        page = find_page_drugs(text, vocab)
        return page.main, page.brands

    assert main_and_brands("Buy Viagra now. Viagra works fast.") == ("sildenafil", ("Viagra",))
    assert learn_brands("Zoltrexa, containing the active ingredient isotretinoin, is strong.", vocab) == {"Zoltrexa": "isotretinoin"}
    drug, brands = main_and_brands("Zoltrexa, containing the active ingredient isotretinoin, helps. Zoltrexa is taken daily.")
    assert drug == "isotretinoin" and brands == ("Zoltrexa",)
    assert main_and_brands("Accutane, known generically as isotretinoin, treats acne.")[0] == "isotretinoin"
    assert main_and_brands("The weather is nice.") == (None, ())


def test_drugs_the_vocabulary_lacks_are_counted_by_the_drug_dictionary(vocab):
    text = "Linagliptin lowers blood sugar. Take linagliptin once a day. It can be combined with metformin."
    assert find_page_drugs(text, vocab).main == "linagliptin"
    assert learn_brands("Eletriptan (Relpax) stops a migraine attack.", vocab) == {}  # not "letriptan"


def test_drugs_named_often_can_head_a_passage(vocab):
    once = find_page_drugs("Sildenafil lasts 4 hours. Tadalafil lasts 36 hours. Tadalafil is daily.", vocab)
    assert once.main == "tadalafil" and once.subjects == {"tadalafil"}  # a single mention heads nothing
    twice = find_page_drugs("Sildenafil lasts 4 hours. Sildenafil is fast. Tadalafil lasts 36 hours. Tadalafil is daily.", vocab)
    assert twice.subjects == {"tadalafil", "sildenafil"}


def fact(source, key, vmin=None, vmax=None, unit=None, negated=False, topic="duration"):
    return Fact(f"{source}:{key}", f"{source}:c", f"{source}.txt", source, "drugx", topic, key,
                "concept" if vmin is None else "quantity", key.split(".")[-1], key.split(".")[-1], "evidence",
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
    headache = [r for r in rows if r.key == "side_effects.headache"]
    assert [(r.source, r.n_sources) for r in headache] == [("c", 3)]  # the silent sources a and b have no row
    negated_row = next(r for r in rows if r.key == "side_effects.drowsiness" and r.source == "b")
    assert negated_row.negated and not negated_row.stated
    csv_text = wide_csv(rows)
    assert csv_text.splitlines()[0] == "drug,topic,key,fact,agreement,a,b,c"
    assert "16-24 weeks" in csv_text and "NOT: drowsiness" in csv_text


def test_a_copy_and_its_source_are_one_voice(vocab):
    facts = [fact("a", "side_effects.nausea", topic="side_effects"), fact("b", "side_effects.nausea", topic="side_effects"),
             fact("a", "side_effects.rash", topic="side_effects"), fact("c", "side_effects.rash", topic="side_effects"),
             fact("b", "side_effects.rash", topic="side_effects")]
    copied = {"b.txt": [(0, 5, "a")]}  # b's sentence at 0-5, holding its facts, was copied from a
    rows = build_comparison(facts, pages("a", "b", "c"), copied, vocab)
    nausea = {r.source: r for r in rows if r.key == "side_effects.nausea"}
    assert nausea["b"].copied_from == "a" and nausea["a"].copied_from is None
    assert {r.agreement for r in nausea.values()} == {"one"} and nausea["a"].n_voices == 1
    rash = [r for r in rows if r.key == "side_effects.rash"]
    assert {r.agreement for r in rash} == {"all"} and {r.n_voices for r in rash} == {2}


def open_fact(source, key, term, topic="side_effects"):
    return Fact(f"{source}:{key}", f"{source}:c", f"{source}.txt", source, "drugx", topic, key, "open", term, term, term,
                None, None, None, False, False, "evidence", 0, 1, True)


def concept_fact(source, key, term, topic="side_effects"):
    return dataclasses.replace(open_fact(source, key, term, topic), key_kind="concept")


def test_open_wordings_align_but_concepts_never_merge():
    facts = [open_fact("a", "side_effects.swollen_ankl", "swollen ankles"),
             open_fact("b", "side_effects.swollen_ankl_and_feet", "swollen ankles and feet"),
             open_fact("c", "side_effects.painful_headach", "painful headache"),
             concept_fact("a", "side_effects.headache", "headache"),
             concept_fact("b", "side_effects.dry_skin", "dry skin"), concept_fact("b", "side_effects.dry_lips", "dry lips")]
    aligned = align_open_keys(facts, 0.6)
    assert aligned[("drugx", "side_effects", "side_effects.swollen_ankl_and_feet")] == "side_effects.swollen_ankl"
    assert aligned[("drugx", "side_effects", "side_effects.painful_headach")] == "side_effects.headache"
    assert not any(key.endswith(("dry_skin", "dry_lips")) for (_, _, key) in aligned)


def test_open_rows_list_their_speakers_and_agreement_counts_them(vocab):
    facts = [open_fact("a", "side_effects.swollen_ankl", "swollen ankles"),
             open_fact("b", "side_effects.swollen_ankl_and_feet", "swollen ankles and feet"),
             open_fact("a", "side_effects.metallic_tast", "metallic taste")]
    rows = build_comparison(facts, pages("a", "b", "c"), {}, vocab)
    swollen = [r for r in rows if r.key == "side_effects.swollen_ankl"]
    assert {r.source for r in swollen} == {"a", "b"} and {r.agreement for r in swollen} == {"some"}
    taste = [r for r in rows if r.key == "side_effects.metallic_tast"]
    assert [(r.source, r.agreement, r.key_kind) for r in taste] == [("a", "one", "open")]


def test_doses_are_compared_in_one_unit_per_measure(vocab):
    same = [fact("a", "dosage.max_dose", 4, 4, "g/day", topic="dosage"),
            fact("b", "dosage.max_dose", 4000, 4000, "mg/day", topic="dosage")]
    assert agreement_of(build_comparison(same, pages("a", "b"), {}, vocab), "dosage.max_dose") == {"all"}
    differ = same + [fact("c", "dosage.max_dose", 3, 3, "g/day", topic="dosage")]
    assert agreement_of(build_comparison(differ, pages("a", "b", "c"), {}, vocab), "dosage.max_dose") == {"conflict"}


def test_a_dose_and_a_daily_dose_are_different_measures_not_a_conflict(vocab):
    facts = [fact("a", "dosage.max_dose", 1, 1, "g", topic="dosage"),
             fact("b", "dosage.max_dose", 4, 4, "g/day", topic="dosage"),
             fact("b", "dosage.max_dose", 1000, 1000, "mg", topic="dosage")]
    assert agreement_of(build_comparison(facts, pages("a", "b"), {}, vocab), "dosage.max_dose") == {"all"}
    facts.append(fact("c", "dosage.max_dose", 500, 500, "mg", topic="dosage"))
    assert agreement_of(build_comparison(facts, pages("a", "b", "c"), {}, vocab), "dosage.max_dose") == {"conflict"}
