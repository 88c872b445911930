import pytest
from conftest import make_page

from pipeline.blocks import split_blocks
from pipeline.boilerplate import classify_blocks
from pipeline.claims import ClaimExtractor, PageContext
from pipeline.drugs import PageDrugs, find_page_drugs


@pytest.fixture(scope="module")
def extractor(vocab):
    return ClaimExtractor(vocab)


def extract(text, extractor, drug="testdrug"):
    """Claims and facts of `text`; `drug` is its main drug unless the text names drugs itself."""
    page = make_page(text)
    blocks = classify_blocks(split_blocks(page, extractor.vocab), page, extractor.vocab)
    drugs = find_page_drugs(text, extractor.vocab)
    if drugs.main is None:
        drugs = PageDrugs(drug, (), frozenset({drug}))
    return extractor.extract(PageContext(page.page_id, page.source, drugs), blocks)


def keys(facts):
    return {(f.topic, f.key) for f in facts}


def test_lists_are_split_into_facts(extractor):
    _, facts = extract("Common side effects include dry skin, lips, and eyes; nosebleeds.", extractor)
    assert {f.term for f in facts if f.topic == "side_effects"} == {"dry skin", "dry lips", "dry eyes", "nosebleeds"}


def test_a_list_naming_one_concept_again_is_one_fact(extractor):
    _, facts = extract("Side effects include swelling of the face, lips or tongue.", extractor)
    assert [f.key for f in facts if f.topic == "side_effects"] == ["side_effects.swelling"]


def test_a_weak_cue_inside_an_item_does_not_change_its_topic(extractor):
    _, facts = extract("Side effects include swelling in the ankles, blurred vision or lower back pain.", extractor)
    assert {f.topic for f in facts} == {"side_effects"}
    _, facts = extract("Do not take it if you have liver disease or if you are pregnant.", extractor)
    assert {f.topic for f in facts} == {"contraindications", "pregnancy"}


def test_who_a_dose_is_lowered_for_is_no_contraindication(extractor):
    _, facts = extract("Older adults and people with liver problems may need a lower dose.", extractor)
    assert not [f for f in facts if f.topic == "contraindications"]
    _, facts = extract("It isn't right for people with severe kidney problems or heart block.", extractor)
    assert {f.topic for f in facts} == {"contraindications"}


def test_lay_terms_map_to_one_key(extractor):
    _, a = extract("It may cause chapped lips and epistaxis.", extractor)
    _, b = extract("Side effects include dry lips and nose bleeds.", extractor)
    assert keys(a) == keys(b) == {("side_effects", "side_effects.dry_lips"), ("side_effects", "side_effects.nosebleeds")}


def test_negation_and_hedging(extractor):
    claims, facts = extract("Unlike older antihistamines, loratadine does not cause drowsiness.", extractor)
    (fact,) = [f for f in facts if f.topic == "side_effects"]
    assert fact.key == "side_effects.drowsiness" and fact.negated
    _, facts = extract("Not everyone experiences side effects, but some patients may get headaches.", extractor)
    (fact,) = [f for f in facts if f.topic == "side_effects"]
    assert not fact.negated and fact.hedged


def test_negative_wording_states_interactions(extractor):
    _, facts = extract("Do not drink alcohol while taking metronidazole.", extractor)
    (fact,) = [f for f in facts if f.topic == "interactions"]
    assert fact.key == "interactions.alcohol" and not fact.negated


def test_quantities(extractor):
    _, facts = extract(
        "The recommended starting dose is 0.5 to 1 milligram per kilogram of body weight per day. "
        "The maximum dose should not exceed 100 mg per day. Treatment usually lasts 16 to 24 weeks. "
        "Up to 80% of patients improved. Take it every 4 to 6 hours. Use an SPF 30 sunscreen.", extractor)
    got = {(f.key, f.value_min, f.value_max, f.unit) for f in facts if f.value_min is not None}
    assert got == {
        ("dosage.starting_dose_per_kg", 0.5, 1.0, "mg/kg/day"), ("dosage.max_dose", 100.0, 100.0, "mg/day"),
        ("duration.course_length", 16.0, 24.0, "weeks"), ("efficacy.response_rate", 80.0, 80.0, "%"),
        ("dosage.dosing_interval", 4.0, 6.0, "hours"), ("warnings.sunscreen_spf", 30.0, 30.0, "SPF"),
    }


def test_concepts_need_their_topic_in_context(extractor):
    _, facts = extract("Acne breakouts lead to redness and swelling of the face.", extractor)
    assert not [f for f in facts if f.topic == "indication"]
    _, facts = extract("Doxycycline is used to treat acne and rosacea.", extractor)
    assert {f.term for f in facts if f.topic == "indication"} == {"acne", "rosacea"}


def test_treatment_resistant_takes_the_page_condition(extractor):
    _, facts = extract("It treats severe acne. It is prescribed when other treatments have failed.", extractor)
    assert "treatment-resistant acne" in {f.term for f in facts}


def test_evidence_and_offsets_reproduce_the_sentence(extractor):
    text = "Intro line\nMetformin may cause nausea. Take it with meals to reduce stomach upset."
    claims, facts = extract(text, extractor)
    for c in claims:
        assert text[c.char_start:c.char_end] == c.text
    for f in facts:
        claim = next(c for c in claims if c.claim_id == f.claim_id)
        assert f.evidence == claim.text and claim.char_start <= f.char_start < f.char_end <= claim.char_end


