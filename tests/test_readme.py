"""Every Python and SQL example of the README runs against a real output folder, so the
documentation cannot rot; the data dictionary names every column the tables have."""
import contextlib
import io
import os
import re

import duckdb
import pyarrow.parquet as pq
import pytest
from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def examples(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)\n```", README, flags=re.S)


@pytest.fixture
def in_project_like_folder(tmp_path, seed_output):
    """A working folder whose `output/` is the seed run, as after the README's first command."""
    (tmp_path / "output").symlink_to(seed_output)
    previous = os.getcwd()
    os.chdir(tmp_path)
    yield tmp_path
    os.chdir(previous)


def test_readme_has_python_and_sql_examples():
    assert examples("python") and examples("sql")


@pytest.mark.parametrize("code", examples("python"))
def test_python_example_runs(code, in_project_like_folder):
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code, "README.md", "exec"), {})
    assert printed.getvalue().strip()


@pytest.mark.parametrize("query", examples("sql"))
def test_sql_example_runs_in_duckdb(query, in_project_like_folder):
    rows = duckdb.sql(query).fetchall()
    assert rows


def documented_columns(table: str) -> set[str]:
    section = README.split(f"### `{table}`", 1)[1].split("\n### ", 1)[0]
    names = set()
    for line in section.splitlines():
        if line.startswith("| ") and not line.startswith(("| column", "|---")):
            names |= {n.strip(" `") for n in line.split("|")[1].split(",")}
    return names


@pytest.mark.parametrize("table", ["pages", "texts", "blocks", "claims", "facts", "comparison", "rejected"])
def test_data_dictionary_names_every_column(table, seed_output):
    schema = pq.read_schema(seed_output / f"{table}.parquet")
    documented = documented_columns(table)
    if table == "texts":  # "as in pages" for the shared columns
        documented |= documented_columns("pages")
    assert set(schema.names) <= documented, set(schema.names) - documented
