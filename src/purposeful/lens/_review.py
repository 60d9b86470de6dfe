"""The review pipeline: rules, then the classifier, then configuration and suppression."""

from __future__ import annotations

import re
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
    from ._model import LensModel

__all__ = ["Lens", "Markup", "review", "review_many"]

Markup = Literal["text", "markdown", "html"]

_COMPETITOR_MESSAGE = (
    "Names a competitor. Speak about what this offer does rather than about others; "
    "comparative claims must be objective and verifiable (EU Directive 2006/114/EC)."
)
#: A sentence needs two letters in a row to be worth classifying.
_TWO_LETTERS = re.compile(r"[A-Za-z]{2}")
_CLASSIFIER_NOTE = (
    " (Found by the lens's classifier, not a fixed rule: check whether it applies.)"
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
        self, text: str, *, purpose: str | None = None, markup: Markup = "text"
    ) -> Review:
        """Review one text; see :func:`purposeful.lens.review`."""
        return self.review_many([text], purpose=purpose, markup=markup)[0]

    def review_many(
        self,
        texts: Iterable[str],
        *,
        purpose: str | None = None,
        markup: Markup = "text",
    ) -> list[Review]:
        """Review many texts at once; the classifier runs once over all of them."""
        prepared = [self._prepare(t, markup) for t in texts]
        raw: list[list[Finding]] = [self._rule_findings(p) for p in prepared]
        if self.model is not None:
            self._classify(prepared, raw)
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
    def _prepare(self, text: str, markup: Markup) -> _Prepared:
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
        return _Prepared(text, masked, directives, list(self.rules.scan(masked)))

    def _severity(self, category: Category, default: Severity) -> Severity:
        overrides = self.config.severity
        family = category.id.split(".")[0]
        return overrides.get(category.id) or overrides.get(family) or default

    def _rule_findings(self, prep: _Prepared) -> list[Finding]:
        findings = []
        sentences: list[tuple[int, int]] | None = None
        for match in prep.matches:
            rule = match.rule
            category = self.categories[rule.category]
            if category.unless is not None:
                if sentences is None:
                    sentences = sentence_spans(prep.masked)
                s, e = next(
                    ((s, e) for s, e in sentences if s <= match.start < e),
                    (match.start, match.end),
                )
                # evidence elsewhere in the sentence makes the claim specific
                rest = prep.masked[s : match.start] + " " + prep.masked[match.end : e]
                if category.unless.search(rest):
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
            covered = [(f.start, f.end) for f in raw[index]]
            for s, e in sentence_spans(prep.masked):
                if covered and any(fs < e and s < fe for fs, fe in covered):
                    continue  # a rule already explains this sentence
                if not _TWO_LETTERS.search(prep.masked, s, e):
                    continue
                candidates.append((index, s, e))
                batch.append(prep.masked[s:e])
                if hits is not None:
                    hits.append(
                        [m.rule for m in prep.matches if s <= m.start and m.end <= e]
                    )
        if not batch:
            return
        threshold = self.config.threshold
        # The cheap binary head picks candidates with some slack; the class heads,
        # run on those few only, decide and name the category.
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
            severity = self._severity(category, category.severity)
            # a statistical guess never blocks as hard as a rule can
            if SEVERITIES.index(severity) < SEVERITIES.index("warning"):
                severity = "warning"
            raw[index].append(
                Finding(
                    id=finding_id,
                    severity=severity,
                    message=category.message + _CLASSIFIER_NOTE,
                    start=s,
                    end=e,
                    line=0,
                    column=0,
                    text=prepared[index].original[s:e],
                    suggestion=category.suggestion or None,
                    rule="classifier",
                    source="classifier",
                    confidence=round(manipulation, 3),
                )
            )

    def _finish(self, prep: _Prepared, findings: list[Finding]) -> Review:
        review = Review()
        if not findings:
            return review
        index = LineIndex(prep.original)
        lines = prep.original.split("\n")
        ranges = _directive_ranges(prep.directives, lines)
        claims = [(" ".join(c.text.lower().split()), c) for c in self.config.claims]
        for f in sorted(findings, key=lambda f: (f.start, f.end)):
            line, column = index.position(f.start)
            f = replace(f, line=line, column=column)
            directive = next(
                (d for lo, hi, d in ranges if lo <= line <= hi and d.covers(f.id)), None
            )
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


def _directive_ranges(
    directives: Sequence[Directive], lines: Sequence[str]
) -> list[tuple[int, int, Directive]]:
    """(first line, last line, directive) for each inline directive."""
    ranges = []
    open_off: Directive | None = None
    for d in directives:
        if d.verb == "off":
            open_off = d
        elif d.verb == "on":
            if open_off is not None:
                ranges.append((open_off.line, d.line, open_off))
            open_off = None
        else:
            # covers its own line and the next line with any text on it
            last = d.line
            for number in range(d.line + 1, len(lines) + 1):
                if lines[number - 1].strip():
                    last = number
                    break
            ranges.append((d.line, last, d))
    if open_off is not None:
        ranges.append((open_off.line, len(lines), open_off))
    return ranges


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
) -> Review:
    """Review ``text`` for manipulation, competitor-directed and greenwashing claims.

    ``purpose`` (or the configuration's) adds ``purpose_alignment``; ``markup`` tells
    how to read the text (``"markdown"`` and ``"html"`` skip markup and code, keeping
    offsets into the original text).
    """
    return _lens_for(config).review(text, purpose=purpose, markup=markup)


def review_many(
    texts: Iterable[str],
    *,
    purpose: str | None = None,
    config: LensConfig | None = None,
    markup: Markup = "text",
) -> list[Review]:
    """Review many texts at once; much faster per text than calling :func:`review`."""
    return _lens_for(config).review_many(texts, purpose=purpose, markup=markup)
