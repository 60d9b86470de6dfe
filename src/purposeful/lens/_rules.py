"""Rule packs: data files of phrases and patterns, compiled once into one matcher.

Every pack in ``packs/`` describes one category (id, default severity, message,
suggestion) and lists rules made of literal ``phrases`` and regular-expression
``patterns``. All rules of all packs are compiled into a single alternation with one
named group per rule, so a text is scanned once whatever the number of rules (only
the words inside a match are tried again, for a match of another category that
overlaps it). Every rule must start at the start of a word.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._types import CATEGORY_IDS, SEVERITIES, Severity

__all__ = ["Category", "Match", "Rule", "RuleSet", "load_categories"]


@dataclass(frozen=True, slots=True)
class Category:
    """One finding id with its default severity and explanation."""

    id: str
    severity: Severity
    message: str
    suggestion: str
    unless: re.Pattern[str] | None = None


@dataclass(frozen=True, slots=True)
class Rule:
    """A named group of phrases and patterns that report one category."""

    name: str
    category: str
    phrases: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    severity: Severity | None = None
    message: str | None = None

    def regex(self) -> str:
        """The rule as one regular expression (phrases as a prefix trie)."""
        parts = []
        if self.phrases:
            parts.append(r"(?<!\w)" + _trie_regex(self.phrases) + r"(?!\w)")
        parts.extend(f"(?:{p})" for p in self.patterns)
        return "|".join(parts)


@dataclass(frozen=True, slots=True)
class Match:
    """A raw rule match before configuration and suppression are applied."""

    rule: Rule
    start: int
    end: int


@dataclass(slots=True)
class RuleSet:
    """Categories and rules compiled into one scanner."""

    categories: dict[str, Category]
    rules: list[Rule]
    _scanner: re.Pattern[str] | None = field(default=None, repr=False)
    _by_group: dict[str, Rule] = field(default_factory=dict, repr=False)

    def compile(self) -> RuleSet:
        """Build the single scanner; call once after the rules are final."""
        alternatives = []
        for index, rule in enumerate(self.rules):
            group = f"r{index}"
            self._by_group[group] = rule
            alternatives.append(f"(?P<{group}>{rule.regex()})")
        # Every rule starts at the start of a word (a phrase by construction, a pattern
        # as the packs write it: tests/lens/test_rules.py checks). Saying so once up
        # front lets the engine leave the middle of a word after one test instead of
        # trying every rule there, which roughly halves the time of a scan.
        # A rule set without rules still needs a pattern that never matches.
        source = (
            r"(?<!\w)(?:" + "|".join(alternatives) + ")" if alternatives else r"(?!x)x"
        )
        self._scanner = re.compile(source, re.IGNORECASE)
        return self

    def scan(self, text: str) -> Iterator[Match]:
        """Yield every rule match in ``text``, left to right.

        Matches do not overlap, with one exception: words of another category that
        begin inside a match and run on past its end ("Buy now before it's too
        late": urgency, then fear) are reported too. A match wholly inside another
        is not: the longer, more specific phrase speaks for those words.
        """
        scanner = self._scanner
        if scanner is None:
            raise RuntimeError("RuleSet.compile() must be called before scan()")
        by_group = self._by_group
        pos = 0
        while (m := scanner.search(text, pos)) is not None:
            start, end = m.span()
            if start == end:
                pos = end + 1
                continue
            rule = by_group[m.lastgroup or ""]
            yield Match(rule, start, end)
            pos = end
            for inner in range(start + 1, end):
                later = scanner.match(text, inner)
                if later is None or later.end() <= end:
                    continue
                other = by_group[later.lastgroup or ""]
                if other.category != rule.category:
                    yield Match(other, inner, later.end())
                    pos = later.end()
                    break


def _piece(char: str) -> str:
    # Spaces in a phrase match any run of whitespace (copy wraps across lines), and
    # apostrophes match both the straight and the typographic form.
    if char == " ":
        return r"\s+"
    if char in "'’":
        return "['’]"
    if char in "-‐":
        return "[-‐]"
    return re.escape(char)


def _trie_regex(phrases: Iterable[str]) -> str:
    """A regex matching any phrase, factored by common prefixes.

    Python's regex engine tries alternatives one by one; a prefix trie keeps the
    cost per character low even with hundreds of phrases.
    """
    trie: dict[str, Any] = {}
    for phrase in phrases:
        node = trie
        for char in " ".join(phrase.lower().replace("’", "'").split()):
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        optional = "" in node
        alternatives = [
            _piece(c) + emit(child) for c, child in sorted(node.items()) if c
        ]
        if not alternatives:
            return ""
        if len(alternatives) == 1 and not optional:
            return alternatives[0]
        group = "(?:" + "|".join(alternatives) + ")"
        return group + "?" if optional else group

    return emit(trie)


class PackError(ValueError):
    """A rule pack file is malformed."""


def _check_regex(source: str, where: str) -> None:
    try:
        re.compile(source)
    except re.error as exc:
        raise PackError(f"{where}: invalid regular expression: {exc}") from None


def _load_pack(
    name: str, data: dict[str, Any], *, check: bool = True
) -> tuple[Category, list[Rule]]:
    cid = data.get("id")
    if cid not in CATEGORY_IDS:
        raise PackError(f"{name}: unknown category id {cid!r}")
    severity = data.get("severity", "warning")
    if severity not in SEVERITIES:
        raise PackError(f"{name}: severity must be one of {', '.join(SEVERITIES)}")
    unless = data.get("unless")
    if unless is not None:
        _check_regex(unless, f"{name}: unless")
    category = Category(
        id=cid,
        severity=severity,
        message=" ".join(str(data.get("message", "")).split()),
        suggestion=" ".join(str(data.get("suggestion", "")).split()),
        unless=re.compile(unless) if unless else None,
    )
    rules = []
    for raw in data.get("rule", []):
        rule_name = raw.get("name", "")
        for pattern in raw.get("patterns", []) if check else ():
            _check_regex(pattern, f"{name}: rule {rule_name!r}")
        message = raw.get("message")
        rules.append(
            Rule(
                name=f"{cid}/{rule_name}",
                category=cid,
                phrases=tuple(raw.get("phrases", [])),
                patterns=tuple(raw.get("patterns", [])),
                severity=raw.get("severity"),
                message=" ".join(message.split()) if message else None,
            )
        )
    return category, rules


def load_categories() -> tuple[dict[str, Category], list[Rule]]:
    """Read every shipped rule pack (``packs/*.toml``)."""
    categories: dict[str, Category] = {}
    rules: list[Rule] = []
    packs = Path(__file__).with_name("packs")
    for entry in sorted(packs.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".toml"):
            continue
        data = tomllib.loads(entry.read_text(encoding="utf-8"))
        # The shipped patterns are checked one by one by the test suite; compiling
        # each again here would cost every review command ~15 ms.
        category, pack_rules = _load_pack(entry.name, data, check=False)
        categories[category.id] = category
        rules.extend(pack_rules)
    return categories, rules
