from conftest import make_page

from pipeline.api import main_text
from pipeline.blocks import split_blocks
from pipeline.boilerplate import classify_blocks, cue_reason


def blocks_of(text, vocab):
    page = make_page(text)
    return classify_blocks(split_blocks(page, vocab), page, vocab)


def test_offsets_point_into_page_text(vocab):
    text = "Title Here\nFirst paragraph. It has two sentences.\n\n- item one\nA | B |\n"
    page = make_page(text)
    for b in split_blocks(page, vocab):
        assert text[b.char_start:b.char_end] == b.text
    assert [b.kind for b in split_blocks(page, vocab)] == ["heading", "paragraph", "list_item", "table_row"]


def test_glued_footer_is_split_and_marked(vocab):
    blocks = blocks_of("Metformin lowers blood sugar in adults.\nView all postsFast International Delivery\n", vocab)
    assert [(b.text, b.boilerplate_reason) for b in blocks] == [
        ("Metformin lowers blood sugar in adults.", None),
        ("View all posts", "byline"), ("Fast International Delivery", "cart")]  # a shop's delivery promise


def test_call_to_action_sentence_is_cut_from_content(vocab):
    text = ("Sertraline treats depression. It is an SSRI. It takes weeks to work. "
            "For more information, click on this link.")
    blocks = blocks_of(text, vocab)
    assert [(b.text, b.is_boilerplate) for b in blocks] == [
        ("Sertraline treats depression. It is an SSRI. It takes weeks to work.", False),
        ("For more information, click on this link.", True)]


def test_reasons_for_common_boilerplate(vocab):
    cases = {
        "No products in the cart.": "cart",
        "© MedShop 2023. All rights reserved.": "legal",
        "NOTE: This is for informational purposes only and is not intended as medical advice.": "disclaimer",
        "Disclaimer: MediShop aims to ensure that the information it provides is accurate and up to date.": "disclaimer",
        "The information on this page is not intended to replace the advice of your doctor.": "disclaimer",
        "Buy Viagra online today": "call_to_action",
        "Write a comment": "comment_widget",
        "Jane Doe is a seasoned health writer with over 10 years of experience.": "byline",
    }
    for text, reason in cases.items():
        (block,) = blocks_of(text + "\n", vocab)
        assert block.boilerplate_reason == reason, text


def test_table_of_contents_and_glossary(vocab):
    text = ("Guide to Metformin\n- Uses of Metformin\n- Side Effects\n- Dosage Guide\n"
            "Uses of Metformin\nMetformin treats type 2 diabetes.\nSide Effects\nNausea is common.\n"
            "Dosage Guide\nThe usual dose is 500 mg twice daily.\n"
            "Common Slang Terms Used:\nScript - Prescription\nStat - Immediately\n"
            "Metformin should be taken with meals to reduce stomach upset.\n")
    blocks = blocks_of(text, vocab)
    # the title line holds no fact and is neither content nor evidence: the furniture pass may take it
    marked = {b.text: b.boilerplate_reason for b in blocks if b.is_boilerplate and b.text != "Guide to Metformin"}
    assert marked == {"- Uses of Metformin": "navigation", "- Side Effects": "navigation",
                      "- Dosage Guide": "navigation", "Common Slang Terms Used:": "off_topic",
                      "Script - Prescription": "off_topic", "Stat - Immediately": "off_topic"}


def test_a_table_of_contents_of_bare_lines_is_navigation(vocab):
    text = ("In this article\nWhat is metformin?\nSide effects\nGetting metformin online\nFAQs\n"
            "What is metformin?\nMetformin is a medicine that lowers blood sugar in people with diabetes.\n"
            "Side effects\nNausea is common in the first weeks, and some people get diarrhoea as well.\n"
            "Getting metformin online\nOur doctors can review your medical history online and send a prescription to your pharmacy.\n"
            "FAQs\nCan I drink alcohol? Keep it to a minimum, because it raises the risk of side effects.\n")
    blocks = blocks_of(text, vocab)
    toc = [b for b in blocks if b.block_index in (1, 2, 3, 4)]
    assert [b.boilerplate_reason for b in toc] == ["navigation"] * 4
    assert not any(b.is_boilerplate for b in blocks if b.block_index > 4)