def test_repeated_sentences_are_not_counted_twice(extractor):
    text = ("Regular blood tests might be necessary to monitor your liver function and lipid levels.\n"
            "Other text about the weather in spring and summer holidays.\n"
            "Regular blood tests are often necessary to monitor your liver function and lipid levels.")
    claims, facts = extract(text, extractor)
    assert sum(c.dup_of is None for c in claims if c.topic == "monitoring") == 1
    assert {f.counted for f in facts if f.key == "monitoring.liver_function"} == {True, False}


def test_quantity_edge_cases(extractor):
    _, facts = extract(
        "The maximum dose is 2,000 mg per day. Your HbA1c is checked every 3 to 6 months. "
        "An erection lasting longer than 4 hours needs help. Throw the liquid away after 7 days.", extractor)
    got = {(f.key, f.value_min, f.unit) for f in facts if f.value_min is not None}
    assert got == {("dosage.max_dose", 2000.0, "mg/day")}


def test_spelled_out_numbers_are_quantities(extractor):
    _, facts = extract("A course usually lasts sixteen to twenty weeks. Most people notice results within six weeks.", extractor)
    got = {(f.key, f.value_min, f.value_max, f.unit) for f in facts if f.value_min is not None}
    assert ("duration.course_length", 16.0, 20.0, "weeks") in got


def test_with_or_without_food_is_one_instruction(extractor):
    _, facts = extract("You can take it with or without food.", extractor)
    assert {f.key for f in facts} == {"administration.take_with_or_without_food"}


def test_facts_belong_to_the_drug_their_passage_is_about(extractor):
    text = ("Sildenafil\nSildenafil lasts about 4 hours. Common side effects include headaches.\n"
            "Tadalafil\nTadalafil lasts up to 36 hours. It can cause back pain.\n"
            "Take sildenafil one hour before sex. Never take it with nitrates.\n")
    _, facts = extract(text, extractor)
    drug_of = {f.key: f.drug for f in facts}
    assert drug_of["side_effects.headache"] == "sildenafil"
    assert drug_of["side_effects.back_pain"] == "tadalafil"  # its section, and "It" carries the subject
    assert drug_of["interactions.nitrates"] == "sildenafil"  # the sentence before switched back


def test_a_passing_mention_of_another_drug_keeps_the_main_drug(extractor):
    text = ("Finasteride treats hair loss. Finasteride may cause low libido.\n"
            "Many men combine it with minoxidil. Some notice breast tenderness.\n")
    _, facts = extract(text, extractor)
    assert {f.drug for f in facts} == {"finasteride"}


def test_an_interacting_drug_is_not_taken_for_the_subject(extractor):
    text = ("Sertraline treats depression. Sertraline may cause nausea.\n"
            "Tramadol and sertraline together can raise serotonin. Tramadol is a painkiller; avoid tramadol.\n")
    _, facts = extract(text, extractor)
    assert {f.drug for f in facts if f.topic == "interactions"} == {"sertraline"}


def test_frames_recast_conditions_as_warnings_or_contraindications(extractor):
    _, facts = extract(
        "Tell your doctor if you have kidney problems or an underactive thyroid. "
        "Do not take it if you have severe liver disease, as it can build up. "
        "Speak to your doctor first if you have difficulty swallowing.", extractor)
    got = {(f.topic, f.key) for f in facts}
    assert {("warnings", "warnings.kidney_disease"), ("warnings", "warnings.underactive_thyroid"),
            ("contraindications", "contraindications.liver_disease"),
            ("warnings", "warnings.difficulty_swallowing")} <= got
    assert not [f for f in facts if f.topic in ("side_effects", "access")]  # not a side effect, not "consult a doctor"


def test_a_frame_ends_with_its_clause(extractor):
    # Symptoms a reader is told to report are side effects; the advice itself is one warning,
    # and neither reaches past the clause (", as depression has been reported").
    _, facts = extract("Tell your doctor straight away if you notice low mood, as depression has been reported.", extractor)
    assert ("side_effects", "side_effects.depression") in {(f.topic, f.key) for f in facts}
    (advice,) = [f for f in facts if f.topic == "warnings"]
    assert advice.key_kind == "open" and advice.term == "tell your doctor straight away if you notice low mood"


def test_the_topic_cued_nearest_before_a_phrase_wins(extractor):
    _, facts = extract("It is used to treat erectile dysfunction and the symptoms of an enlarged prostate.", extractor)
    assert {f.topic for f in facts} == {"indication"}


def test_ranges_with_the_unit_repeated(extractor):
    _, facts = extract("The usual starting dose is 10 mg to 20 mg once daily. LDL fell by 39% to 60% in trials.", extractor)
    got = {(f.value_min, f.value_max, f.unit) for f in facts if f.value_min is not None}
    assert {(10.0, 20.0, "mg/day"), (39.0, 60.0, "%")} <= got
    _, facts = extract("The usual dose is 10 mg to 20 mcg daily.", extractor)
    assert not [f for f in facts if f.value_min == 10.0 and f.value_max == 20.0]


