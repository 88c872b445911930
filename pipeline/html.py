"""HTML pages: the page's text as one line per DOM block, with each block's markup context."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator
from urllib.parse import urlparse

from lxml import etree

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
                 "menu", "dialog"}
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
HEAD_TAGS = frozenset({"head", "title", "link", "meta"})  # the elements _HeadFields reads
SEMANTIC_MAIN = frozenset({"tag:main", "tag:article", "role:main", "role:article"})
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


def _own_tokens(attrib, name: str) -> list[str]:
    """Context tokens an element adds: its tag (if telling), ARIA role, class and id words."""
    tokens = [f"tag:{name}"] if name in CONTEXT_TAGS else []
    role = attrib.get("role")
    if role:
        tokens.append(f"role:{role.lower()}")
    for attr in ("class", "id"):
        value = attrib.get(attr)
        if value:
            for word in value.lower().split():
                if not _LAYOUT_MODIFIER.match(word) and not _NON_REGION_CLASS.match(word):
                    block = word.split("--", 1)[0]  # a BEM modifier (`row--sidebar`) is a variant, not a region
                    tokens.extend(t for t in _SPLIT_TOKENS.split(block) if t)
    return tokens


def _clean(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def _canonical(candidates: dict[str, str]) -> tuple[str, str] | None:
    """The page's canonical URL (`<link rel=canonical>`, else `og:url`) with a host, and that host
    as a domain (lower case, without `www.`)."""
    for key in ("canonical", "property", "name"):
        url = candidates.get(key)
        try:
            host = urlparse(url).hostname if url else None
        except ValueError:  # not a URL at all (an unclosed IPv6 bracket, a bad port)
            continue
        if host:
            return url.strip(), host.lower().removeprefix("www.")
    return None


@dataclass
class _Frame:
    """An open element of the walk: the block kind, context and link state of the text inside it,
    what its end does (flush a block, close a table cell, or nothing), and the path outside it."""

    kind: str
    context: tuple[tuple[str, ...], ...]
    in_link: bool
    on_end: str
    outer: tuple[int, ...]


class _HeadFields:
    """The title and URL candidates of a page, kept apart for those inside `<head>` and those
    anywhere (a page without a head names them in its body, if at all)."""

    def __init__(self) -> None:
        self.in_head = 0
        self.seen_head = False
        self.title: dict[bool, list[str]] = {}  # in head? -> the first title's text parts
        self.urls: dict[bool, dict[str, str]] = {True: {}, False: {}}
        self.in_title: bool | None = None

    def start(self, name: str, attrib) -> None:
        """Note a head element (`title`, `link rel=canonical`, `meta og:url`)."""
        if name == "head":
            self.in_head += 1
            self.seen_head = True
        places = (True, False) if self.in_head else (False,)
        if name == "title" and False not in self.title:
            self.in_title = bool(self.in_head)
            for place in places:
                self.title.setdefault(place, [])
        elif name == "link" and "canonical" in (attrib.get("rel") or "").lower().split():
            for place in places:
                self.urls[place].setdefault("canonical", attrib.get("href"))
        elif name == "meta":
            for key in ("property", "name"):
                if attrib.get(key) == "og:url":
                    for place in places:
                        self.urls[place].setdefault(key, attrib.get("content"))

    def end(self, name: str) -> None:
        """Close a head element."""
        if name == "head":
            self.in_head -= 1
        elif name == "title":
            self.in_title = None

    def data(self, text: str) -> None:
        """Text inside the first title."""
        if self.in_title is not None:
            for place, parts in self.title.items():
                if place == self.in_title or not place:
                    parts.append(text)

    def result(self) -> tuple[str | None, tuple[str, str] | None]:
        """The title and the (URL, domain) of the page: from its head when it has one."""
        place = self.seen_head
        title = self.title.get(place)
        return (_clean("".join(title)) if title is not None else None), _canonical(self.urls[place])


class _BlockCollector:
    """A libxml2 parser target: one linear pass over the page's start, end and text events, in
    which inline text accumulates until a block element starts or ends. No tree is built, so
    markup of any depth is safe and costs memory linear in its size."""

    def __init__(self) -> None:
        self.blocks: list[HtmlBlock] = []
        self.paths: list[tuple[int, ...]] = []
        self.chains: list[tuple[tuple[str, ...], ...]] = []
        self.parent: dict[int, int] = {}
        self.head = _HeadFields()
        self._tokens: dict[tuple[str, str | None, str | None, str | None], tuple[str, ...]] = {}
        self._parts: list[tuple[str, bool]] = []
        self._path: tuple[int, ...] = (0,)
        self._open: list[_Frame] = [_Frame("paragraph", (), False, "", self._path)]
        self._dropped = 0  # depth inside an element whose content is not page text
        self._in_text = False  # whether the last event was text (the next text continues its node)

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
                self.blocks.append(HtmlBlock(line, kind, "", ratio))  # its context is read from `chains` at the end
                self.paths.append(self._path)
                self.chains.append(context)

    def start(self, tag: str, attrib) -> None:
        """An element starts: a block element ends the current block and opens a new one."""
        name = tag.lower()
        self._in_text = False
        if name in HEAD_TAGS:
            self.head.start(name, attrib)
        if self._dropped or name in DROPPED_TAGS:
            self._dropped += 1
            return
        frame = self._open[-1]
        if name in ("html", "body"):  # the page itself: its classes describe the page, not a region of it
            frame = _Frame(frame.kind, frame.context, frame.in_link, "", self._path)
        elif name == "br":
            self._parts.append(("\n", frame.in_link))
            frame = _Frame(frame.kind, frame.context, frame.in_link, "", self._path)
        elif name in BLOCK_TAGS or name in BREAKING_TAGS:
            self.flush(frame.kind, frame.context)
            outer, context = self._path, frame.context
            if len(context) < MAX_TRACKED_DEPTH:
                key = (name, attrib.get("class"), attrib.get("id"), attrib.get("role"))
                tokens = self._tokens.get(key)
                if tokens is None:  # pages repeat their class names: each set is split once
                    tokens = self._tokens[key] = tuple(_own_tokens(attrib, name))
                context = context + (tokens,)
                node_id = len(self.parent) + 1
                self.parent[node_id] = outer[-1]
                self._path = outer + (node_id,)
            frame = _Frame(BLOCK_TAGS.get(name, "paragraph"), context, frame.in_link, "block", outer)
        elif name in ("td", "th"):
            frame = _Frame(frame.kind, frame.context, frame.in_link, "cell", self._path)
        else:
            frame = _Frame(frame.kind, frame.context, frame.in_link or name == "a", "", self._path)
        self._open.append(frame)

    def end(self, tag: str) -> None:
        """An element ends: a block element's text becomes blocks, a table cell gets its separator."""
        self._in_text = False
        if tag in HEAD_TAGS:
            self.head.end(tag)
        if self._dropped:
            self._dropped -= 1
            return
        frame = self._open.pop() if len(self._open) > 1 else self._open[0]
        if frame.on_end == "block":
            self.flush(frame.kind, frame.context)
            self._path = frame.outer
        elif frame.on_end == "cell":
            self._parts.append((" | ", False))

    def data(self, text: str) -> None:
        """Text: part of the current block unless inside a dropped element."""
        self.head.data(text)
        if self._dropped:
            return
        text = text.replace(SOFT_HYPHEN, "")
        if self._in_text:  # libxml2 splits a text node at entities: keep it one part, as link shares count parts
            last, in_link = self._parts.pop()
            text = last + text
        self._parts.append((text, self._open[-1].in_link))
        self._in_text = True

    def close(self) -> "_BlockCollector":
        """The end of the page: whatever text is left is a last block."""
        while len(self._open) > 1:
            self.end("")
        frame = self._open[0]
        self.flush(frame.kind, frame.context)
        return self


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


def _collect(html: str) -> _BlockCollector:
    """Run libxml2's lenient HTML parser (as forgiving as a browser) over the page into a collector."""
    collector = _BlockCollector()
    if html.strip():
        parser = etree.HTMLParser(target=collector, encoding="utf-8")
        etree.fromstring(html.encode("utf-8", "surrogatepass"), parser)
    return collector


def extract_html(html: str) -> HtmlExtract:
    """Parse HTML leniently and return its blocks; the page text is the blocks, one per line."""
    collector = _collect(html)
    title, canonical = collector.head.result()
    url, domain = canonical or (None, None)
    main = main_content(collector.blocks, collector.paths, collector.parent)
    blocks = tuple(HtmlBlock(b.text, b.kind, _block_context(b, path, chain, main), b.link_ratio)
                   for b, path, chain in zip(collector.blocks, collector.paths, collector.chains))
    return HtmlExtract("\n".join(b.text for b in blocks), title or None, domain, url, blocks)
