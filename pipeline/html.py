"""HTML pages: the page's text as one line per DOM block, with each block's markup context."""
from __future__ import annotations

import importlib.util
import re
import warnings
from dataclasses import dataclass
from typing import Iterator
from urllib.parse import urlparse

from bs4 import (
    BeautifulSoup, CData, Comment, Declaration, Doctype, NavigableString, ProcessingInstruction, Tag,
    XMLParsedAsHTMLWarning,
)

# Elements whose content is never page text.
# `noscript` is walked: some sites put the whole article there; its "enable JavaScript" notes
# are caught by text cues.
# `rt`/`rp` are ruby annotations (the reading of East Asian characters), not running text.
DROPPED_TAGS = frozenset({"script", "style", "template", "svg", "iframe", "head", "select", "button",
                          "input", "textarea", "canvas", "video", "audio", "object", "rt", "rp"})
SOFT_HYPHEN = "\u00ad"  # a hyphenation hint inside a word, invisible unless the line breaks there
BLOCK_TAGS = {
    "p": "paragraph", "h1": "heading", "h2": "heading", "h3": "heading", "h4": "heading",
    "h5": "heading", "h6": "heading", "li": "list_item", "tr": "table_row", "dt": "list_item",
    "dd": "list_item", "blockquote": "paragraph", "pre": "paragraph", "figcaption": "caption",
    "caption": "caption", "summary": "heading", "address": "paragraph",
}
# Elements that end the current block and start a new one (without being a block kind of their own).
BREAKING_TAGS = {"div", "section", "article", "main", "aside", "nav", "footer", "header", "form", "table",
                 "tbody", "thead", "tfoot", "ul", "ol", "dl", "details", "figure", "fieldset", "center", "hr",
                 "menu", "dialog", "body", "html"}
CONTEXT_TAGS = {"nav", "footer", "header", "aside", "form", "article", "main", "figcaption"}
# Main-content detection (readability's scoring): paragraphs shorter than this or with more
# link text than this do not vote; an element needs this score to be taken as the main content;
# siblings of it with this share of its score are content too.
MIN_SCORED_CHARS = 25
MAX_SCORED_LINK_RATIO = 0.5
MIN_MAIN_SCORE = 20.0
SIBLING_SHARE = 0.2
OUTSIDE_MAIN = "pos:outside-main"
# Block elements nested deeper than this add no context tokens and no level to a block's path
# (their text still counts): real pages stay far below it, and hostile markup nested thousands
# deep then costs memory linear in its size, not quadratic.
MAX_TRACKED_DEPTH = 200
SEMANTIC_MAIN = frozenset({"tag:main", "tag:article", "role:main", "role:article"})
# lxml is much faster than Python's html.parser and as lenient; fall back when it is absent.
PARSER = "lxml" if importlib.util.find_spec("lxml") else "html.parser"
# Class names that describe the page layout, not what the element is (`has-sidebar`, `no-comments`).
_LAYOUT_MODIFIER = re.compile(r"^(?:has|with|without|no|show|hide|is|enable|disable)[-_]")
# Class names that describe a post or a page builder, not a page region: CMS taxonomy and status
# classes on an article (`category-news`, `tag-interview`, `product_categories-joghurt`) and
# page-builder wrappers (`elementor-widget`, `et_pb_section`) that wrap main content as well.
_NON_REGION_CLASS = re.compile(
    r"^(?:(?:tag|category|categories|product_categories|product_cat|product_tag|format|status|type|post_format|term|author)[-_]"
    r"|elementor|et_pb|et-|vc_|wpb_|fl-|siteorigin|so-widget)"
)
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
    url: str | None  # the canonical (or og:url) URL the domain was taken from, as written
    blocks: tuple[HtmlBlock, ...]