def test_the_page_drug_is_not_its_own_interaction(extractor):
    _, facts = extract("Atorvastatin treats high cholesterol. Take atorvastatin with or without food, "
                       "and avoid large amounts of grapefruit juice with atorvastatin.", extractor)
    assert "interactions.statins" not in {f.key for f in facts}
    assert "interactions.grapefruit" in {f.key for f in facts}


def test_a_sentence_naming_the_current_drug_stays_about_it(extractor):
    text = ("Sertraline treats depression. Sertraline may cause nausea. Tramadol is a strong painkiller.\n"
            "Tramadol taken with sertraline can cause serotonin syndrome.\n")
    _, facts = extract(text, extractor)
    assert {f.drug for f in facts if f.key == "side_effects.serotonin_syndrome"} == {"sertraline"}


def test_ages_written_without_a_unit(extractor):
    _, facts = extract("Adults and children aged 12 and over take 10 mg once a day. Children aged 6 to 11 can take "
                       "5 mg twice a day. It is not for children under 6.", extractor)
    got = {(f.key, f.value_min, f.value_max, f.unit) for f in facts if f.unit == "years"}
    assert got == {("dosage.min_age", 12.0, 12.0, "years"), ("dosage.age_range", 6.0, 11.0, "years"),
                   ("dosage.max_age", 6.0, 6.0, "years")}


def test_hours_apart_is_a_dosing_interval_unless_it_separates_two_drugs(extractor):
    _, facts = extract("Take the usual dose twice in one day, 12 hours apart.", extractor)
    assert ("dosage.dosing_interval", 12.0) in {(f.key, f.value_min) for f in facts}
    _, facts = extract("Antacids stop the dose being absorbed, so take them 4 hours apart.", extractor)
    assert not [f for f in facts if f.key == "dosage.dosing_interval"]


def test_a_range_may_change_unit(extractor):
    _, facts = extract("For suppressive therapy, the dose is 500 mg to 1 g once daily.", extractor)
    assert ("dosage.dose", 500.0, 1000.0, "mg") in {(f.key, f.value_min, f.value_max, f.unit) for f in facts}


def test_durations_said_with_an_article_are_quantities(extractor):
    def durations(text):
        return {(f.key, f.value_min, f.value_max, f.unit) for f in extract(text, extractor)[1] if f.topic == "duration"}

    assert durations("Most people notice less heartburn within a day or two.") == {
        ("duration.time_to_effect", 1.0, 2.0, "days")}
    assert durations("My doctor had me take it for a fortnight.") == {("duration.course_length", 2.0, 2.0, "weeks")}
    assert durations("Take it twice a day with food.") == set()  # a frequency, not a duration


def test_a_share_of_patients_who_got_better_is_a_response_rate(extractor):
    def rates(text):
        return {(f.key, f.value_min) for f in extract(text, extractor)[1] if f.unit == "%"}

    assert rates("In trials, about 82% of patients reported their symptoms got better.") == {
        ("efficacy.response_rate", 82.0)}
    assert rates("Side effects such as nausea affect 10% of patients.") == {("side_effects.incidence_rate", 10.0)}


def test_standard_label_warnings_are_named(extractor):
    def warnings(text):
        return {f.key for f in extract(text, extractor)[1] if f.topic == "warnings"}

    assert "warnings.stop_before_surgery" in warnings("Before having surgery, tell your surgeon that you take testdrug.")
    assert "warnings.extra_care_in_older_adults" in warnings("Older adults may be more sensitive to its effects.")
    assert "warnings.affects_lab_test_results" in warnings("It can affect the results of some lab tests.")
    assert "warnings.may_mask_low_blood_sugar" in warnings("It may hide the fast heartbeat of low blood sugar.")
    assert not warnings("Older adults often have high blood pressure.")
    assert "warnings.contains_lactose" in warnings("If you cannot tolerate some sugars, ask your doctor first.")
    assert "warnings.avoid_overheating" in warnings("Avoid becoming overheated during exercise.")
    assert "warnings.overdose" in warnings("Taking an excessive amount of testdrug may cause confusion.")
    assert not warnings("Store below 25C and do not overheat.")
    assert "warnings.avoid_driving_if_drowsy" in warnings("It can make you sleepy, so be careful if you drive.")
    assert warnings("Do not stop taking Zzbrand suddenly, as this can cause dizziness.") == {
        "warnings.do_not_stop_suddenly", "warnings.withdrawal_symptoms"}
    assert warnings("Never go cold turkey.") == {"warnings.do_not_stop_suddenly"}


def test_how_long_a_medicine_keeps_is_no_treatment_duration(extractor):
    _, facts = extract("Once in use, a pen can be kept at room temperature for up to 28 days.", extractor)
    assert not [f for f in facts if f.topic == "duration"]
    assert "storage.store_at_room_temperature" in {f.key for f in facts}


def test_a_cue_inside_a_longer_cue_of_another_topic_does_not_count(extractor):
    _, facts = extract("It relieves the symptoms of hay fever, such as sneezing and a runny nose.", extractor)
    assert {f.topic for f in facts} == {"indication"}


