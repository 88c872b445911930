"""Small public helpers built on the stages, for use from Python."""
from __future__ import annotations

import hashlib
from functools import lru_cache

from .blocks import split_blocks
from .boilerplate import classify_blocks
from .html import extract_html
from .records import LineLayout, PageText
from .vocabulary import Vocabulary, load_vocabulary


def html_page(html: str, page_id: str = "page.html") -> PageText:
    """An HTML string as a `PageText`, as ingest would make it."""
    extracted = extract_html(html)
    return PageText(
        page_id=page_id, source=extracted.domain or page_id, format="html", encoding="utf-8",
        content_sha256=hashlib.sha256(html.encode("utf-8", "replace")).hexdigest(),
        bytes=len(html), title=extracted.title, text=extracted.text,
        layout=tuple(LineLayout(b.kind, b.context, b.link_ratio) for b in extracted.blocks),
    )


@lru_cache(maxsize=1)
def default_vocabulary() -> Vocabulary:
    """The packaged vocabulary, loaded once per process (it is immutable)."""
    return load_vocabulary()


def main_text(html: str, vocab: Vocabulary | None = None) -> str:
    """The content blocks of an HTML page, in page order, newline-separated."""
    vocab = vocab or default_vocabulary()
    page = html_page(html)
    blocks = classify_blocks(split_blocks(page, vocab), page, vocab)
    return "\n".join(b.text for b in blocks if not b.is_boilerplate)
