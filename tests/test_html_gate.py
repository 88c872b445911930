"""Quality gate on real web pages: F1 of `pipeline.main_text` on a fixed sample of the shared
HTML benchmark (trafilatura's evaluation corpus), scored by the benchmark's own functions."""
import importlib.util
import sys

import pytest
from conftest import SHARED

from pipeline import main_text

BENCH = SHARED / "bench" / "html"
SAMPLE_SIZE = 150
# Pinned under the measured value (F1 0.924 on this sample when last raised; 0.922 on all 499
# pages). Raise it when extraction improves; never lower it to let a change pass.
F1_FLOOR = 0.91


def bench_module():
    spec = importlib.util.spec_from_file_location("bench_html", BENCH / "bench_html.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def sample():
    bench = bench_module()
    tests_dir = bench.find_tests_dir(str(BENCH / "data"))
    annotations, _ = bench.load_annotations(tests_dir)
    items = []
    for url, item in sorted(annotations.items(), key=lambda kv: kv[1]["file"]):
        path = bench.resolve(tests_dir, item["file"])
        if path:
            items.append((item, path))
    every = max(1, len(items) // SAMPLE_SIZE)
    return bench, items[::every][:SAMPLE_SIZE]


def test_main_text_f1_floor(sample):
    bench, items = sample
    assert len(items) >= 100
    tp = fp = fn = 0
    for item, path in items:
        with open(path, "rb") as fh:
            html, _ = bench.decode_html(fh.read())
        a, b, c, _ = bench.count_item(item, main_text(html))
        tp, fp, fn = tp + a, fp + b, fn + c
    f1 = 2 * tp / (2 * tp + fp + fn)
    assert f1 >= F1_FLOOR, f"F1 {f1:.4f} on {len(items)} benchmark pages fell below {F1_FLOOR}"
