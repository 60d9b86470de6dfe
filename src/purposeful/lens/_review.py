"""The review pipeline: rules, then the classifier, then configuration and suppression."""

from __future__ import annotations

import math
import re
import time
from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

from ._config import LensConfig
from ._purpose import Embedder, alignment
from ._rules import Category, Match, Rule, RuleSet, load_categories
from ._text import (
    Directive,
    LineIndex,
    find_directives,
    mask_html,
    mask_markdown,
    sentence_spans,
)
from ._types import SEVERITIES, Finding, Review, Severity, Suppressed

if TYPE_CHECKING:
    from ._encoder import Encoder
    from ._model import LensModel

__all__ = [
    "MAX_TEXT_CHARS",
    "Lens",
    "Markup",
    "ReviewLimitError",
    "review",
    "review_many",
]

Markup = Literal["text", "markdown", "html"]

_COMPETITOR_MESSAGE = (
    "Names a competitor. Speak about what this offer does rather than about others; "
    "comparative claims must be objective and verifiable (EU Directive 2006/114/EC)."
)
#: A sentence needs two letters in a row to be worth classifying.
#: A fragment of fewer than three words ("Other offers", "ALL SALE", "The best!") is
#: a label or a heading, too little for a statistical guess to go on (rules still
#: read it). Fewer than 1 in 300 of the corpus's manipulative texts is that short.
_CLASSIFIER_MIN_WORDS = 3
_TWO_LETTERS = re.compile(r"[A-Za-z]{2}")
#: Where a sentence breaks into clauses: after a comma, semicolon, colon, dash or
#: bracket, and before the words that start a clause of its own.
_CLAUSE_BREAK = re.compile(
    r"[,;:()\u2013\u2014]+\s*|\s+-+\s+|\.\.\.\s*|\u2026\s*"
    r"|\s+(?=(?:but|because|or else|otherwise|unless|until|before|so that|while)\b)",
    re.IGNORECASE,
)
#: A clause needs this many words to stand on its own; shorter ones join the next.
_CLAUSE_WORDS = 3
#: A clause alone must be this likely manipulative to be the finding's span.
_CLAUSE_FLOOR = 0.5


#: The longest text reviewed at once, in characters. A long web page holds under
#: 100,000, a whole novel about a million; a review of the longest takes seconds.
MAX_TEXT_CHARS = 2_000_000


class ReviewLimitError(ValueError):
    """A text over the lens's size or time budget; the message says which, plainly.

    ``index`` is the position of the text in a :meth:`Lens.review_many` batch, when
    one text is to blame.
    """

    def __init__(self, message: str, *, index: int | None = None) -> None:
        super().__init__(message)
        self.index = index


class _Budget:
    """The time a review may take, checked between its steps."""

    __slots__ = ("_deadline", "_limit")

    def __init__(self, limit: float | None) -> None:
        self._limit = limit
        self._deadline = None if limit is None else time.monotonic() + limit

    def check(self, index: int | None) -> None:
        if self._deadline is not None and time.monotonic() > self._deadline:
            raise ReviewLimitError(
                f"the review took longer than its budget of {self._limit:g} s: "
                "review a shorter text",
                index=index,
            )


@lru_cache(maxsize=1)
def _shipped_rules() -> tuple[dict[str, Category], tuple[Rule, ...]]:
    categories, rules = load_categories()
    return categories, tuple(rules)


@dataclass(slots=True)
class _Prepared:
    original: str
    masked: str
    directives: list[Directive]
    matches: list[Match]
    _sentences: list[tuple[int, int]] | None = None

    def sentences(self) -> list[tuple[int, int]]:
        """The masked text's sentence spans, found once."""
        if self._sentences is None:
            self._sentences = sentence_spans(self.masked)
        return self._sentences