def test_a_percentage_before_a_product_form_is_its_strength(extractor):
    _, facts = extract("Men use 5% foam twice a day. In trials, 60% of men saw new hair growth.", extractor)
    got = {(f.key, f.value_min) for f in facts if f.unit == "%"}
    assert got == {("dosage.strength", 5.0), ("efficacy.response_rate", 60.0)}


def test_between_two_doses_with_their_units_is_a_range(extractor):
    # A list of strengths is one strength fact (CONVENTIONS), not a dose range.
    _, facts = extract("Adults take between 5 mg and 60 mg a day. It comes as 10 mg and 20 mg tablets.", extractor)
    ranges = {(f.value_min, f.value_max, f.key) for f in facts if f.topic == "dosage" and f.value_min is not None}
    assert (5.0, 60.0, "dosage.dose") in ranges and (10.0, 20.0, "dosage.strength") in ranges


def test_a_list_of_strengths_is_one_range(extractor):
    _, facts = extract("Available strengths : 2.5 mg, 5 mg, 10 mg", extractor)
    assert [(f.key, f.value_min, f.value_max, f.unit) for f in facts] == [("dosage.strength", 2.5, 10.0, "mg")]


def test_a_frame_cues_its_topic(extractor):
    _, facts = extract("Stop taking it and call your doctor right away if you notice these changes.", extractor)
    assert {f.topic for f in facts} == {"warnings"}


def test_a_cue_inside_a_concept_phrase_of_another_topic_does_not_count(extractor):
    _, facts = extract("Diazepam is a benzodiazepine used to treat anxiety and alcohol withdrawal.", extractor)
    assert ("mechanism", "mechanism.benzodiazepine") in keys(facts)
    assert not [f for f in facts if f.topic == "interactions"]


def test_ages_are_lower_or_upper_limits(extractor):
    _, facts = extract("Children aged 6 years and over can take it. It is not for children under 12 years old. "
                       "Treatment usually lasts for 2 years.", extractor)
    got = {(f.key, f.value_min, f.unit) for f in facts if f.value_min is not None}
    assert got == {("dosage.min_age", 6.0, "years"), ("dosage.max_age", 12.0, "years"),
                   ("duration.course_length", 2.0, "years")}


def test_a_dose_and_the_dose_it_may_rise_to_are_one_range(extractor):
    _, facts = extract("Adults start with 5 mg daily, which may be raised to 10 mg daily. "
                       "The maximum dose is 2,000 mg per day (some guidelines allow up to 2,550 mg). "
                       "The dose can be raised in steps of 50 mg, up to a maximum of 200 mg a day.", extractor)
    got = {(f.key, f.value_min, f.value_max, f.unit) for f in facts if f.value_min is not None}
    assert ("dosage.starting_dose", 5.0, 10.0, "mg/day") in got
    assert ("dosage.max_dose", 2000.0, 2000.0, "mg/day") in got and ("dosage.max_dose", 200.0, 200.0, "mg/day") in got


def test_rules_read_plain_characters_and_evidence_stays_as_scraped(extractor):
    text = "Side\u2011Effects: What to Watch For\nThe most reported side\u2011effects are headache and dizziness."
    claims, facts = extract(text, extractor)
    effects = [f for f in facts if f.topic == "side_effects"]
    assert {f.canonical for f in effects} == {"headache", "dizziness"}
    assert all(f.evidence in text and "\u2011" in f.evidence for f in effects)


def test_frequencies_are_counts_per_period_whatever_the_wording(extractor):
    _, facts = extract("Adults take 25 mg three or four times a day. Children take one tablet twice daily. "
                       "Take it at the same time each day.", extractor)
    got = {(f.term, f.value_min, f.value_max, f.unit) for f in facts if f.key == "dosage.frequency"}
    assert got == {("three or four times a day", 3.0, 4.0, "times/day"), ("twice a day", 2.0, 2.0, "times/day")}


def test_storage_temperatures_are_quantities_only_in_storage_context(extractor):
    _, facts = extract("Store below 30°C. Keep it at room temperature (15–30°C). "
                       "Call a doctor if you have a fever above 38 °C.", extractor)
    got = {(f.term, f.value_min, f.value_max) for f in facts if f.key == "storage.temperature"}
    assert got == {("store below 30°C", 30.0, 30.0), ("store 15-30°C", 15.0, 30.0)}


def test_a_dosing_sentence_admits_how_to_take_it(extractor):
    _, facts = extract("To prevent repeat infections, take 50 mg once a day at bedtime.", extractor)
    assert ("administration", "administration.take_in_the_evening_or_at_bedtime") in keys(facts)
    _, facts = extract("Rest well at bedtime.", extractor)
    assert not any(f.topic == "administration" for f in facts)


def test_dosage_forms_need_a_modifier_or_a_strength(extractor):
    _, facts = extract("It comes as 5 mg, 10 mg and 20 mg tablets and as an oral solution. Keep the tablets dry.",
                       extractor)
    forms = {f.term for f in facts if f.key.startswith("dosage.form.")}
    assert forms == {"tablet", "oral solution"}
    _, facts = extract("Each film-coated tablet holds the active drug.", extractor)
    assert {f.term for f in facts if f.key.startswith("dosage.form.")} == {"film-coated tablet"}


