"""Required literals of a regular expression: strings one of which occurs in every match, and a
fast test for whether a text holds any of them.

A text that holds none of a pattern's required literals cannot match it, so a plain substring test
(fast, in C) can spare most texts the scan of a long alternation of cues, which Python's regex engine
tries alternative by alternative at every position. The analysis reads the pattern's parse tree
(`re._parser`, the standard library's own parser); when it cannot be read, or a part of the pattern
has no literal it requires, the answer is None and the caller scans every text.
"""
from __future__ import annotations

import re

try:  # the standard library's regex parser: private, so its absence only disables the shortcut
    import re._constants as _ops
    import re._parser as _parser
except ImportError:  # pragma: no cover - every supported Python has it
    _parser = None


def _strength(literals: frozenset[str]) -> tuple[int, int]:
    """How well a set of literals rules texts out: by its shortest member without the spaces around
    it (" to " is as common as "to"), then by fewer members."""
    return min(len(literal.strip()) for literal in literals), -len(literals)


def _leading_literal(items) -> str:
    """The literal characters a parsed sequence starts with."""
    lead = []
    for op, argument in items:
        if op is not _ops.LITERAL:
            break
        lead.append(chr(argument))
    return "".join(lead)


def _of_sequence(items) -> frozenset[str] | None:
    """The best set of required literals of a parsed sequence: a run of literal characters, or the
    required literals of a group, a branch or a repeat that must occur; the strongest set wins."""
    best: frozenset[str] | None = None
    run: list[str] = []

    def consider(candidate: frozenset[str] | None) -> None:
        nonlocal best
        if candidate and (best is None or _strength(candidate) > _strength(best)):
            best = candidate

    for op, argument in items:
        if op is _ops.LITERAL:
            run.append(chr(argument))
            continue
        before = "".join(run)
        consider(frozenset({before}) if before else None)
        run = []
        if op is _ops.SUBPATTERN:
            if argument[1] & re.IGNORECASE:  # `(?i:...)`: its literals may occur in another case
                return None
            consider(_of_sequence(argument[-1]))
        elif op is _ops.BRANCH:
            alternatives = [_of_sequence(branch) for branch in argument[1]]
            if all(alternatives):
                consider(frozenset().union(*alternatives))
            # the parser moves a prefix common to all alternatives before the branch ("c(all|ontact)")
            leads = [_leading_literal(branch) for branch in argument[1]]
            if before and all(leads):
                consider(frozenset(before + lead for lead in leads))
        elif op in (_ops.MAX_REPEAT, _ops.MIN_REPEAT) and argument[0] >= 1:
            consider(_of_sequence(argument[2]))
    consider(frozenset({"".join(run)}) if run else None)
    return best


def required_literals(patterns: list[str]) -> frozenset[str] | None:
    """Strings one of which occurs in any text that one of `patterns` (case-sensitive, no inline
    flags) matches, or None when some pattern requires no literal that can be found."""
    if _parser is None:
        return None
    found: set[str] = set()
    for pattern in patterns:
        try:
            parsed = _parser.parse(pattern)
            literals = None if parsed.state.flags & re.IGNORECASE else _of_sequence(parsed)
        except (re.error, AttributeError, TypeError, ValueError):  # a parser of another shape
            return None
        if not literals:
            return None
        found |= {literal.strip() or literal for literal in literals}  # a part of a required literal is required too
    # a literal holding another is redundant: the shorter one is in every text the longer one is in
    return frozenset(a for a in found if not any(b != a and b in a for b in found))


def any_literal_pattern(literals: frozenset[str]) -> re.Pattern:
    """A pattern that finds a text holding one of `literals`, written as a trie ("a(dd|ffiliate
    link)|b(ag|asket|est)"): the regex engine rules a position out on its first character instead of
    trying every literal there, about five times faster than one substring test per literal."""
    trie: dict = {}
    for literal in literals:
        node = trie
        for char in literal:
            node = node.setdefault(char, {})
        node[""] = {}  # a literal ends here

    def written(node: dict) -> str:
        branches = [re.escape(char) + written(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
        return f"(?:{body})?" if "" in node else body  # a literal ending here needs nothing more

    return re.compile(written(trie))