def _has_evidence(
    prep: _Prepared,
    category: Category,
    match: Match,
    cache: dict[tuple[str, int], list[tuple[int, int]]],
) -> bool:
    """Whether the sentence of ``match`` holds its category's ``unless`` evidence.

    Evidence elsewhere in the sentence makes a claim specific. The evidence of a
    sentence is found once, not once per match in it: a long run of claims would
    otherwise cost the length of its sentence for each of them.
    """
    unless = category.unless
    assert unless is not None
    sentences = prep.sentences()
    number = bisect_right(sentences, (match.start, len(prep.masked) + 1)) - 1
    if number < 0 or match.start >= sentences[number][1]:
        return unless.search(" ") is not None  # nothing around it to read
    s, e = sentences[number]
    spans = cache.get((category.id, number))
    if spans is None:
        spans = cache[category.id, number] = [
            (s + m.start(), s + m.end()) for m in unless.finditer(prep.masked[s:e])
        ]
    if not spans:
        return False
    # the spans are in order and do not overlap: one of them lies outside the
    # match if the first ends before it or the last starts after it
    if spans[0][1] <= match.start or spans[-1][0] >= match.end:
        return True
    # all evidence found touches the match itself: read the sentence without it
    rest = prep.masked[s : match.start] + " " + prep.masked[match.end : e]
    return unless.search(rest) is not None