def test_a_lead_in_ending_in_if_opens_its_frames_list(extractor):
    _, facts = extract("Warnings\n\nDon't Use It If…\n- you have Cockburn disease\n- you're allergic to aspirin\n\n"
                       "Ask a Doctor First If…\n- you have kidney disease", extractor)
    assert ("contraindications", "cockburn disease") in {(f.topic, f.term) for f in facts}
    assert ("warnings", "kidney disease") in {(f.topic, f.term) for f in facts}


def test_the_signs_after_a_condition_are_not_facts_of_their_own(extractor):
    _, facts = extract("Serious side effects\n\n- low sodium level – headache, confusion, slurred speech\n"
                       "- Common – nausea, dizziness", extractor)
    terms = {f.canonical for f in facts if f.topic == "side_effects"}
    assert "headache" not in terms and {"nausea", "dizziness"} <= terms


def test_stopping_suddenly_and_its_withdrawal_symptoms_are_two_warnings_not_side_effects(extractor):
    _, facts = extract("Stopping suddenly can cause withdrawal symptoms such as nausea and headache.", extractor)
    assert sorted(f.canonical for f in facts) == ["do not stop suddenly", "withdrawal symptoms"]


def test_a_price_claim_shows_its_clause(extractor):
    _, facts = extract("Generic tablets often cost under $20 a month with a discount card.", extractor)
    assert [f.term for f in facts if f.topic == "access"] == [
        "price (generic tablets often cost under 20 a month with a discount card)"]


def test_a_list_of_medicines_after_tell_your_doctor_about_your_medicines(extractor):
    _, facts = extract("Cephalexin\n\nTell your doctor about all your current medicines, especially:\n- probenecid;\n"
                       "- tramadol\n- digoxin\n\nAlso tell your doctor about all the medicines you take, especially "
                       "warfarin and aspirin.", extractor, drug="cephalexin")
    assert {f.canonical for f in facts if f.topic == "interactions"} >= {"probenecid", "tramadol", "digoxin", "warfarin",
                                                                          "aspirin"}


def test_about_names_an_indication_heading_only_at_its_start(vocab):
    assert vocab.heading_topics("About cephalexin") == {"indication"}
    assert "indication" not in vocab.heading_topics("Tell your doctor about all your medicines:")


def test_a_product_title_and_a_strength_field_list_strengths(extractor):
    _, facts = extract("Cephalexin 250mg / 500mg / 750mg\n\nStrength: 25mg | 50mg | 75mg", extractor)
    assert sorted((f.value_min, f.value_max) for f in facts if f.key == "dosage.strength") == [(25, 75), (250, 750)]


def test_spun_wordings_are_read_as_the_words_they_replaced(extractor, vocab):
    text = "On the off chance that you neglect to take a portion, take it when you remember."
    reading, origin = vocab.unspin(text)
    assert reading == "If you forget to take a dose, take it when you remember."
    assert text[origin[reading.index("dose")]:origin[reading.index("dose") + 4]] == "portion"
    _, facts = extract("The most widely recognized incidental effects are cerebral pain and stomach torment.", extractor)
    assert {f.canonical for f in facts if f.topic == "side_effects"} == {"headache", "stomach pain"}
    assert {f.surface for f in facts} == {"cerebral pain", "stomach torment"}


def test_claims_never_read_a_cut_selling_fragment(extractor):
    _, facts = extract("It works by blocking an enzyme in the liver, so it buy rosuvastatin online cheap lowers bad "
                       "cholesterol and the risk of a heart attack.", extractor, drug="rosuvastatin")
    assert facts and not [f for f in facts if f.topic == "access"]


def test_a_list_item_narrows_the_concept_it_ends_with(extractor):
    _, facts = extract("It is used for urinary tract infections, kidney infections, skin infections and "
                       "certain infections.", extractor)
    infections = sorted((f.key, f.term) for f in facts if f.key.startswith("indication.infection"))
    assert infections == [("indication.infection", "infection (infections)"),
                          ("indication.infection.kidney", "infection (kidney infections)")]


def test_lines_after_a_colon_take_the_section_topic_but_a_question_lists_nothing(extractor):
    _, facts = extract("Spironolactone 25 mg\nDrug interactions\nTaking spironolactone with any of these medicines "
                       "may change how it works:\nEnalapril\nLithium\nHave a question? Ask our pharmacist", extractor)
    assert {f.term for f in facts if f.topic == "interactions"} == {"enalapril", "lithium"}


def test_a_patient_on_a_drug_for_a_condition_states_an_indication(extractor):
    _, facts = extract("GP put me on duloxetine 30mg last Monday for depression and anxiety. I'm on 60mg for "
                       "fibromyalgia and it's the only thing that helps. Patients prescribed it should be "
                       "monitored for mood changes.", extractor, drug="duloxetine")
    assert {f.canonical for f in facts if f.topic == "indication"} == {"depression", "anxiety", "neuropathic pain"}