def test_main_text_drops_html_boilerplate():
    html = """<html><body><nav><a href="/">Home</a> <a href="/shop">Shop</a></nav>
    <article><h1>Sildenafil</h1><p>Sildenafil treats erectile dysfunction.</p></article>
    <div class="widget_shopping_cart"><p>No products in the cart.</p></div>
    <footer><p>Fast worldwide shipping</p></footer></body></html>"""
    assert main_text(html) == "Sildenafil\nSildenafil treats erectile dysfunction."


def test_region_words_above_an_article_and_post_metadata_classes_do_not_count():
    text = "Finasteride lowers DHT in the scalp, and most men keep their hair after two years of daily use."
    intro = "Hair loss in men is common, and several treatments, from tablets to foams, can slow it down for years."
    html = f"""<html><body><p>{intro}</p><div class="layout has-sidebar"><div class="content-row--sidebar">
    <div class="sidebar-wrap"><article class="post category-news tag-related">
    <div class="elementor-widget-container"><p>{text}</p></div></article></div></div></div>
    <aside class="sidebar"><p>Popular posts</p></aside></body></html>"""
    assert main_text(html) == f"{intro}\n{text}"


def test_sentence_case_headings_before_a_list_or_naming_a_topic(vocab):
    text = ("Possible side effects\n- Headache\nWho should not take it\nDo not take it if you are pregnant.\n"
            "Our story so far\nWe started in 2010.\n")
    kinds = {b.text: b.kind for b in split_blocks(make_page(text), vocab)}
    assert kinds["Possible side effects"] == "heading"
    assert kinds["Who should not take it"] == "heading"
    assert kinds["Our story so far"] == "paragraph"


def test_a_numbered_section_title_is_a_heading_and_a_numbered_list_is_not(vocab):
    text = ("Contents\n1. What it is used for\n2. Possible side effects\n"
            "4. POSSIBLE SIDE EFFECTS\nLike all medicines, this medicine can cause side effects.\n"
            "Steps\n1. Wash your hands\n2. Take the tablet with water\nThen rest.\n")
    kinds = {b.text: b.kind for b in split_blocks(make_page(text), vocab)}
    assert kinds["4. POSSIBLE SIDE EFFECTS"] == "heading"
    assert kinds["1. What it is used for"] == kinds["2. Possible side effects"] == "list_item"
    assert kinds["1. Wash your hands"] == kinds["2. Take the tablet with water"] == "list_item"


def test_a_long_list_line_keeps_the_short_lines_after_it_in_the_list(vocab):
    text = ("Side effects\nThe most common side effects include:\n"
            "Weight gain, usually a few pounds, from both fluid and extra fat tissue\nHeadache\nMuscle aches\n")
    kinds = {b.text: b.kind for b in split_blocks(make_page(text), vocab)}
    assert kinds["Headache"] == "list_item" and kinds["Muscle aches"] != "heading"


def test_a_short_line_over_a_paragraph_of_prose_heads_it(vocab):
    text = ("Driving as well as making use of devices\n"
            "It is not likely to impact your capacity to drive, yet weariness has actually been reported.\n"
            "Feasible negative effects\n"
            "Quit consuming it and see a physician as soon as possible if you discover any one of the following:\n"
            "- swelling of the face\n"
            "Call us today\nOpen 9 to 5.\n")
    blocks = {b.text: b for b in split_blocks(make_page(text), vocab)}
    assert blocks["Driving as well as making use of devices"].kind == "heading"
    assert blocks["Feasible negative effects"].kind == "heading"
    assert blocks["- swelling of the face"].section == "Feasible negative effects"
    assert blocks["Call us today"].kind == "paragraph"


def test_review_and_menu_lines_are_boilerplate(vocab):
    for line, reason in [("★★★★★ 4.8 (312 reviews)", "reviews"), ("Rated 4.7/5 from 2,318 customer reviews", "reviews"),
                         ("You might also need: Cream | Capsules", "navigation"),
                         ("Pharmacy Superintendent: Sarah Patel MPharm.", "byline"),
                         ('"Worked within days!" - Karen, verified buyer', "reviews"),
                         ("How it works | Treatments | Pricing | Reviews", "navigation"),
                         ("Weitere Artikel", "navigation"), ("Was this page helpful? Yes / No", "comment_widget")]:
        assert cue_reason(line, vocab) == reason, line


def test_markup_hints_alone_never_empty_a_page():
    text = "Decorators in Python let you change the behaviour of a function without editing its code."
    html = f"""<html><body><div class="widget Blog"><p>{text}</p></div>
    <div class="widget"><a href="/a">Archive</a></div></body></html>"""
    assert main_text(html) == text


