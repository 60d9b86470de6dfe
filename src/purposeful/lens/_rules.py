"""Rule packs: data files of phrases and patterns, compiled once into one matcher.

Every pack in ``packs/`` describes one category (id, default severity, message,
suggestion) and lists rules made of literal ``phrases`` and regular-expression
``patterns``. The patterns of all packs are compiled into a single alternation with
one named group per rule, so a text is scanned once whatever the number of rules.
The phrases are looked up by their first word instead: compiling the hundreds of
them into that regex took a review command ~25 ms and made every scan twice as
slow. The scanner reports what the single alternation of every rule, in pack
order, would report (``tests/lens/test_rules.py`` checks it does): the leftmost
match, at one position the first rule, and for a rule its longest phrase. Only the
words inside a match are tried again, for a match of another category that
overlaps it. Every rule must start at the start of a word.

Phrases are matched the way a person reads them, by normalising both the phrase (when
the rules are compiled) and the text (when it is scanned), never by listing variants:
capitals, curly apostrophes, hyphens and runs of whitespace are folded away, so
"must-have", "must have" and "MUST  HAVE" are one phrase; a phrase of several words
also matches them written as one ("musthave", "#mustHave"); and the first and last
words of a phrase match their -s, -ed, -ing and -ly forms ("must-haves", "turning
heads"), except short and grammatical words, whose forms mean something else.
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
    #: whether phrases also match their word forms and their words written as one
    #: (the shipped packs' do; a configured competitor's name matches as written)
    forms: bool = False

    def regex(self) -> str:
        """The rule as one regular expression (phrases as a prefix trie)."""
        parts = [self.pattern_regex()] if self.patterns else []
        if self.phrases:
            surfaces = [
                " ".join(words) + suffix
                for words, suffixes in self.variants()
                for suffix in suffixes
            ]
            parts.insert(0, r"(?<!\w)" + _trie_regex(surfaces) + r"(?!\w)")
        return "|".join(parts)

    def variants(self) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
        """Each phrase as (folded words, endings its last word may take), no repeats.

        The last word is given without the ending its forms differ in ("hurr" with
        "y", "ies", "ied"...); one variant is made for each form of the first word
        and one for the words written as one.
        """
        found: dict[tuple[str, ...], tuple[str, ...]] = {}
        for phrase in self.phrases:
            words = _phrase_words(phrase)
            if not self.forms:
                found.setdefault(words, ("",))
                continue
            shapes = [words]
            if len(words) > 1 and all(w.isalpha() for w in words):
                shapes.append(("".join(words),))
            for shape in shapes:
                last_stem, endings = _endings(shape[-1])
                if len(shape) == 1:  # each form a word of its own: a key of its own
                    for ending in endings:
                        found.setdefault((last_stem + ending,), ("",))
                    continue
                first_stem, first_endings = _endings(shape[0])
                for ending in first_endings:
                    key = (first_stem + ending, *shape[1:-1], last_stem)
                    found.setdefault(key, endings)
        return list(found.items())

    def pattern_regex(self) -> str:
        """The rule's patterns as one regular expression."""
        return "|".join(f"(?:{p})" for p in self.patterns)


@dataclass(frozen=True, slots=True)
class Match:
    """A raw rule match before configuration and suppression are applied."""

    rule: Rule
    start: int
    end: int


_WORD_RUN = re.compile(r"\w+")
_WORD_CHAR = re.compile(r"\w")
_SPACES = re.compile(r"\s+")
#: Every character ``\\s`` matches (tests/lens/test_rules.py checks the list).
WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680"
    + "".join(map(chr, range(0x2000, 0x200B)))
    + "\u2028\u2029\u202f\u205f\u3000"
)
#: Hyphens join words the way a space does ("must-have" is "must have").
HYPHENS = "-\u2010\u2011"
_PLAIN = str.maketrans({"’": "'"} | dict.fromkeys(WHITESPACE + HYPHENS, " "))
#: Words of four letters or more whose -s, -ed, -ing or -ly form is another word
#: ("last" and "lasting", "most" and "mostly"): in a phrase they match as written.
_AS_WRITTEN = frozenset(
    {
        "could",
        "does",
        "from",
        "just",
        "last",
        "more",
        "most",
        "much",
        "must",
        "only",
        "than",
        "that",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "very",
        "were",
        "what",
        "when",
        "will",
        "with",
        "your",
        "yours",
    }
)
_VOWELS = "aeiou"
#: A space of a phrase in the regex form: whitespace or hyphens, as folded.
_GAP = r"[\s" + re.escape(HYPHENS) + "]+"