@pytest.mark.parametrize("sentence, expected", [
    ("Took about 3 weeks before I noticed.", ("duration.time_to_effect", 3.0, 3.0, "weeks")),
    ("Mood and anxiety usually take 4–6 weeks to improve fully.", ("duration.time_to_effect", 4.0, 6.0, "weeks")),
    ("The sleepy effect lasts roughly 6-8 hours.", ("duration.effect_length", 6.0, 8.0, "hours")),
    ("Take 10 mg twice a day for the first 7 days.", ("duration.course_length", 7.0, 7.0, "days")),
])
def test_where_a_time_quantity_sits_says_what_it_measures(extractor, sentence, expected):
    _, facts = extract(sentence, extractor)
    assert expected in {(f.key, f.value_min, f.value_max, f.unit) for f in facts if f.topic == "duration"}


@pytest.mark.parametrize("sentence", [
    "Never take it with an MAOI, or within 14 days of stopping one.",
    "Do not use it in the first three months of pregnancy.",
    "Our pharmacists answer within 24 hours.",
    "An erection lasting more than 4 hours needs urgent care.",
])
def test_times_that_measure_no_treatment_are_no_duration(extractor, sentence):
    _, facts = extract(sentence, extractor)
    assert not [f for f in facts if f.topic == "duration"]


def test_a_spun_overdose_sentence_is_one_warning(extractor):
    _, facts = extract("Indications of excess may incorporate queasiness, regurgitating and discombobulation.", extractor)
    assert {(f.topic, f.key) for f in facts} == {("warnings", "warnings.overdose")}


def test_hours_between_doses_are_a_dosing_interval(extractor):
    _, facts = extract("Leave at least four hours between doses.", extractor)
    assert ("dosage.dosing_interval", 4.0, "hours") in {(f.key, f.value_min, f.unit) for f in facts}


def test_a_liquid_concentration_keeps_its_volume(extractor):
    _, facts = extract("It also comes as a liquid (40mg per 5mL) and an oral solution (1 mg per mL).", extractor)
    got = {(f.key, f.value_min, f.unit) for f in facts}
    assert {("dosage.strength", 40.0, "mg/5 ml"), ("dosage.strength", 1.0, "mg/ml")} <= got


def test_long_lines_under_an_if_lead_in_stay_its_items(extractor):
    text = ("Talk to your doctor or pharmacist before taking this medicine if:\n"
            "you have been taking a treatment for heartburn continuously for 4 or more weeks\n"
            "you have jaundice (yellowing of the skin or eyes) or severe liver problems")
    _, facts = extract(text, extractor)
    assert {"warnings.jaundice", "warnings.liver_disease"} <= {f.key for f in facts}


def test_be_careful_if_you_have_is_a_warning(extractor):
    _, facts = extract("Be careful if you have diabetes – it can hide the signs of low blood sugar.", extractor)
    assert "warnings.diabetes" in {f.key for f in facts}


def test_a_dose_range_and_a_later_maximum_stay_two_facts(extractor):
    _, facts = extract("The usual adult range is 15 to 30 mg a day, and the label maximum is 60 mg per day.", extractor)
    got = {(f.key, f.value_min, f.value_max) for f in facts if f.topic == "dosage"}
    assert {("dosage.usual_dose", 15.0, 30.0), ("dosage.max_dose", 60.0, 60.0)} <= got


def test_coordinated_items_share_the_last_head_word(extractor):
    _, facts = extract("It isn't recommended if you have severe liver or kidney disease.", extractor)
    assert {"contraindications.liver_disease", "contraindications.kidney_disease"} <= {f.key for f in facts}
    _, facts = extract("It is used to treat chest, ear and urinary infections.", extractor)
    assert {"indication.chest_infections", "indication.ear_infections"} <= {f.key for f in facts}


def test_a_forum_line_of_experience_cues_side_effects(extractor):
    _, facts = extract("I also noticed a little hair thinning but not sure if it's the pills.", extractor)
    assert "side_effects.hair_thinning" in {f.key for f in facts}


def test_a_maximum_never_opens_a_range_and_24_hours_is_a_day(extractor):
    _, facts = extract("Don't go over 1,200mg in 24 hours; under supervision the ceiling goes up to 3,200mg a day.", extractor)
    got = {(f.key, f.value_min, f.value_max, f.unit) for f in facts if f.value_min is not None}
    assert got == {("dosage.max_dose", 1200.0, 1200.0, "mg/day"), ("dosage.max_dose", 3200.0, 3200.0, "mg/day")}


def test_warning_frames_take_the_conditions_they_name(extractor):
    for sentence in ("Let your doctor know about myasthenia gravis, ulcerative colitis or dementia.",
                     "Tell your doctor about a history of myasthenia gravis, ulcerative colitis or dementia.",
                     "Check with your medical practitioner before taking it if you have myasthenia gravis, "
                     "ulcerative colitis or dementia.",
                     "Tell your doctor your medical history, especially of: myasthenia gravis, ulcerative colitis, dementia.",
                     "Tell your medical doctor in case you have had myasthenia gravis (a muscle disease); "
                     "ulcerative colitis; or dementia."):
        _, facts = extract(sentence, extractor)
        assert {f.key for f in facts if f.topic == "warnings"} >= {
            "warnings.myasthenia_gravis", "warnings.inflammatory_bowel_disease", "warnings.dementia"}, sentence