def test_a_plain_list_in_an_article_outside_the_main_text_is_kept():
    prose = "Beat the butter and sugar until pale, then fold in the flour, the eggs and a pinch of salt, gently."
    html = f"""<html><body><article><div class="ingredients"><ul><li>200 g flour</li><li>3 eggs</li></ul></div>
    <div class="steps">{f"<p>{prose}</p>" * 5}</div></article>
    <div class="teasers"><ul><li><a href="/x">Other recipe</a></li></ul></div></body></html>"""
    text = main_text(html)
    assert "200 g flour" in text and "3 eggs" in text and "Other recipe" not in text


def test_bar_separated_strengths_are_a_field_not_navigation(vocab):
    from pipeline.boilerplate import cue_reason
    assert cue_reason("Strength: 25mg | 50mg | 75mg | 100mg", vocab) is None
    assert cue_reason("Home | Shop | Blog | Contact", vocab) == "navigation"


def test_a_stuffed_selling_fragment_is_cut_and_the_sentence_stays(vocab):
    from conftest import make_page

    from pipeline.blocks import split_blocks
    from pipeline.boilerplate import classify_blocks
    text = ("It works by blocking an enzyme in the liver, so it buy rosuvastatin online cheap lowers bad "
            "cholesterol and the risk of a heart attack.\n\nBuy rosuvastatin online now and save.")
    page = make_page(text)
    stuffed, selling = classify_blocks(split_blocks(page, vocab), page, vocab)
    assert not stuffed.is_boilerplate and selling.is_boilerplate
    assert [(text[c.char_start:c.char_end], c.reason) for c in stuffed.cuts] == [("buy rosuvastatin online cheap",
                                                                                    "call_to_action")]
    assert selling.cuts == ()


def test_a_run_of_selling_words_drug_names_and_strengths_is_one_cut(vocab):
    text = ("Dapagliflozin belongs to a class called SGLT2 inhibitors and works on the kidneys buy farxiga online, "
            "dapagliflozin 10mg price, farxiga coupon so that extra sugar leaves your body in the urine.")
    (block,) = blocks_of(text + "\n", vocab)
    assert not block.is_boilerplate
    assert [text[c.char_start:c.char_end] for c in block.cuts] == [
        "buy farxiga online, dapagliflozin 10mg price, farxiga coupon"]


def test_a_cut_starts_at_the_selling_word_before_it_not_at_the_sentence_s_drug(vocab):
    text = ("Check with your doctor order cardura cheap usa if you have liver disease, and doxazosin cheap "
            "cardura 4mg overnight lowers blood pressure, so ketoconazole, clarithromycin, doxazosin best price can raise it.")
    (block,) = blocks_of(text + "\n", vocab)
    assert [text[c.char_start:c.char_end] for c in block.cuts] == [
        "order cardura cheap usa", "cheap cardura 4mg overnight", "best price"]


def test_published_blocks_blank_cuts_in_place_and_add_each_as_a_boilerplate_block(vocab):
    from pipeline.per_page import published_blocks
    text = "It lowers blood pressure buy cardura online cheap and eases urination in men with an enlarged prostate.\n"
    page = make_page(text)
    blocks = classify_blocks(split_blocks(page, vocab), page, vocab)
    content, cut = published_blocks(blocks, text)
    start, end = text.index("buy"), text.index(" and eases")
    assert content.text == text[:start] + " " * (end - start) + text[end:].rstrip("\n") and not content.is_boilerplate
    assert (cut.kind, cut.text, cut.is_boilerplate, cut.block_index) == ("cut", "buy cardura online cheap", True, 1)
    assert text[cut.char_start:cut.char_end] == cut.text and cut.boilerplate_reason == "call_to_action"


def test_a_sentence_ending_in_a_colon_opens_a_list_of_short_lines(vocab):
    page = make_page("Drug interactions\nTaking it with any of these medicines may change how well it works:\n"
                     "Enalapril\nDigoxin\nLithium\nStorage\nKeep it below 25 °C.\n")
    kinds = [(b.text, b.kind) for b in split_blocks(page, vocab)]
    assert kinds[2:5] == [("Enalapril", "list_item"), ("Digoxin", "list_item"), ("Lithium", "list_item")]
    assert kinds[5] == ("Storage", "heading")  # a heading naming a topic still ends the list


