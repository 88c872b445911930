"""Copied sources (`pipeline.copies`): sentence alignment between pages about one drug, and the verdict."""
from datetime import datetime, timezone

from pipeline.copies import copied_evidence, find_copies
from pipeline.similarity import word_overlap
from pipeline.records import Block, PageSummary

LEAFLET = [
    "Ezotrol is used to lower high cholesterol in adults when diet alone has not worked well enough.",
    "The usual dose is one 10 mg tablet taken once a day at about the same time.",
    "You can take the tablet with or without food, swallowed whole with a glass of water.",
    "Common side effects include headache, stomach pain, tiredness and diarrhoea in some people.",
    "Tell your doctor straight away if you get unexplained muscle pain, tenderness or weakness.",
    "Do not take it if you are pregnant, breastfeeding or have active liver disease of any kind.",
    "Keep the tablets below 25 degrees in the original pack and out of the reach of children.",
    "Never take two doses together.",
]
OWN_WORDS = [
    "Our shop sells genuine Ezotrol at the lowest prices with free and discreet delivery.",
    "Thousands of happy customers have ordered from our licensed partner pharmacies since 2010.",
    "Each order is checked by our team of pharmacists before it leaves the warehouse.",
    "Many readers ask how their cholesterol numbers changed after three months on treatment.",
    "We answer questions about payment, tracking and returns in our help centre every day.",
    "Please read the leaflet that comes with your pack before you start taking any medicine.",
    "Prices shown include tax and are updated every morning according to supplier costs.",
    "Join our newsletter to hear about new offers and seasonal health tips from our editors.",
]
MORE_LEAFLET = [
    "Ezetimibe works by reducing the amount of cholesterol absorbed from the food in your gut.",
    "It is often prescribed together with a statin such as simvastatin or atorvastatin.",
    "Your doctor will check your cholesterol levels a few weeks after you start treatment.",
    "If you forget a dose, take it as soon as you remember unless your next dose is nearly due.",
    "Ciclosporin and fibrates can interact with it, so mention every medicine you already take.",
    "Children under ten years of age should not be given this medicine at all.",
    "Alcohol does not affect how it works, but heavy drinking is bad for your liver.",
    "Some people notice a mild rash or itching during the first weeks of treatment.",
]
MORE_OWN_WORDS = [
    "Our customer service team is available by phone from eight in the morning until ten.",
    "Gift cards can be used for any product in the store and never expire at all.",
    "Shipping to most European countries takes between three and five working days.",
    "We donate part of every sale to heart health charities chosen by our customers.",
]
INDEPENDENT = [
    "High cholesterol that diet cannot bring down is what ezetimibe is prescribed for.",
    "Most adults are told to swallow a single 10 mg pill each day, whenever suits them.",
    "Food makes no difference to how it works, so breakfast or dinner is fine.",
    "Headaches, tummy ache, feeling tired and loose stools are the complaints people mention most.",
    "Muscle aches that you cannot explain need a doctor's opinion quickly.",
    "Pregnant or breastfeeding women and anyone with liver problems should avoid it.",
    "Store it somewhere cool and dry where children cannot get at it.",
    "Never take two doses together.",
]


def page(page_id, sentences, selling=0):
    blocks = [Block(page_id, k, "paragraph", text, 0, len(text), None) for k, text in enumerate(sentences)]
    blocks += [Block(page_id, len(blocks) + k, "paragraph", "Add to cart", 0, 11, None, True, "cart")
               for k in range(selling)]
    now = datetime.now(timezone.utc)
    summary = PageSummary(page_id, page_id.split(".")[0], "ezetimibe", (), "text", "utf-8", "x", 1, None,
                          len(blocks), selling, 0, 1, 1, now)
    return summary, blocks


def copies_of(vocab, *pages):
    summaries = [p for p, _ in pages]
    blocks = [b for _, bs in pages for b in bs]
    return find_copies(summaries, blocks, vocab)


def test_a_verbatim_copy_on_a_shop_is_found_and_the_shop_is_the_copier(vocab):
    copies, sentences = copies_of(vocab, page("leaflet.txt", LEAFLET), page("shop.txt", LEAFLET[:7], selling=3))
    copier = [c for c in copies if c.copied]
    assert [(c.page_id, c.other_page_id, c.kind) for c in copier] == [("shop.txt", "leaflet.txt", "verbatim")]
    assert {s.match for s in sentences} == {"exact"} and len(sentences) == 7


def test_pages_stating_the_same_facts_in_their_own_words_are_not_copies(vocab):
    copies, sentences = copies_of(vocab, page("leaflet.txt", LEAFLET), page("blog.txt", INDEPENDENT))
    assert copies == [] and sentences == []


def test_one_copied_section_in_an_otherwise_different_page_is_a_partial_copy(vocab):
    shop = OWN_WORDS + LEAFLET[1:6] + MORE_OWN_WORDS
    copies, sentences = copies_of(vocab, page("leaflet.txt", LEAFLET + MORE_LEAFLET), page("shop.txt", shop, selling=2))
    assert {c.kind for c in copies} == {"partial"}
    assert sorted(s.text for s in sentences) == sorted(LEAFLET[1:6])


def test_copied_evidence_names_the_source_of_each_copied_span(vocab):
    copies, sentences = copies_of(vocab, page("leaflet.txt", LEAFLET), page("shop.txt", LEAFLET, selling=3))
    spans = copied_evidence(copies, sentences, {"leaflet.txt": "leaflet", "shop.txt": "shop"})
    assert set(spans) == {"shop.txt"} and {source for _, _, source in spans["shop.txt"]} == {"leaflet"}


def test_word_overlap_keeps_the_places_of_untouched_words():
    assert word_overlap("take it on an empty stomach", "take it on a vacant stomach") == 4 / 6
    assert word_overlap("a b c", "c b a") == 1 / 3
