"""Pharmacy HTML fixtures: main text keeps every must-contain phrase and drops every
must-not-contain one (100% pinned), and the pages flow through every stage into all tables."""
from pathlib import Path

import pandas as pd
import pytest
import yaml

from pipeline import main_text
from pipeline.ingest import decode_bytes
from pipeline.run import RunOptions, run_pipeline

FIXTURES = Path(__file__).parent / "fixtures" / "html"
EXPECTED = yaml.safe_load((FIXTURES / "expected.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_main_text_phrases(name):
    html, _ = decode_bytes((FIXTURES / name).read_bytes(), is_html=True)
    text = main_text(html)
    missing = [p for p in EXPECTED[name]["must_contain"] if p not in text]
    leaked = [p for p in EXPECTED[name]["must_not_contain"] if p in text]
    assert not missing and not leaked, (missing, leaked, text)


@pytest.fixture(scope="module")
def tables(tmp_path_factory):
    raw = tmp_path_factory.mktemp("raw")
    for name in EXPECTED:
        (raw / name).write_bytes((FIXTURES / name).read_bytes())
    out = tmp_path_factory.mktemp("out")
    run_pipeline(RunOptions(raw, out))
    return {n: pd.read_parquet(out / f"{n}.parquet") for n in ("pages", "blocks", "claims", "facts", "comparison", "rejected")}


def test_fixtures_flow_through_every_table(tables):
    pages = tables["pages"].set_index("page_id")
    assert tables["rejected"].empty
    assert set(pages.index) == set(EXPECTED)
    assert (pages.format == "html").all()
    assert pages.loc["cp1252_page.html", "encoding"] == "cp1252"
    assert pages.loc["woo_shop_product.html", "source"] == "pillmart.example"
    for name, expected in EXPECTED.items():
        allowed = expected["drug"] if isinstance(expected["drug"], list) else [expected["drug"]]
        assert pages.loc[name, "drug"] in allowed, name
        page_facts = tables["facts"][tables["facts"].page_id == name]
        assert set(expected["facts"]) <= set(page_facts.key), (name, set(expected["facts"]) - set(page_facts.key))
        for key, drug in expected.get("fact_drugs", {}).items():
            assert set(page_facts[page_facts.key == key].drug) == {drug}, (name, key)
        assert pages.loc[name, "n_boilerplate"] > 0
    single = {e["drug"] for e in EXPECTED.values() if isinstance(e["drug"], str)}
    assert set(tables["comparison"].drug) >= single | {"doxycycline", "amoxicillin"}


def test_repeated_footer_is_marked_duplicate(tables):
    blocks = tables["blocks"]
    repeated = blocks[(blocks.page_id == "footer_badges_repeat.html") & (blocks.text == "Licensed UK Pharmacy")]
    assert repeated.is_boilerplate.all() and len(repeated) == 2
