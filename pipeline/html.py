"""HTML pages: the page's text as one line per DOM block, with each block's markup context."""
from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlparse

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

DROPPED_TAGS = ("script", "style", "noscript", "template", "svg", "iframe", "head", "select", "button", "input", "textarea", "canvas", "video", "audio", "object")
BLOCK_TAGS = {
    "p": "paragraph", "h1": "heading", "h2": "heading", "h3": "heading", "h4": "heading",
    "h5": "heading", "h6": "heading", "li": "list_item", "tr": "table_row", "dt": "list_item",
    "dd": "list_item", "blockquote": "paragraph", "pre": "paragraph", "figcaption": "caption",
    "caption": "caption", "summary": "heading", "address": "paragraph",
}
CONTAINER_TAGS = {"div", "section", "article", "main", "body", "aside", "nav", "footer", "header", "form",
                  "span", "td", "th", "center", "font", "table", "tbody", "thead", "ul", "ol", "dl", "html",
                  "details", "figure", "fieldset", "label", "a", "strong", "em", "b", "i"}
CONTEXT_TAGS = {"nav", "footer", "header", "aside", "form", "article", "main"}
_SPLIT_TOKENS = re.compile(r"[\s_\-:]+")
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")


@dataclass(frozen=True)
class HtmlBlock:
    """One block of an HTML page: its text, kind, ancestor context tokens and link density."""

    text: str
    kind: str
    context: str
    link_ratio: float


@dataclass(frozen=True)
class HtmlExtract:
    """What ingest keeps of an HTML page."""

    text: str
    title: str | None
    domain: str | None
    blocks: tuple[HtmlBlock, ...]


def _context_tokens(tag: Tag) -> list[str]:
    tokens: list[str] = []
    for node in [tag, *tag.parents]:
        if not isinstance(node, Tag) or node.name in ("[document]", "html", "body"):
            continue
        if node.name in CONTEXT_TAGS:
            tokens.append(f"tag:{node.name}")
        role = node.get("role")
        if role:
            tokens.append(f"role:{str(role).lower()}")
        for attr in ("class", "id"):
            value = node.get(attr)
            values = value if isinstance(value, list) else [value] if value else []
            for v in values:
                tokens.extend(t for t in _SPLIT_TOKENS.split(str(v).lower()) if t)
    return tokens


def _clean(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def _domain(soup: BeautifulSoup) -> str | None:
    candidates = [
        soup.find("link", rel=lambda v: v and "canonical" in v),
        soup.find("meta", attrs={"property": "og:url"}),
        soup.find("meta", attrs={"name": "og:url"}),
    ]
    for node in candidates:
        if node is None:
            continue
        url = node.get("href") or node.get("content")
        host = urlparse(str(url)).hostname if url else None
        if host:
            return host.lower().removeprefix("www.")
    return None


def _collect(root: Tag) -> list[HtmlBlock]:
    blocks: list[HtmlBlock] = []

    def emit(parts: list[tuple[str, bool]], kind: str, anchor: Tag) -> None:
        for line in "".join(p for p, _ in parts).split("\n"):
            text = _clean(line)
            if not text:
                continue
            link_chars = sum(len(_clean(p)) for p, in_link in parts if in_link)
            total = sum(len(_clean(p)) for p, _ in parts) or 1
            blocks.append(HtmlBlock(text, kind, " ".join(_context_tokens(anchor)), min(1.0, link_chars / total)))

    def inline_parts(node: Tag, in_link: bool, out: list[tuple[str, bool]]) -> None:
        for child in node.children:
            if isinstance(child, Comment):
                continue
            if isinstance(child, NavigableString):
                out.append((str(child), in_link))
            elif isinstance(child, Tag):
                if child.name == "br":
                    out.append(("\n", in_link))
                elif child.name in ("td", "th"):
                    inline_parts(child, in_link, out)
                    out.append((" | ", False))
                else:
                    inline_parts(child, in_link or child.name == "a", out)

    def walk(node: Tag) -> None:
        pending: list[tuple[str, bool]] = []
        for child in node.children:
            if isinstance(child, Comment):
                continue
            if isinstance(child, NavigableString):
                pending.append((str(child), False))
                continue
            if not isinstance(child, Tag):
                continue
            if child.name in BLOCK_TAGS and not child.find(list(BLOCK_TAGS)):
                if pending:
                    emit(pending, "paragraph", node)
                    pending = []
                parts: list[tuple[str, bool]] = []
                inline_parts(child, False, parts)
                if child.name == "tr":
                    parts = [(("".join(p for p, _ in parts)).strip(" |"), False)]
                emit(parts, BLOCK_TAGS[child.name], child)
            elif child.name == "br":
                pending.append(("\n", False))
            elif child.name in CONTAINER_TAGS or child.name in BLOCK_TAGS or child.find(True):
                if child.name in ("a", "span", "strong", "em", "b", "i", "font") and not child.find(list(BLOCK_TAGS) + ["div"]):
                    inline_parts(child, child.name == "a", pending)
                    continue
                if pending:
                    emit(pending, "paragraph", node)
                    pending = []
                walk(child)
            else:
                inline_parts(child, child.name == "a", pending)
        if pending:
            emit(pending, "paragraph", node)

    walk(root)
    return blocks


def extract_html(html: str) -> HtmlExtract:
    """Parse HTML leniently and return its blocks; the page text is the blocks, one per line."""
    soup = BeautifulSoup(html, "html.parser")
    title_tag = soup.find("title")
    title = _clean(title_tag.get_text()) if title_tag else None
    domain = _domain(soup)
    for tag in soup.find_all(DROPPED_TAGS):
        tag.decompose()
    root = soup.body or soup
    blocks = tuple(_collect(root))
    return HtmlExtract("\n".join(b.text for b in blocks), title or None, domain, blocks)