def test_a_colon_line_under_a_list_heading_and_a_list_announcing_sentence_open_lists(vocab):
    page = make_page("Common Side Effects\nMost fade within weeks.\nThe usual suspects:\nNausea\nDry mouth\n"
                     "Interaction with drugs\nTaking it with any of the following medicines can change how they work.\n"
                     "Tramadol\nSumatriptan")
    blocks = split_blocks(page, vocab)
    kinds = {b.text: (b.kind, b.section) for b in blocks}
    assert kinds["The usual suspects:"] == ("paragraph", "Common Side Effects")
    assert kinds["Dry mouth"][1] == "Common Side Effects"
    assert kinds["Tramadol"] == ("list_item", "Interaction with drugs")


def test_price_grid_rows_are_cart_and_running_text_prices_are_not(vocab):
    blocks = blocks_of("Nifedipine 30 mg tablets\nPackage size    Price    Per pill    Savings\n"
                       "30 pills x 30 mg    $24.90    $0.83\n28 x 100mg – £33.26\nCart (0) – $0.00\n"
                       "A pack of 30 tablets costs about $12 at most pharmacies, so nifedipine is cheap.\n", vocab)
    assert [b.boilerplate_reason for b in blocks] == [None, "cart", "cart", "cart", "cart", None]


def test_a_contents_opener_takes_the_short_lines_after_it(vocab):
    text = ("On this page\n1. What it is\n2. How to take it\n3. Side effects\n"
            "What ezetimibe is used for\nEzetimibe lowers the cholesterol your gut absorbs from food and bile.\n"
            "In this article\nUses | Dosage | Side effects | Who should not take it\n"
            "Most people take one 10 mg tablet a day, with or without food.\n")
    marked = {b.text: b.boilerplate_reason for b in blocks_of(text, vocab) if b.is_boilerplate}
    assert {"On this page", "1. What it is", "2. How to take it", "3. Side effects", "In this article",
            "Uses | Dosage | Side effects | Who should not take it"} <= set(marked)
    assert {marked[t] for t in ("On this page", "3. Side effects")} == {"navigation"}
    assert "Ezetimibe lowers the cholesterol your gut absorbs from food and bile." not in marked
    assert "Most people take one 10 mg tablet a day, with or without food." not in marked


def test_breadcrumb_trails_are_navigation_and_comparisons_are_not(vocab):
    text = ("Home > Men's Health > Prostate > Dutasteride 0.5 mg Capsules\n"
            "Forums › Heart & Blood Pressure › Beta blockers\n"
            "Use it only if eGFR > 30 and potassium > 5 is ruled out by your doctor first.\n")
    reasons = [b.boilerplate_reason for b in blocks_of(text, vocab)]
    assert reasons == ["navigation", "navigation", None]


def test_adverts_are_promo_and_offers_for_other_drugs_off_topic(vocab):
    text = ("Candesartan lowers blood pressure by relaxing blood vessels.\n"
            "Sponsored\n"
            "Feeling tired in the afternoon? Our B-complex gummies support natural energy levels.\n"
            "HOT DEAL: Generic Cialis 20mg – only $0.99 per pill!\n"
            "Candesartan 16mg x 28 tablets – $18.49\n"
            "Candesartan can raise potassium, and ibuprofen may weaken its effect.\n"
            "Ibuprofen and naproxen can also strain the kidneys when taken with it.\n")
    reasons = {b.text: b.boilerplate_reason for b in blocks_of(text, vocab)}
    assert reasons["Sponsored"] == "promo"
    assert reasons["Feeling tired in the afternoon? Our B-complex gummies support natural energy levels."] == "promo"
    assert reasons["HOT DEAL: Generic Cialis 20mg – only $0.99 per pill!"] == "off_topic"
    assert reasons["Candesartan 16mg x 28 tablets – $18.49"] == "cart"  # the page's own drug: a price row
    assert reasons["Ibuprofen and naproxen can also strain the kidneys when taken with it."] is None
    assert reasons["Candesartan lowers blood pressure by relaxing blood vessels."] is None


def test_a_heading_after_an_advert_label_starts_the_next_section(vocab):
    text = ("Advertisement\nSide effects\nNausea and headache are common in the first week.\n")
    reasons = [b.boilerplate_reason for b in blocks_of(text, vocab)]
    assert reasons == ["promo", None, None]