def _clause_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The clauses of the sentence ``text[start:end]``, without their breaks."""
    spans: list[tuple[int, int]] = []
    at = start
    for brk in _CLAUSE_BREAK.finditer(text, start, end):
        spans.append((at, brk.start()))
        at = brk.end()
    spans.append((at, end))
    merged: list[tuple[int, int]] = []
    pending: int | None = None
    for s, e in spans:
        first = s if pending is None else pending
        if len(text[first:e].split()) < _CLAUSE_WORDS:
            pending = first
            continue
        merged.append((first, e))
        pending = None
    if pending is not None:
        if merged:
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((pending, end))
    # a span ends on its last visible character, not on a space before a break
    out = []
    for s, e in merged:
        while e > s and text[e - 1].isspace():
            e -= 1
        while s < e and text[s].isspace():
            s += 1
        if s < e:
            out.append((s, e))
    return out


def _past_reference(prep: _Prepared, end: int) -> int:
    """``end`` moved past the HTML character reference it falls inside, if any.

    Masking puts a reference's character at its first position and spaces after
    it, so a finding that ends on "caf&eacute;" ends after "caf&" in the original.
    """
    amp = prep.original.rfind("&", max(0, end - 1), end)
    if amp < 0 or prep.masked[amp] == "&":
        return end  # a literal ampersand, or none
    semi = prep.original.find(";", end, end + 32)
    if semi < 0 or prep.masked[end : semi + 1].strip():
        return end
    return semi + 1


def _covered(sentences: list[tuple[int, int]], findings: list[Finding]) -> set[int]:
    """Numbers of the sentences that a finding overlaps."""
    covered: set[int] = set()
    ends = [e for _, e in sentences]
    for f in findings:
        # sentences are in order and apart: the first ending after the finding's
        # start, then on while they start before its end
        number = bisect_right(ends, f.start)
        while number < len(sentences) and sentences[number][0] < f.end:
            covered.add(number)
            number += 1
    return covered


class Lens:
    """A configured reviewer; build one and reuse it for many texts.

    Rules are compiled when the lens is built; the classifier and any embedding
    model are loaded on first use and then kept.
    """

    def __init__(self, config: LensConfig | None = None) -> None:
        self.config = config or LensConfig()
        categories, rules = _shipped_rules()
        self.categories = categories
        extra = []
        allies = {a.lower() for a in self.config.allies}
        competitors = [c for c in self.config.competitors if c.lower() not in allies]
        if competitors:
            extra.append(
                Rule(
                    name="competition.superiority/named-competitor",
                    category="competition.superiority",
                    phrases=tuple(competitors),
                    message=_COMPETITOR_MESSAGE,
                )
            )
        enabled = [r for r in (*rules, *extra) if self.config.is_enabled(r.category)]
        self.rules = RuleSet(categories, enabled).compile()
        # the classifier's rule features are those of the shipped packs: when this
        # lens scans with exactly them, its matches can be reused
        self._shipped_rules_only = len(enabled) == len(rules) and not extra
        self._model: LensModel | None = None
        self._model_loaded = False
        self._embedder: Embedder | None = None
        self._embedder_loaded = False
        self._encoder: Encoder | None = None
        self._encoder_loaded = False

    # -- lazily loaded parts -------------------------------------------------
    @property
    def model(self) -> LensModel | None:
        """The classifier, or None when disabled in the configuration."""
        if not self._model_loaded:
            self._model_loaded = True
            if self.config.classifier:
                from ._model import load_model, shipped_model_path

                self._model = load_model(self.config.model or shipped_model_path())
        return self._model

    @property
    def encoder(self) -> Encoder | None:
        """The fine-tuned MiniLM, when the configuration asks for it."""
        if not self._encoder_loaded:
            self._encoder_loaded = True
            if self.config.encoder and self.config.classifier:
                from ._encoder import load_encoder

                self._encoder = load_encoder()
        return self._encoder

    @property
    def embedder(self) -> Embedder | None:
        """The sentence-embedding model of the ``semantic`` extra, if installed."""
        if not self._embedder_loaded:
            self._embedder_loaded = True
            if self.config.alignment != "lexical":
                from ._semantic import load_embedder

                self._embedder = load_embedder()
        return self._embedder

    # -- public API ----------------------------------------------------------
    def review(
        self,
        text: str,
        *,
        purpose: str | None = None,
        markup: Markup = "text",
        time_limit: float | None = None,
    ) -> Review:
        """Review one text; see :func:`purposeful.lens.review`."""
        return self.review_many(
            [text], purpose=purpose, markup=markup, time_limit=time_limit
        )[0]

    def review_many(
        self,
        texts: Iterable[str],
        *,
        purpose: str | None = None,
        markup: Markup = "text",
        time_limit: float | None = None,
    ) -> list[Review]:
        """Review many texts at once; the classifier runs once over all of them.

        A text longer than :data:`MAX_TEXT_CHARS` characters, or a review running
        past ``time_limit`` seconds, raises :class:`ReviewLimitError`.
        """
        budget = _Budget(time_limit)
        texts = list(texts)
        for number, text in enumerate(texts):
            if len(text) > MAX_TEXT_CHARS:
                raise ReviewLimitError(
                    f"the text is {len(text):,} characters long; the lens reviews "
                    f"up to {MAX_TEXT_CHARS:,} at a time: review it in parts",
                    index=number,
                )
        prepared = []
        for number, text in enumerate(texts):
            prepared.append(self._prepare(text, markup, budget, number))
        raw: list[list[Finding]] = [self._rule_findings(p) for p in prepared]
        budget.check(None)
        if self.model is not None:
            self._classify(prepared, raw)
            budget.check(None)
        purpose = purpose if purpose is not None else self.config.purpose
        reviews = []
        for prep, findings in zip(prepared, raw, strict=True):
            review = self._finish(prep, findings)
            if purpose:
                manipulative = sum(
                    1 for f in review.findings if f.id.startswith("manipulation.")
                )
                score, method = alignment(
                    prep.masked, purpose, manipulative, self.embedder
                )
                review.purpose_alignment = score
                review.alignment_method = method
            reviews.append(review)
        return reviews

    # -- pipeline steps ------------------------------------------------------
    def _prepare(
        self, text: str, markup: Markup, budget: _Budget, number: int
    ) -> _Prepared:
        if markup == "markdown":
            masked = mask_markdown(text)
        elif markup == "html":
            masked = mask_html(text)
        else:
            masked = text
        directives = find_directives(text)
        if directives:
            # the directive's own words ("ignore manipulation.urgency") are not copy
            chars = list(masked)
            for d in directives:
                for i in range(d.start, d.end):
                    if chars[i] != "\n":
                        chars[i] = " "
            masked = "".join(chars)
        budget.check(number)
        matches = []
        for match in self.rules.scan(masked):
            matches.append(match)
            if not len(matches) % 4096:
                budget.check(number)
        return _Prepared(text, masked, directives, matches)

    def _severity(self, category: Category, default: Severity) -> Severity:
        overrides = self.config.severity
        family = category.id.split(".")[0]
        return overrides.get(category.id) or overrides.get(family) or default

    def _rule_findings(self, prep: _Prepared) -> list[Finding]:
        findings = []
        evidence: dict[tuple[str, int], list[tuple[int, int]]] = {}
        for match in prep.matches:
            rule = match.rule
            category = self.categories[rule.category]
            if category.unless is not None and _has_evidence(
                prep, category, match, evidence
            ):
                continue
            findings.append(
                Finding(
                    id=category.id,
                    severity=self._severity(
                        category, rule.severity or category.severity
                    ),
                    message=rule.message or category.message,
                    start=match.start,
                    end=match.end,
                    line=0,
                    column=0,
                    text=prep.original[match.start : match.end],
                    suggestion=category.suggestion or None,
                    rule=rule.name,
                )
            )
        return findings

    def _classify(self, prepared: list[_Prepared], raw: list[list[Finding]]) -> None:
        model = self.model
        assert model is not None
        candidates: list[tuple[int, int, int]] = []
        batch: list[str] = []
        hits: list[list[Rule]] | None = [] if self._shipped_rules_only else None
        for index, prep in enumerate(prepared):
            sentences = prep.sentences()
            covered = _covered(sentences, raw[index])
            matches = prep.matches
            match_starts = [m.start for m in matches]
            for number, (s, e) in enumerate(sentences):
                if number in covered:
                    continue  # a rule already explains this sentence
                sentence = prep.masked[s:e]
                if len(
                    sentence.split(None, _CLASSIFIER_MIN_WORDS - 1)
                ) < _CLASSIFIER_MIN_WORDS or not _TWO_LETTERS.search(sentence):
                    continue
                candidates.append((index, s, e))
                batch.append(sentence)
                if hits is not None:
                    # matches are in order of their start: only those from s on
                    inside = []
                    for i in range(bisect_left(match_starts, s), len(matches)):
                        m = matches[i]
                        if m.start >= e:
                            break
                        if m.end <= e:
                            inside.append(m.rule)
                    hits.append(inside)
        if not batch:
            return
        threshold = self.config.threshold
        encoder = self.encoder
        # a model of one's own with other classes (a 0/1 one, say) is read alone
        if encoder is not None and set(encoder.classes) == set(model.classes):
            chosen = _encoder_choices(encoder, model, batch)
        else:
            # The cheap binary head picks candidates with some slack; the class
            # heads, run on those few only, decide and name the category.
            chosen = model.screen(batch, hits, floor=threshold * 0.75)
        negative = model.classes.index(model.negative_class)
        for row_index, probabilities in chosen:
            manipulation = 1.0 - probabilities[negative]
            if manipulation < threshold:
                continue
            index, s, e = candidates[row_index]
            best = max((p, i) for i, p in enumerate(probabilities) if i != negative)[1]
            finding_id = model.classes[best]
            category = self.categories.get(finding_id)
            if category is None or not self.config.is_enabled(finding_id):
                continue
            if category.unless is not None and category.unless.search(
                prepared[index].masked, s, e
            ):
                # a claim that names its evidence is substantiated, whoever reads
                # it: the rules already let it pass, and so does the classifier
                continue
            severity = self._severity(category, category.severity)
            # a statistical guess never blocks as hard as a rule can
            if SEVERITIES.index(severity) < SEVERITIES.index("warning"):
                severity = "warning"
            masked = prepared[index].masked
            s, e = self._clause(model, masked, s, e, best)
            confidence = round(manipulation, 3)
            raw[index].append(
                Finding(
                    id=finding_id,
                    severity=severity,
                    message=_classifier_message(
                        category,
                        confidence,
                        model.reasons(masked[s:e], finding_id),
                    ),
                    start=s,
                    end=e,
                    line=0,
                    column=0,
                    text=prepared[index].original[s:e],
                    suggestion=category.suggestion or None,
                    rule="classifier",
                    source="classifier",
                    confidence=confidence,
                )
            )

    @staticmethod
    def _clause(
        model: LensModel, text: str, start: int, end: int, best: int
    ) -> tuple[int, int]:
        """The clauses of a flagged sentence that carry its category.

        Each clause is scored on its own; the finding covers the one most likely
        of the sentence's category, with its neighbours while they are likely
        manipulative too. When no clause alone is, the manipulation is in the
        sentence as a whole, and the finding covers all of it.
        """
        spans = _clause_spans(text, start, end)
        if len(spans) < 2:
            return spans[0] if spans else (start, end)
        negative = model.classes.index(model.negative_class)
        rows = model.probabilities([text[s:e] for s, e in spans])
        likely = [1.0 - row[negative] >= _CLAUSE_FLOOR for row in rows]
        top = max(range(len(spans)), key=lambda i: rows[i][best])
        if not likely[top]:
            return start, end
        lo = hi = top
        while lo > 0 and likely[lo - 1]:
            lo -= 1
        while hi + 1 < len(spans) and likely[hi + 1]:
            hi += 1
        if lo == 0 and hi == len(spans) - 1:
            return start, end
        return spans[lo][0], spans[hi][1]

    def _finish(self, prep: _Prepared, findings: list[Finding]) -> Review:
        review = Review()
        if not findings:
            return review
        index = LineIndex(prep.original)
        lines = prep.original.split("\n")
        silencers = _Silencers(_directive_ranges(prep.directives, lines))
        claims = [(" ".join(c.text.lower().split()), c) for c in self.config.claims]
        for f in sorted(findings, key=lambda f: (f.start, f.end)):
            line, column = index.position(f.start)
            f = replace(f, line=line, column=column)
            end = _past_reference(prep, f.end)
            if end != f.end:
                f = replace(f, end=end, text=prep.original[f.start : end])
            directive = silencers.find(line, f.id)
            if directive is not None:
                review.suppressed.append(Suppressed(f, "inline", directive.line))
                continue
            if f.id == "claims.greenwash" and claims:
                said = " ".join(f.text.lower().split())
                claim = next((c for t, c in claims if said in t or t in said), None)
                if claim is not None:
                    review.suppressed.append(
                        Suppressed(f, "substantiated", evidence=claim.evidence)
                    )
                    continue
            review.findings.append(f)
        return review


def _encoder_choices(
    encoder: Encoder, model: LensModel, batch: list[str]
) -> list[tuple[int, list[float]]]:
    """Every sentence with the class probabilities the encoder and classifier agree on.

    Their normalised geometric mean: a sentence counts as manipulative only as far
    as both find it so, which keeps the false alarms of either one out (each errs
    on different copy: the classifier on words it has seen in other company, the
    encoder on a sentence read without the ones around it). In the classifier's
    class order, because it still places the finding on its clause and names the
    words that weigh most.
    """
    at = {c: i for i, c in enumerate(encoder.classes)}
    order = [at.get(c) for c in model.classes]
    chosen = []
    for row, (ours, theirs) in enumerate(
        zip(encoder.probabilities(batch), model.probabilities(batch), strict=True)
    ):
        mean = [
            math.sqrt(ours[i] * p) if i is not None else 0.0
            for i, p in zip(order, theirs, strict=True)
        ]
        total = sum(mean) or 1.0
        chosen.append((row, [m / total for m in mean]))
    return chosen


def _classifier_message(
    category: Category, confidence: float, reasons: list[str]
) -> str:
    """A classifier finding's message: what the category is, and why it was flagged."""
    why = ""
    if reasons:
        quoted = [f"\u201c{w}\u201d" for w in reasons]
        said = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1])
        if len(quoted) > 1:
            said += f" and {quoted[-1]}"
        why = f", most of all because of {said}"
    return (
        f"{category.message} Found by the lens's classifier, not a fixed rule: it "
        f"reads this as {category.id} with {confidence:.0%} confidence{why}. "
        "Check whether it applies."
    )