def test_one_price_per_clause(extractor):
    _, facts = extract("A pack of 30 tablets costs about $12.50 ($0.41 per pill) at most pharmacies.", extractor)
    assert len([f for f in facts if f.key == "access.price"]) == 1
    _, facts = extract("The 200-count bottle of Aleve works out roughly 40% cheaper per pill than the 24-count, and "
                       "store-brand naproxen sodium is the exact same 220mg drug for a fraction of the price.", extractor)
    assert len([f for f in facts if f.key == "access.price"]) == 2


def test_what_is_checked_is_monitored(extractor):
    _, facts = extract("Your doctor will check your height, weight, heart rate and blood pressure regularly.", extractor)
    assert {f.term for f in facts if f.topic == "monitoring"} >= {"height", "weight", "heart rate", "blood pressure"}
    _, facts = extract("Check with your doctor before you take it.", extractor)
    assert not [f for f in facts if f.topic == "monitoring"]


def test_a_prohibition_shows_the_pages_own_words(extractor):
    _, facts = extract("If you miss a dose, take it when you remember. Do not double the dose.", extractor)
    assert "do not double up after a missed dose (do not double the dose)" in {f.term for f in facts}


def test_a_class_among_other_drugs_is_an_interaction(extractor):
    _, facts = extract("Tell your doctor if you take SSRI or SNRI antidepressants such as fluoxetine.", extractor)
    assert {"interactions.ssri", "interactions.snri"} <= {f.key for f in facts}
    assert not [f for f in facts if f.topic == "mechanism"]
    _, facts = extract("Sertraline is an SSRI.", extractor, drug="sertraline")
    assert {f.key for f in facts} == {"mechanism.ssri"}


def test_effects_on_the_baby_are_pregnancy_facts(extractor):
    _, facts = extract("Taking it while pregnant can cause spina bifida in the unborn baby.", extractor)
    assert {f.topic for f in facts if "spina" in f.term} == {"pregnancy"}


def test_an_aside_of_examples_separates_a_class_from_its_drugs(extractor):
    _, facts = extract("Never combine it with an MAOI (like phenelzine, selegiline or linezolid).", extractor)
    assert {"interactions.phenelzin", "interactions.selegilin", "interactions.linezolid"} <= {f.key for f in facts}


def test_a_drug_on_a_side_effect_list_line_is_an_interaction_and_the_own_drug_never_is(extractor):
    text = ("Bisoprolol tablets\nSome medicines can change how bisoprolol works or increase its side effects, "
            "including:\ndigoxin\nverapamil and diltiazem\n")
    _, facts = extract(text, extractor, drug="bisoprolol")
    assert {f.key for f in facts} == {"interactions.digoxin", "interactions.verapamil", "interactions.diltiazem"}


def test_medicines_named_by_what_they_are_for_are_interactions(extractor):
    text = "Ask your doctor before using a sleeping pill, a muscle relaxer, or medicine for anxiety or seizures."
    _, facts = extract(text, extractor)
    assert {(f.topic, f.term) for f in facts} >= {("interactions", "medicine for anxiety"),
                                                  ("interactions", "medicine for seizures")}
    assert "interactions.muscle_relaxants" in {f.key for f in facts}
    assert not [f for f in facts if f.topic == "indication"]
    _, facts = extract("It is a medicine for high blood pressure.", extractor)
    assert {f.topic for f in facts} == {"indication"}


def test_drugs_given_as_examples_of_a_use_are_interactions(extractor):
    text = ("Do not take it with the following medicines:\n"
            "- other medicines for an uneven heartbeat such as sotalol or quinidine\n")
    _, facts = extract(text, extractor)
    assert {f.key for f in facts} >= {"interactions.sotalol", "interactions.quinidine"}
    assert not [f for f in facts if f.topic == "indication"]


def test_drugs_said_to_affect_this_one_open_a_list_of_interactions(extractor):
    text = "Many drugs can affect haloperidol, especially:\n- lithium;\n- carbamazepine or rifampin;\n"
    _, facts = extract(text, extractor, drug="haloperidol")
    assert {f.key for f in facts} == {"interactions.lithium", "interactions.carbamazepine", "interactions.rifampin"}


def test_a_definition_names_the_class_with_a_salt_or_a_family(extractor):
    _, facts = extract("Divalproex sodium is an anticonvulsant.", extractor, drug="divalproex")
    assert {f.key for f in facts} == {"mechanism.anticonvulsant"}
    _, facts = extract("Glyburide is an oral antidiabetic from the sulfonylurea family.", extractor, drug="glyburide")
    assert "sulfonylurea family" in {f.term for f in facts if f.topic == "mechanism"}
    assert not [f for f in facts if f.topic == "interactions"]


def test_stopping_without_the_doctor_is_a_warning(extractor):
    _, facts = extract("Do not stop taking testdrug without talking to your doctor first.", extractor)
    assert {(f.topic, f.term) for f in facts} == {("warnings", "do not stop")}
    _, facts = extract("Stop taking it and call your doctor if you get a rash.", extractor)
    assert "warnings.do_not_stop" not in {f.key for f in facts}


def test_tests_a_reader_will_have_are_monitoring(extractor):
    _, facts = extract("You may need an ECG and a blood test for electrolytes first.", extractor)
    assert "monitoring.ecg" in {f.key for f in facts}
    _, facts = extract("Have a breast exam and a pelvic exam every year.", extractor)
    assert {f.term for f in facts if f.topic == "monitoring"} >= {"breast exam"}
    _, facts = extract("You may need a dose adjustment.", extractor)
    assert not [f for f in facts if f.topic == "monitoring"]