def _own_tokens(tag: Tag) -> list[str]:
    """Context tokens an element adds: its tag (if telling), ARIA role, class and id words."""
    tokens = [f"tag:{tag.name}"] if tag.name in CONTEXT_TAGS else []
    role = tag.get("role")
    if role:
        tokens.append(f"role:{str(role).lower()}")
    for attr in ("class", "id"):
        value = tag.get(attr)
        if value:
            for name in str(value).lower().split():
                if not _LAYOUT_MODIFIER.match(name) and not _NON_REGION_CLASS.match(name):
                    block = name.split("--", 1)[0]  # a BEM modifier (`row--sidebar`) is a variant, not a region
                    tokens.extend(t for t in _SPLIT_TOKENS.split(block) if t)
    return tokens


def _clean(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def _canonical(soup: Tag) -> tuple[str, str] | None:
    """The page's canonical URL (`<link rel=canonical>`, else `og:url`) with a host, and that host
    as a domain (lower case, without `www.`)."""
    candidates = [
        soup.find("link", rel=lambda v: v and "canonical" in str(v).lower().split()),
        soup.find("meta", attrs={"property": "og:url"}),
        soup.find("meta", attrs={"name": "og:url"}),
    ]
    for node in candidates:
        if node is None:
            continue
        url = node.get("href") or node.get("content")
        try:
            host = urlparse(str(url)).hostname if url else None
        except ValueError:  # not a URL at all (an unclosed IPv6 bracket, a bad port)
            continue
        if host:
            return str(url).strip(), host.lower().removeprefix("www.")
    return None


class _BlockCollector:
    """One linear walk over the DOM: inline text accumulates until a block element starts or ends."""

    def __init__(self) -> None:
        self.blocks: list[HtmlBlock] = []
        self.paths: list[tuple[int, ...]] = []
        self.chains: list[tuple[tuple[str, ...], ...]] = []
        self.parent: dict[int, int] = {}
        self._parts: list[tuple[str, bool]] = []
        self._path: tuple[int, ...] = (0,)

    def flush(self, kind: str, context: tuple[tuple[str, ...], ...]) -> None:
        """Emit the inline text gathered so far as blocks (one per `<br>` line) of `kind`."""
        parts, self._parts = self._parts, []
        if not parts:
            return
        text = "".join(p for p, _ in parts)
        if kind == "table_row":
            text = text.strip(" |")
        link_chars = sum(len(p.strip()) for p, in_link in parts if in_link)
        total = sum(len(p.strip()) for p, _ in parts) or 1
        ratio = min(1.0, link_chars / total)
        for line in text.split("\n"):
            line = _clean(line)
            if line:
                self.blocks.append(HtmlBlock(line, kind, " ".join(t for tokens in context for t in tokens), ratio))
                self.paths.append(self._path)
                self.chains.append(context)

    def walk(self, root: Tag, kind: str, context: tuple[tuple[str, ...], ...], in_link: bool) -> None:
        """Visit the descendants of `root` in document order, flushing a block at every block
        element's start and end. The walk keeps its own stack, so markup of any depth is safe."""
        # Each frame: the children still to visit, the frame's block kind, context and link state,
        # and what to do when they are done (flush a block, close a table cell, or nothing).
        stack: list[tuple[Iterator, str, tuple[tuple[str, ...], ...], bool, str, tuple[int, ...]]] = [
            (iter(root.children), kind, context, in_link, "", self._path)]
        while stack:
            children, kind, context, in_link, on_exit, outer = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                if on_exit == "block":
                    self.flush(kind, context)
                    self._path = outer
                elif on_exit == "cell":
                    self._parts.append((" | ", False))
                continue
            if isinstance(child, NavigableString):
                if not isinstance(child, (Comment, Doctype, Declaration, ProcessingInstruction, CData)):
                    self._parts.append((str(child).replace(SOFT_HYPHEN, ""), in_link))
                continue
            if not isinstance(child, Tag):
                continue
            name = child.name
            if name == "br":
                self._parts.append(("\n", in_link))
            elif name in DROPPED_TAGS:
                continue
            elif name in BLOCK_TAGS or name in BREAKING_TAGS:
                child_kind = BLOCK_TAGS.get(name, "paragraph")
                self.flush(kind, context)
                outer = self._path
                child_context = context
                if len(context) < MAX_TRACKED_DEPTH:
                    child_context = context + (tuple(_own_tokens(child)),)
                    node_id = len(self.parent) + 1
                    self.parent[node_id] = outer[-1]
                    self._path = outer + (node_id,)
                stack.append((iter(child.children), child_kind, child_context, in_link, "block", outer))
            elif name in ("td", "th"):
                stack.append((iter(child.children), kind, context, in_link, "cell", self._path))
            else:
                stack.append((iter(child.children), kind, context, in_link or name == "a", "", self._path))


def main_content(blocks: list[HtmlBlock], paths: list[tuple[int, ...]], parent: dict[int, int]) -> set[int]:
    """The elements holding the page's main content: the one whose paragraphs hold the most prose
    (scored as readability does: long, comma-rich, few links), plus strong siblings of it.
    Empty when no element stands out."""
    score: dict[int, float] = {}
    for block, path in zip(blocks, paths):
        if len(block.text) < MIN_SCORED_CHARS or block.link_ratio > MAX_SCORED_LINK_RATIO:
            continue
        points = 1 + min(len(block.text) // 100, 3) + block.text.count(",")
        for depth, share in ((2, 1.0), (3, 0.5)):
            if len(path) >= depth:
                score[path[-depth]] = score.get(path[-depth], 0.0) + points * share
    if not score:
        return set()
    top = max(score, key=score.get)
    if score[top] < MIN_MAIN_SCORE:
        return set()
    threshold = max(MIN_MAIN_SCORE / 2, score[top] * SIBLING_SHARE)
    return {top} | {n for n, p in parent.items() if p == parent.get(top) and score.get(n, 0) >= threshold}


def _from_semantic_main(chain: tuple[tuple[str, ...], ...]) -> tuple[tuple[str, ...], ...]:
    """The part of an ancestor chain from its innermost `main`/`article` element down: a page
    wrapper's `sidebar` or an unclosed `nav` around the article says nothing about the article."""
    for depth in range(len(chain) - 1, -1, -1):
        if SEMANTIC_MAIN & set(chain[depth]):
            return chain[depth:]
    return chain


def _block_context(block: HtmlBlock, path: tuple[int, ...], chain: tuple[tuple[str, ...], ...], main: set[int]) -> str:
    """Context tokens of a block. Inside the main content only the elements below the main
    element count (a `widget` class on a page wrapper says nothing about the article in it);
    outside it, every ancestor counts and the block is flagged as outside. Either way an
    enclosing `main` or `article` element hides the tokens above it."""
    if not main:
        return " ".join(t for tokens in _from_semantic_main(chain) for t in tokens)
    ids = path[1:]  # path[0] is the root, which has no tokens in the chain
    for depth, node in enumerate(ids):
        if node in main:
            return " ".join(t for tokens in _from_semantic_main(chain[depth + 1:]) for t in tokens)
    outside = " ".join(t for tokens in _from_semantic_main(chain) for t in tokens)
    return f"{outside} {OUTSIDE_MAIN}".strip()


def extract_html(html: str) -> HtmlExtract:
    """Parse HTML leniently and return its blocks; the page text is the blocks, one per line."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)  # XHTML served as XML parses fine
        # class/rel stay plain strings (split later): bs4's list conversion costs ~10% of parsing
        soup = BeautifulSoup(html, PARSER, multi_valued_attributes=None)
    head = soup.head or soup
    title_tag = head.find("title")
    title = _clean(title_tag.get_text()) if title_tag else None
    url, domain = _canonical(head) or (None, None)
    root = soup.body or soup
    collector = _BlockCollector()
    collector.walk(root, "paragraph", (), False)
    collector.flush("paragraph", ())
    main = main_content(collector.blocks, collector.paths, collector.parent)
    blocks = tuple(HtmlBlock(b.text, b.kind, _block_context(b, path, chain, main), b.link_ratio)
                   for b, path, chain in zip(collector.blocks, collector.paths, collector.chains))
    return HtmlExtract("\n".join(b.text for b in blocks), title or None, domain, url, blocks)