def _directive_ranges(
    directives: Sequence[Directive], lines: Sequence[str]
) -> list[tuple[int, int, Directive]]:
    """(first line, last line, directive) for each inline directive."""
    ranges = []
    open_off: Directive | None = None
    next_text: list[int] | None = None
    for d in directives:
        if d.verb == "off":
            open_off = d
        elif d.verb == "on":
            if open_off is not None:
                ranges.append((open_off.line, d.line, open_off))
            open_off = None
        else:
            if next_text is None:
                next_text = _next_lines_with_text(lines)
            # covers its own line and the next line with any text on it
            ranges.append((d.line, next_text[d.line] or d.line, d))
    if open_off is not None:
        ranges.append((open_off.line, len(lines), open_off))
    return ranges


class _Silencers:
    """The directive that silences a finding: the first, in file order, covering it.

    Findings are asked about in order of their line, so the directives in force are
    kept as the lines go by instead of every directive being tried for every
    finding (a file of many directives and findings would take minutes).
    """

    __slots__ = ("_active", "_cache", "_line", "_waiting")

    def __init__(self, ranges: list[tuple[int, int, Directive]]) -> None:
        first: dict[tuple[int, int, tuple[str, ...]], tuple[int, int, int, Directive]]
        first = {}
        for order, (lo, hi, d) in enumerate(ranges):
            # a repeated directive silences nothing the first one does not
            first.setdefault((lo, hi, d.ids), (order, lo, hi, d))
        self._waiting = sorted(first.values(), key=lambda r: r[1], reverse=True)
        self._active: list[tuple[int, int, Directive]] = []
        self._line = 0
        self._cache: dict[str, Directive | None] = {}

    def find(self, line: int, finding_id: str) -> Directive | None:
        """The directive covering ``finding_id`` on ``line`` (lines never go back)."""
        if line != self._line:
            self._line = line
            self._cache.clear()
            while self._waiting and self._waiting[-1][1] <= line:
                order, _, hi, d = self._waiting.pop()
                insort(self._active, (order, hi, d), key=lambda a: a[0])
            self._active = [a for a in self._active if a[1] >= line]
        if finding_id not in self._cache:
            self._cache[finding_id] = next(
                (d for _, _, d in self._active if d.covers(finding_id)), None
            )
        return self._cache[finding_id]


