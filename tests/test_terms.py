"""Slots, items and open terms (`pipeline.terms`), and the facts a sentence's lists yield."""
import pytest
from test_claims import extract

from pipeline.claims import ClaimExtractor
from pipeline.terms import Slot, bare_lists, open_key, open_term, shown_term, slot_end, split_items


@pytest.fixture(scope="module")
def extractor(vocab):
    return ClaimExtractor(vocab)


def spans(sentence, items):
    return [sentence[a:b] for a, b in items]


def test_items_are_split_and_trimmed(vocab):
    sentence = "It may cause a headache, dry skin and/or some blurred vision."
    start = sentence.index("a headache")
    items = split_items(sentence, Slot("side_effects", 0, start, len(sentence) - 1, False), vocab.slots)
    assert spans(sentence, items) == ["headache", "dry skin", "blurred vision"]


def test_open_terms_refuse_clauses_numbers_and_the_drug(vocab):
    rules = vocab.slots
    for text in ("you may feel it", "10 mg", "testdrug", "serious medicines"):
        assert open_term(text, 0, len(text), rules, frozenset({"testdrug"})) is None, text
    term = open_term("fluttery heartbeats", 0, 19, rules, frozenset())
    assert term.term == "fluttery heartbeats"
    assert open_key("side_effects", term) == open_key("side_effects", open_term("Fluttery heartbeat", 0, 18, rules, frozenset()))


def test_a_colon_opens_a_list_that_runs_to_the_end_of_the_sentence(vocab):
    sentence = "Tell your doctor if you have: A; B, C; or D."
    assert slot_end(sentence, sentence.index(":"), vocab.slots.ends) == len(sentence)
    clauses = "Tell your doctor if you have A; they may change your dose."
    assert slot_end(clauses, clauses.index(" A"), vocab.slots.ends) == clauses.index(";")


def test_semicolons_before_a_last_or_item_separate_the_items_of_one_list(vocab):
    sentence = "Tell your doctor if you have had A (a rare condition); B; diarrhoea that lasts; or C, because it matters."
    assert slot_end(sentence, sentence.index(" A"), vocab.slots.ends) == sentence.index(", because")


def test_bare_lists_are_runs_of_short_items(vocab):
    sentence = "When parasites die, you may get a rash, fever, swollen glands or joint pain."
    (run,) = bare_lists(sentence, vocab.slots)
    assert spans(sentence, run) == ["fever", "swollen glands", "joint pain"]
    assert bare_lists("Diazepam, sold as Valium, is used widely.", vocab.slots) == []


def test_every_item_of_a_colon_list_after_a_frame_is_a_warning(extractor):
    _, facts = extract("Tell your doctor if you have: heart problems; low potassium in your blood; "
                       "a history of zzfoo syndrome; or glaucoma.", extractor)
    warnings = {f.canonical for f in facts if f.topic == "warnings"}
    assert {"heart disease", "low potassium", "glaucoma", "zzfoo syndrome"} <= warnings


def test_a_shared_head_word_names_each_item(extractor):
    _, facts = extract("Tell your doctor if you have liver or kidney disease.", extractor)
    assert {f.canonical for f in facts if f.topic == "warnings"} == {"liver disease", "kidney disease"}


def test_unknown_items_of_a_list_of_known_side_effects_are_side_effects(extractor):
    _, facts = extract("Side effects\nDizziness, headache, feeling wiped out, or blurred vision may occur.", extractor)
    effects = {(f.canonical, f.key_kind) for f in facts if f.topic == "side_effects"}
    assert ("feeling wiped out", "open") in effects and ("dizziness", "concept") in effects


def test_a_list_needs_two_known_items_of_one_topic(extractor):
    _, facts = extract("Side effects\nZzalpha, zzbeta, zzgamma or headache.", extractor)
    assert {f.canonical for f in facts if f.topic == "side_effects"} == {"headache"}