def _endings(word: str) -> tuple[str, tuple[str, ...]]:
    """``word`` split into the part its forms share and the endings of its forms.

    ``hurry`` gives ``("hurr", ("y", "ies", "ied", "ying", "ily"))``: the plain
    word and its -s, -ed, -ing and -ly forms in regular English spelling.
    """
    if len(word) < 4 or not word.isalpha() or word in _AS_WRITTEN:
        return word, ("",)
    if word.endswith("e"):
        return word[:-1], ("e", "es", "ed", "ing", "ely")
    if word.endswith("y") and word[-2] not in _VOWELS:
        return word[:-1], ("y", "ies", "ied", "ying", "ily")
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word, ("", "es", "ed", "ing", "ly")
    return word, ("", "s", "ed", "ing", "ly")


def _fold(text: str) -> str:
    """``text`` lower-cased, with plain apostrophes and hyphens and spaces as spaces.

    One character stays one character, so offsets into the result are offsets
    into ``text``.
    """
    low = text.lower()
    if len(low) != len(text):  # a letter whose lower case is two characters (İ)
        low = "".join(c.lower()[0] for c in text)
    return low.translate(_PLAIN)


def _phrase_words(phrase: str) -> tuple[str, ...]:
    return tuple(_fold(" ".join(phrase.split())).split(" "))


def _phrase_end(
    folded: str, start: int, words: tuple[str, ...], endings: tuple[str, ...]
) -> int | None:
    """Where ``words`` end when they match at ``start`` as a whole-word phrase.

    The last word is complete with one of ``endings`` after it.
    """
    pos = start
    for i, word in enumerate(words):
        if i:
            gap = _SPACES.match(folded, pos)  # a space in a phrase is any whitespace
            if gap is None:
                return None
            pos = gap.end()
        if not folded.startswith(word, pos):
            return None
        pos += len(word)
    return _ending_end(folded, pos, endings)


_WORD_TAIL = re.compile(r"\w*")


def _ending_end(folded: str, pos: int, endings: tuple[str, ...]) -> int | None:
    """Where the word going on at ``pos`` ends, if it goes on with one of ``endings``."""
    if endings == ("",):
        return None if _WORD_CHAR.match(folded, pos) else pos
    tail = _WORD_TAIL.match(folded, pos)
    assert tail is not None  # an empty tail matches too
    return tail.end() if tail.group() in endings else None


#: A phrase candidate: (rule index, its words, the words joined by spaces, the
#: endings its last word may take, the rule).
_Phrase = tuple[int, tuple[str, ...], str, tuple[str, ...], Rule]
#: A match before it becomes a :class:`Match`: (rule index, start, end, rule).
_Hit = tuple[int, int, int, Rule]