def _next_lines_with_text(lines: Sequence[str]) -> list[int]:
    """For each line number, the number of the next line with text (0: none)."""
    following = [0] * (len(lines) + 1)
    upcoming = 0
    for number in range(len(lines), 0, -1):
        following[number] = upcoming
        if lines[number - 1].strip():
            upcoming = number
    following[0] = upcoming
    return following


_LENSES: dict[int, tuple[LensConfig | None, Lens]] = {}


def _lens_for(config: LensConfig | None) -> Lens:
    # One compiled lens per configuration object, so repeated calls are cheap.
    key = id(config)
    cached = _LENSES.get(key)
    if cached is None or cached[0] is not config:
        if len(_LENSES) > 16:
            _LENSES.clear()
        cached = (config, Lens(config))
        _LENSES[key] = cached
    return cached[1]


def review(
    text: str,
    *,
    purpose: str | None = None,
    config: LensConfig | None = None,
    markup: Markup = "text",
    time_limit: float | None = None,
) -> Review:
    """Review ``text`` for manipulation, competitor-directed and greenwashing claims.

    ``purpose`` (or the configuration's) adds ``purpose_alignment``; ``markup`` tells
    how to read the text (``"markdown"`` and ``"html"`` skip markup and code, keeping
    offsets into the original text). A text of more than :data:`MAX_TEXT_CHARS`
    characters, or a review running past ``time_limit`` seconds, raises
    :class:`ReviewLimitError`.
    """
    return _lens_for(config).review(
        text, purpose=purpose, markup=markup, time_limit=time_limit
    )


def review_many(
    texts: Iterable[str],
    *,
    purpose: str | None = None,
    config: LensConfig | None = None,
    markup: Markup = "text",
    time_limit: float | None = None,
) -> list[Review]:
    """Review many texts at once; much faster per text than calling :func:`review`."""
    return _lens_for(config).review_many(
        texts, purpose=purpose, markup=markup, time_limit=time_limit
    )