def test_a_concept_shows_the_page_words_that_say_more_than_its_name(vocab):
    sentence = "It may cause an irregular heartbeat or headaches."
    at = sentence.index("irregular")
    assert shown_term("heart rhythm problems", sentence, at, at + 19, vocab.slots) == \
        "heart rhythm problems (irregular heartbeat)"
    at = sentence.index("headaches")
    assert shown_term("headaches", sentence, at, at + 9, vocab.slots) == "headaches"


def test_a_lead_in_line_opens_a_list_for_the_lines_after_it(extractor):
    _, facts = extract("Before you start\nTell your doctor if you have ever had:\ngout;\nzzfoo malady;\n"
                       "It can be taken with food.\nzzbar palsy\n"
                       "Notes\nDon't take it if you:\nhave kidney disease", extractor)
    got = {(f.topic, f.canonical) for f in facts}
    assert {("warnings", "gout"), ("warnings", "zzfoo malady"),
            ("contraindications", "kidney disease")} <= got
    assert not [f for f in facts if "zzbar" in f.canonical]  # a sentence between closes the list


def test_a_bare_list_of_unresolved_concepts_takes_their_common_topic(extractor):
    _, facts = extract("Widespread results embody aggression, dry mouth, shaking and zzqux.", extractor)
    assert {f.canonical for f in facts if f.topic == "side_effects"} >= {"dry mouth", "zzqux"}
    _, facts = extract("It blocks adrenaline, so it calms shaking, sweating and a pounding heart.", extractor)
    assert not [f for f in facts if f.topic == "side_effects"]


def test_a_definition_may_name_the_strength_and_form_and_an_aside_between_dashes(extractor):
    for sentence in ("Testdrug 20mg Tablet is an anticholinergic.",
                     "Testdrug – sold as Zzbrand in the US – is an anticholinergic prescribed for cramps."):
        _, facts = extract(sentence, extractor)
        assert "anticholinergic" in {f.canonical for f in facts if f.topic == "mechanism"}, sentence


def test_a_definition_of_the_drug_names_its_class(extractor):
    _, facts = extract("Testdrug (sold as Zzbrand) is a loop diuretic that flushes out salt. "
                       "It is an anticonvulsant used for seizures.", extractor)
    assert {"loop diuretic", "anticonvulsant"} <= {f.canonical for f in facts if f.topic == "mechanism"}


def test_a_forum_answer_keeps_its_question_and_urgent_symptoms_are_side_effects(extractor):
    _, facts = extract("Is all this bruising normal?\nGreg_Afib67 · 12 Feb 2023\n"
                       "Go to the ER though if you see black stools, blood in your pee or zzfoo spots.", extractor)
    assert {"black stools", "blood in urine", "zzfoo spots"} <= {f.canonical for f in facts if f.topic == "side_effects"}


def test_other_drugs_named_in_an_interaction_sentence_are_interactions(extractor):
    _, facts = extract("Metronidazole interactions\nMetronidazole also boosts the effect of Coumadin, and it can "
                       "push up blood levels of lithium. Metronidazole is an antibiotic.", extractor)
    assert {"interactions.warfarin", "interactions.lithium"} <= {f.key for f in facts if f.topic == "interactions"}


def test_a_concept_ending_in_a_preposition_shows_its_object(vocab):
    sentence = "Do not take it if you are allergic to amlodipine or any other dihydropyridine."
    at = sentence.index("allergic")
    assert shown_term("allergy to the drug", sentence, at, at + len("allergic to"), vocab.slots) == \
        "allergy to the drug (allergic to amlodipine)"


def test_dosage_forms_may_be_common_words(extractor):
    _, facts = extract("Testdrug comes as a tablet, an extended-release tablet and an oral liquid.", extractor)
    assert {"tablet", "extended-release tablet"} <= {f.canonical for f in facts if f.topic == "dosage"}


def test_including_opens_a_list_like_include(extractor):
    _, facts = extract("Uses\nTestdrug is prescribed for many conditions, including:\n- flares of zzfoo disease\n"
                       "- rheumatoid arthritis and lupus", extractor)
    assert {"flares of zzfoo disease", "lupus"} <= {f.canonical for f in facts if f.topic == "indication"}
