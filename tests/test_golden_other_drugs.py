"""Golden pages about twenty-three other drugs (tests/golden/other_drugs), each page's gold written and
committed before the pipeline ever ran on it. Blind first scores: the first four pages (sildenafil,
metformin, sertraline, amoxicillin) F1 0.667; the next four (atorvastatin, omeprazole,
levothyroxine, finasteride) F1 0.555; then cetirizine, valacyclovir, semaglutide F1 0.68;
fluconazole, prednisolone, montelukast F1 0.61; tramadol, minoxidil, orlistat F1 0.60;
lisinopril, diazepam, ivermectin F1 0.69; azithromycin, levonorgestrel, propranolol F1 0.64. After
general fixes prompted by them (frames such as "tell your doctor if you have X", broader
vocabularies, unit-repeated ranges, ages without a unit, sentence-case headings, strengths such as
"5% foam", cues inside concept phrases ignored): F1 0.902 on all twenty-three.
The floor is issue 4's 0.90. These pages are now a development set: they overstate quality on
pages never seen. Boilerplate: 130 of 140 gold strings removed (0.929) and 6 of 429 evidence
sentences lost when pinned, after the furniture pass for text pages."""
import shutil

import pandas as pd
import pytest
from conftest import ROOT

from pipeline.boilerplate_scoring import score_boilerplate_table
from pipeline.run import RunOptions, run_pipeline
from pipeline.scoring import load_gold, score_facts_table

GOLD = ROOT / "tests" / "golden" / "other_drugs"
F1_FLOOR = 0.90
BOILERPLATE_REMOVED_FLOOR = 0.91
MOST_EVIDENCE_LOST = 6


@pytest.fixture(scope="module")
def facts(tmp_path_factory):
    raw = tmp_path_factory.mktemp("raw")
    for page in GOLD.glob("*/page.txt"):
        (raw / page.parent.name).mkdir()
        shutil.copy(page, raw / page.parent.name / "page.txt")
    out = tmp_path_factory.mktemp("out")
    run_pipeline(RunOptions(raw, out))
    return pd.read_parquet(out / "facts.parquet"), pd.read_parquet(out / "pages.parquet"), out / "blocks.parquet"


def test_other_drug_pages_quality_floor(facts):
    table, pages, _ = facts
    result = score_facts_table(GOLD, table)
    assert result.overall.f1 >= F1_FLOOR, result.overall
    drugs = {p.split("/")[0]: d for p, d in zip(pages.page_id, pages.drug)}
    assert drugs == {name: g["drug"] for name, g in load_gold(GOLD).pages.items()}


def test_other_drug_pages_boilerplate_floor(facts):
    result = score_boilerplate_table(GOLD, facts[2])
    assert result.removed_share >= BOILERPLATE_REMOVED_FLOOR, (result.removed, result.total)
    assert result.lost <= MOST_EVIDENCE_LOST, result.lost_sentences
