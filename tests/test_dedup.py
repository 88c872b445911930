from pipeline.dedup import exact_key, mark_duplicates
from pipeline.records import Block


def block(page, index, text):
    return Block(page, index, "paragraph", text, 0, len(text), None)


def test_exact_duplicates_within_and_across_pages():
    text = "Metformin lowers blood sugar by reducing glucose production in the liver."
    blocks = [block("a.txt", 0, text), block("a.txt", 1, "Other words entirely here today."),
              block("a.txt", 2, text.upper()), block("b.txt", 0, text)]
    marked = {(b.page_id, b.block_index): b for b in mark_duplicates(blocks)}
    assert marked[("a.txt", 0)].dup_group and marked[("a.txt", 0)].dup_of is None
    assert marked[("a.txt", 2)].dup_kind == "exact" and marked[("a.txt", 2)].dup_of == "a.txt#0"
    assert marked[("b.txt", 0)].dup_of == "a.txt#0"
    assert marked[("a.txt", 1)].dup_group is None
    assert len({b.dup_group for b in marked.values() if b.dup_group}) == 1


def test_near_duplicates_are_found_and_paraphrases_are_not():
    base = ("Sertraline is a selective serotonin reuptake inhibitor used to treat depression, panic disorder, "
            "obsessive compulsive disorder and social anxiety in adults who have been diagnosed by a doctor.")
    near = base.replace("in adults", "in grown adults")
    para = "Doctors prescribe sertraline, an SSRI, for depression and several anxiety conditions."
    marked = mark_duplicates([block("a.txt", 0, base), block("b.txt", 0, near), block("c.txt", 0, para)])
    kinds = {b.page_id: (b.dup_kind, b.dup_of) for b in marked}
    assert kinds == {"a.txt": (None, None), "b.txt": ("near", "a.txt#0"), "c.txt": (None, None)}


def test_exact_key_is_stable():
    assert exact_key("Dry skin, lips.") == exact_key("dry   skin lips") == "%016x" % int(exact_key("dry skin lips"), 16)