def test_items_named_before_their_wording(extractor):
    _, facts = extract("Sipping water or chewing sugar-free gum can help with dry mouth.", extractor)
    assert {f.term for f in facts if f.topic == "warnings"} == {"sipping water", "chewing sugar-free gum"}
    _, facts = extract("Platelet counts and valproate blood levels are also checked.", extractor)
    assert {f.term for f in facts if f.topic == "monitoring"} == {"platelet counts", "valproate blood levels"}
    _, facts = extract("Mirtazapine tablets. Mirtazapine is an antidepressant. If you take warfarin, your INR should "
                       "be checked carefully.", extractor)
    assert {("interactions", "interactions.warfarin"), ("monitoring", "monitoring.inr")} <= {
        (f.topic, f.key) for f in facts}


def test_medical_conditions_including_if_you_opens_a_list_of_warnings(extractor):
    text = "Tell your doctor about all your medical conditions, including if you:\nhave myasthenia gravis\nhave dementia\n"
    _, facts = extract(text, extractor)
    assert {f.key for f in facts if f.topic == "warnings"} >= {"warnings.myasthenia_gravis", "warnings.dementia"}


def test_times_of_another_topic_and_a_missed_dose_window(extractor):
    text = ("Store it below 25C and, once opened, use the suspension within 17 days. Never combine it with an MAOI "
            "or take it within 14 days of stopping one. If you miss a dose, skip it if the next one is due within 2 hours.")
    _, facts = extract(text, extractor)
    times = {(f.topic, f.value_min, f.unit) for f in facts if f.unit in ("days", "hours")}
    assert times == {("storage", 17.0, "days"), ("interactions", 14.0, "days")}


def test_a_patients_on_it_for_names_the_indication_up_to_the_first_for(extractor):
    _, facts = extract("I was on it for high blood pressure for years. Ten years on it for angina here.", extractor)
    assert {"indication.high_blood_pressure", "indication.angina"} <= {f.key for f in facts}


def test_what_it_does_not_work_against_is_a_negated_indication(extractor):
    _, facts = extract("It does not work against the common cold. It won't do anything for a cold.", extractor)
    assert {f.negated for f in facts if f.topic == "indication"} == {True}
    assert len([f for f in facts if f.topic == "indication"]) == 2


def test_never_take_two_doses_at_once_stands_alone(extractor):
    _, facts = extract("Never take two doses at once.", extractor)
    assert [f.term for f in facts] == ["do not double up after a missed dose (never take two doses at once)"]


def test_prescription_and_over_the_counter_medicines_are_other_products(extractor):
    _, facts = extract("Tell your doctor about all your prescription and over-the-counter medicines and vitamins.", extractor)
    assert not [f for f in facts if f.topic == "access"]
    _, facts = extract("It is available over the counter at most pharmacies.", extractor)
    assert [f.key for f in facts if f.topic == "access"] == ["access.available_without_a_prescription"]


def test_if_you_get_symptoms_then_call_your_doctor_lists_side_effects(extractor):
    _, facts = extract("If you get dark pee or yellow eyes call your doctor that day.", extractor)
    assert {f.term for f in facts} == {"dark pee", "yellow eyes"}
    assert {f.topic for f in facts} == {"side_effects"}


def test_if_you_have_a_condition_then_tell_your_doctor_is_a_warning(extractor):
    _, facts = extract("If you have myasthenia gravis or dementia, tell your doctor before taking it. "
                       "If you have any questions, ask your pharmacist.", extractor)
    assert {f.key for f in facts} == {"warnings.myasthenia_gravis", "warnings.dementia"}


def test_a_course_that_may_go_on_longer_is_one_range_but_not_across_a_semicolon(extractor):
    _, facts = extract("Treatment usually lasts 5 years, and some people continue for up to ten years.", extractor)
    assert {(f.value_min, f.value_max, f.unit) for f in facts if f.topic == "duration"} == {(5.0, 10.0, "years")}
    _, facts = extract("For reflux, take it for up to 6 weeks; for ulcers, for up to 12 weeks.", extractor)
    assert {(f.value_min, f.value_max) for f in facts if f.topic == "duration"} == {(6.0, 6.0), (12.0, 12.0)}


def test_a_leaflet_lead_in_before_taking_opens_warnings_and_its_if_you_lines_fill_it(extractor):
    text = ("Talk to your doctor or pharmacist before taking Testdrug:\n- if you have myasthenia gravis.\n"
            "- if you are taking diuretics (water tablets).\n")
    _, facts = extract(text, extractor)
    assert {(f.topic, f.key) for f in facts} == {("warnings", "warnings.myasthenia_gravis"),
                                                 ("interactions", "interactions.diuretics")}
    # with nothing after "before taking:", the list is what you take, not conditions to warn about
    assert extractor.lead_in("Check with a pharmacist before taking:").topic == "interactions"
    assert extractor.lead_in("Talk to your doctor or pharmacist before taking Testdrug:").topic == "warnings"