@dataclass(slots=True)
class RuleSet:
    """Categories and rules compiled into one scanner."""

    categories: dict[str, Category]
    rules: list[Rule]
    _patterns: re.Pattern[str] | None = field(default=None, repr=False)
    _by_group: dict[str, tuple[int, Rule]] = field(default_factory=dict, repr=False)
    #: first word of a phrase -> candidates, first rule first, longest first
    _phrases: dict[str, list[_Phrase]] = field(default_factory=dict, repr=False)
    _compiled: bool = field(default=False, repr=False)

    def compile(self) -> RuleSet:
        """Build the scanner; call once after the rules are final."""
        alternatives = []
        for index, rule in enumerate(self.rules):
            variants = rule.variants()
            # a phrase must begin with a word character to be found by its first
            # word; a rule with any other phrase (a competitor named "@acme") keeps
            # all of its phrases in the regex, where its longest still wins
            if all(_WORD_CHAR.match(words[0]) for words, _ in variants):
                for words, endings in variants:
                    first = _WORD_RUN.match(words[0])
                    assert first is not None
                    candidates = self._phrases.setdefault(first.group(), [])
                    candidates.append((index, words, " ".join(words), endings, rule))
                source = rule.pattern_regex()
            else:
                source = rule.regex()
            if source:
                group = f"r{index}"
                self._by_group[group] = (index, rule)
                alternatives.append(f"(?P<{group}>{source})")
        for candidates in self._phrases.values():
            candidates.sort(key=lambda c: (c[0], -len(c[2])))
        if alternatives:
            # Every rule starts at the start of a word (a phrase by construction, a
            # pattern as the packs write it: tests/lens/test_rules.py checks).
            # Saying so once up front lets the engine leave the middle of a word
            # after one test instead of trying every rule there.
            source = r"(?<!\w)(?:" + "|".join(alternatives) + ")"
            self._patterns = re.compile(source, re.IGNORECASE)
        self._compiled = True
        return self

    def _phrase_hits(self, folded: str) -> dict[int, _Hit]:
        """The phrase match at each word start of a text (first rule, longest)."""
        hits: dict[int, _Hit] = {}
        index = self._phrases
        if not index:
            return hits
        # Where the gaps between words are single spaces, a phrase matches when the
        # text continues with it: one string comparison per candidate.
        plain = "  " not in folded
        for run in _WORD_RUN.finditer(folded):
            candidates = index.get(run.group())
            if candidates is None:
                continue
            start = run.start()
            for rule_index, words, spaced, endings, rule in candidates:
                if plain:
                    end: int | None = None
                    if folded.startswith(spaced, start):
                        end = _ending_end(folded, start + len(spaced), endings)
                else:
                    end = _phrase_end(folded, start, words, endings)
                if end is not None:
                    hits[start] = (rule_index, start, end, rule)
                    break
        return hits

    def _pattern_hit(self, found: re.Match[str] | None) -> _Hit | None:
        if found is None:
            return None
        index, rule = self._by_group[found.lastgroup or ""]
        return index, found.start(), found.end(), rule

    def scan(self, text: str) -> Iterator[Match]:
        """Yield every rule match in ``text``, left to right.

        Matches do not overlap, with one exception: words of another category that
        begin inside a match and run on past its end ("Buy now before it's too
        late": urgency, then fear) are reported too. A match wholly inside another
        is not: the longer, more specific phrase speaks for those words.
        """
        if not self._compiled:
            raise RuntimeError("RuleSet.compile() must be called before scan()")
        patterns = self._patterns
        phrases = self._phrase_hits(_fold(text))
        starts = sorted(phrases)
        next_phrase = 0
        pos = 0
        # The next pattern match is searched for again only once the scan has passed
        # its start: searching at every phrase match would read the rest of the text
        # each time, quadratic in a text full of phrases and without a pattern.
        # Matching depends on the start alone (the look-behind sees text before
        # ``pos``), so the kept match is what a new search would find.
        pattern: _Hit | None = None
        searched = patterns is None
        while True:
            while next_phrase < len(starts) and starts[next_phrase] < pos:
                next_phrase += 1
            phrase = phrases[starts[next_phrase]] if next_phrase < len(starts) else None
            if patterns is not None and (
                not searched or (pattern is not None and pattern[1] < pos)
            ):
                pattern = self._pattern_hit(patterns.search(text, pos))
                searched = True
            hit = _first(phrase, pattern)
            if hit is None:
                return
            _, start, end, rule = hit
            if start == end:
                pos = end + 1
                continue
            yield Match(rule, start, end)
            pos = end
            for inner in range(start + 1, end):
                if _is_word_char(text[inner - 1]):
                    continue  # no rule starts inside a word
                later = _first(
                    phrases.get(inner),
                    self._pattern_hit(patterns.match(text, inner))
                    if patterns
                    else None,
                )
                if later is None or later[2] <= end:
                    continue
                other = later[3]
                if other.category != rule.category:
                    yield Match(other, inner, later[2])
                    pos = later[2]
                    break


def _is_word_char(char: str) -> bool:
    """Whether ``char`` is one that ``\\w`` matches."""
    return char.isalnum() or char == "_"


def _first(phrase: _Hit | None, pattern: _Hit | None) -> _Hit | None:
    """The match one alternation of all rules would give: leftmost, then first rule.

    At the same start and rule, the rule's phrases come before its patterns.
    """
    if phrase is None or pattern is None:
        return phrase or pattern
    if (pattern[1], pattern[0]) < (phrase[1], phrase[0]):
        return pattern
    return phrase


def _piece(char: str) -> str:
    # Spaces in a phrase match any run of whitespace (copy wraps across lines), and
    # apostrophes match both the straight and the typographic form.
    # Hyphens are folded into spaces before phrases are split into words.
    if char == " ":
        return _GAP
    if char in "'’":
        return "['’]"
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
                forms=True,
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
