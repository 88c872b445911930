"""Small marketing-style pages about other drugs: the vocabularies are not isotretinoin-only."""
from pathlib import Path

import pandas as pd
import pytest

from pipeline.run import RunOptions, run_pipeline

PAGES = {
    "sildenafil.txt": (
        "Add to cart\nViagra 100mg - Buy Online\n"
        "Viagra (sildenafil) is a PDE5 inhibitor used to treat erectile dysfunction in men. "
        "It works by relaxing the blood vessels and increases blood flow to the penis.\n"
        "The usual dose is 50 mg taken about one hour before sexual activity. The maximum dose is 100 mg once a day.\n"
        "Common side effects include headaches, flushing, nasal congestion and dizziness. "
        "Do not take Viagra with nitrates, as the combination can cause a dangerous drop in blood pressure.\n"
        "© BluePills.com 2024. All rights reserved.\n"),
    "metformin.txt": (
        "Metformin 500 mg Tablets\n"
        "Glucophage, containing the active ingredient metformin, is used to treat type 2 diabetes. "
        "It lowers blood sugar by reducing glucose production in the liver and improves insulin sensitivity.\n"
        "Take it with meals to reduce stomach upset. The starting dose is 500 mg twice daily.\n"
        "Side effects may include nausea, diarrhoea and loss of appetite. Avoid drinking too much alcohol. "
        "Your doctor will check your kidney function with regular blood tests.\n"
        "Write a comment\n"),
    "sertraline.txt": (
        "Sertraline (Zoloft) is an SSRI prescribed for depression and panic disorder.\n"
        "It may take 4 to 6 weeks before you notice an improvement in your mood. "
        "Sertraline is a prescription-only medicine.\n"
        "Possible side effects include nausea, insomnia, sweating and sexual side effects. "
        "It does not cause weight gain in most people. "
        "Do not combine it with MAOIs or St John's Wort. Store at room temperature out of the reach of children.\n"
        "This information is for educational purposes only and is not intended as medical advice.\n"),
}


@pytest.fixture(scope="module")
def tables(tmp_path_factory):
    raw = tmp_path_factory.mktemp("raw")
    for name, text in PAGES.items():
        (raw / name).write_text(text)
    out = tmp_path_factory.mktemp("out")
    run_pipeline(RunOptions(Path(raw), Path(out)))
    return {n: pd.read_parquet(out / f"{n}.parquet") for n in ("pages", "facts", "blocks")}


def facts_of(tables, page):
    f = tables["facts"]
    return f[f.page_id == page]


def test_each_page_gets_its_drug(tables):
    drugs = dict(zip(tables["pages"].page_id, tables["pages"].drug))
    assert drugs == {"sildenafil.txt": "sildenafil", "metformin.txt": "metformin", "sertraline.txt": "sertraline"}


def test_sildenafil_facts(tables):
    f = facts_of(tables, "sildenafil.txt")
    assert {"indication.erectile_dysfunction", "mechanism.pde5_inhibitor", "mechanism.increases_blood_flow",
            "side_effects.headache", "side_effects.dizziness", "side_effects.nasal_congestion",
            "interactions.nitrates"} <= set(f.key)
    doses = {(r.key, r.value_min, r.unit) for r in f.itertuples() if r.value_min == r.value_min and r.topic == "dosage"}
    assert ("dosage.max_dose", 100.0, "mg/day") in doses and ("dosage.usual_dose", 50.0, "mg") in doses


def test_metformin_facts(tables):
    f = facts_of(tables, "metformin.txt")
    assert {"indication.type_2_diabetes", "mechanism.lowers_blood_sugar", "administration.take_with_food",
            "side_effects.nausea", "side_effects.diarrhoea", "side_effects.loss_of_appetite",
            "interactions.alcohol", "monitoring.kidney_function", "monitoring.regular_blood_tests"} <= set(f.key)


def test_sertraline_facts_and_negation(tables):
    f = facts_of(tables, "sertraline.txt")
    assert {"indication.depression", "mechanism.ssri", "side_effects.insomnia", "interactions.maois",
            "interactions.st_john_s_wort", "storage.store_at_room_temperature",
            "storage.keep_out_of_reach_of_children", "access.prescription_only"} <= set(f.key)
    weight = f[f.key == "side_effects.weight_gain"]
    assert len(weight) == 1 and weight.negated.all()
    onset = f[f.key == "duration.time_to_effect"]
    assert (onset.value_min.tolist(), onset.value_max.tolist(), onset.unit.tolist()) == ([4.0], [6.0], ["weeks"])


def test_boilerplate_on_other_pages(tables):
    b = tables["blocks"]
    marked = set(b[b.is_boilerplate].text)
    assert {"Add to cart", "Viagra 100mg - Buy Online", "© BluePills.com 2024. All rights reserved.", "Write a comment",
            "This information is for educational purposes only and is not intended as medical advice."} <= marked
