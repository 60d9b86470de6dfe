"""Reviews shaped for pages: labels, highlighted segments, stored and exported forms.

The organisation's lens itself, and every review made with it, is in
:mod:`purposeful.outreach.lens_service`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import tomli_w
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from purposeful.lens import (
    CATEGORY_IDS,
    SEVERITIES,
    LensConfig,
    Review,
    Suppressed,
)
from purposeful.lens import Finding as LensFinding

# Plain-words names for the finding ids, for people rather than machines.
CATEGORY_LABELS: dict[str, str] = {
    "manipulation.fear": "Fear appeal",
    "manipulation.vanity": "Vanity",
    "manipulation.approval": "Seeking approval",
    "manipulation.success": "Promise of success",
    "manipulation.artificial-need": "Artificial need",
    "manipulation.urgency": "False urgency",
    "manipulation.scarcity": "Scarcity",
    "manipulation.social-proof": "Pressure from others' activity",
    "manipulation.confirmshaming": "Confirmshaming",
    "competition.superiority": "Aimed at competitors",
    "claims.greenwash": "Generic environmental claim",
}
GRADES = ("default", *SEVERITIES, "off")
MARKUPS = ("text", "markdown", "html")


def category_label(finding_id: str) -> str:
    return CATEGORY_LABELS.get(finding_id, finding_id)


def review_from_data(data: dict[str, Any]) -> Review:
    """A review stored as :func:`review_data` made it, as the lens's ``Review``."""
    names = set(LensFinding.__dataclass_fields__)
    findings = [
        LensFinding(**{k: v for k, v in finding.items() if k in names})
        for finding in data.get("findings", [])
    ]
    suppressed = [
        Suppressed(
            LensFinding(**{k: v for k, v in item.items() if k in names}),
            item["reason"],
            item.get("directive_line"),
            item.get("evidence"),
        )
        for item in data.get("suppressed", [])
    ]
    return Review(
        findings=findings,
        purpose_alignment=data.get("purpose_alignment"),
        alignment_method=data.get("alignment_method"),
        suppressed=suppressed,
    )


def stored_review(page: Any) -> Review:
    """The review kept with a site page, rebuilt from its stored findings."""
    review = review_from_data({"findings": page.findings})
    review.purpose_alignment = page.purpose_alignment
    review.alignment_method = page.site_review.alignment_method or None
    return review


def category_counts(review: Review) -> dict[str, int]:
    return dict(sorted(Counter(f.id for f in review.findings).items()))


def looks_like_html(text: str) -> bool:
    head = text.lstrip()[:500].lower()
    return head.startswith(
        (
            "<!doctype",
            "<html",
            "<head",
            "<body",
            "<div",
            "<p",
            "<section",
            "<main",
            "<article",
            "<!--",
        )
    )


# -- shaping a review for templates -------------------------------------------


@dataclass(slots=True)
class ShownFinding:
    number: int
    finding: LensFinding
    label: str
    # offsets as a browser counts them (UTF-16 code units), to select the span
    js_start: int = 0
    js_end: int = 0

    @property
    def id(self) -> str:
        return self.finding.id


@dataclass(slots=True)
class Segment:
    text: str
    findings: list[ShownFinding] = field(default_factory=list)

    @property
    def severity(self) -> str:
        order = {s: i for i, s in enumerate(SEVERITIES)}
        return min((f.finding.severity for f in self.findings), key=order.__getitem__)

    @property
    def first(self) -> ShownFinding:
        return self.findings[0]

    @property
    def describe(self) -> str:
        return "; ".join(f"{f.number}. {f.label}" for f in self.findings)


@dataclass(slots=True)
class ShownReview:
    """A review ready to render: numbered findings and the text cut into segments."""

    findings: list[ShownFinding]
    segments: list[Segment]
    purpose_alignment: float | None
    alignment_method: str | None
    suppressed: int

    @property
    def alignment_percent(self) -> int | None:
        if self.purpose_alignment is None:
            return None
        return round(self.purpose_alignment * 100)

    @property
    def alignment_words(self) -> str:
        score = self.purpose_alignment
        if score is None:
            return "No purpose written yet, so the lens cannot compare."
        if score >= 0.7:
            return "Speaks from the purpose."
        if score >= 0.4:
            return "Partly speaks from the purpose."
        return (
            "Speaks little from the purpose; say what need it meets and why you do it."
        )

    @property
    def model_name(self) -> str:
        method = self.alignment_method or ""
        if method == "lexical":
            return "lexical fallback (shared words and vocabularies)"
        if method.startswith("semantic:"):
            return f"sentence embeddings ({method.split(':', 1)[1]})"
        return method or "none"

    @property
    def counts(self) -> list[tuple[str, str, int]]:
        counter = Counter(f.id for f in self.findings)
        return [(i, category_label(i), counter[i]) for i in CATEGORY_IDS if counter[i]]

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.finding.severity == "error")


def shown(review: Review, text: str) -> ShownReview:
    """Number the findings and cut ``text`` at every finding's edges."""
    ordered = sorted(review.findings, key=lambda f: (f.start, f.end))
    utf16 = _utf16_offsets(text, [o for f in ordered for o in (f.start, f.end)])
    found = [
        ShownFinding(n, f, category_label(f.id), utf16[f.start], utf16[f.end])
        for n, f in enumerate(ordered, 1)
    ]
    cuts = {0, len(text)}
    for f in found:
        cuts.update(
            (
                max(0, min(f.finding.start, len(text))),
                max(0, min(f.finding.end, len(text))),
            )
        )
    edges = sorted(cuts)
    segments: list[Segment] = []
    # the findings over each segment, kept as the segments go by: trying every
    # finding for every segment took seconds for a long text with many findings
    waiting = iter(found)
    upcoming = next(waiting, None)
    active: list[ShownFinding] = []
    for start, end in zip(edges, edges[1:], strict=False):
        if start == end:
            continue
        while upcoming is not None and upcoming.finding.start <= start:
            active.append(upcoming)
            upcoming = next(waiting, None)
        active = [f for f in active if end <= f.finding.end]
        covering = list(active)
        if segments and not covering and not segments[-1].findings:
            segments[-1].text += text[start:end]
        else:
            segments.append(Segment(text[start:end], covering))
    return ShownReview(
        findings=found,
        segments=segments,
        purpose_alignment=review.purpose_alignment,
        alignment_method=review.alignment_method,
        suppressed=len(review.suppressed),
    )


def _utf16_offsets(text: str, offsets: list[int]) -> dict[int, int]:
    """Each offset as a browser counts it (UTF-16 code units), in one pass."""
    found: dict[int, int] = {}
    position = units = 0
    for offset in sorted(set(offsets)):
        units += len(text[position:offset].encode("utf-16-le")) // 2
        position = max(position, offset)
        found[offset] = units
    return found


def highlight_html(review: ShownReview, *, numbered: bool = False) -> SafeString:
    """The text with every finding marked; ``numbered`` adds links to the list.

    Without numbers it is the layer behind the editor, which must keep exactly
    the characters of the text so the marks sit under the words.
    """
    parts: list[str] = []
    position = 0
    for segment in review.segments:
        position += len(segment.text)
        if not segment.findings:
            parts.append(escape(segment.text))
            continue
        parts.append(
            f'<mark class="lens-mark sev-{segment.severity}" '
            f'data-finding="{segment.first.number}">{escape(segment.text)}</mark>'
        )
        if numbered:
            for f in segment.findings:
                if f.finding.end == position:
                    parts.append(
                        f'<a class="lens-ref" href="#finding-{f.number}" '
                        f'aria-label="Finding {f.number}: {escape(f.label)}">{f.number}</a>'
                    )
    parts.append("<br>")
    return mark_safe("".join(parts))


def finding_data(finding: LensFinding) -> dict[str, Any]:
    data = finding.to_dict()
    data["category"] = category_label(finding.id)
    return data


def review_data(review: Review) -> dict[str, Any]:
    """JSON-ready review with a readable label on every finding."""
    data = review.to_dict()
    data["findings"] = [finding_data(f) for f in review.findings]
    data["counts"] = category_counts(review)
    return data


# -- the lens config file for the CLI --------------------------------------------


def config_toml(config: LensConfig) -> str:
    """``purposeful.toml`` text for ``purposeful review --config``, judging as the app does."""
    # Written by a TOML library: hand-made escapes went wrong on characters outside
    # the Basic Multilingual Plane (an emoji became a pair of invalid escapes).
    lens: dict[str, Any] = {}
    if config.purpose:
        lens["purpose"] = config.purpose
    lens["fail-on"] = config.fail_on
    lens["disable"] = sorted(config.disable)
    lens["competitors"] = list(config.competitors)
    lens["allies"] = list(config.allies)
    if config.severity:
        lens["severity"] = dict(sorted(config.severity.items()))
    if config.claims:
        lens["claims"] = [
            {"text": claim.text, "evidence": claim.evidence} for claim in config.claims
        ]
    header = (
        "# The lens settings of the organisation, exported from Purposeful.\n"
        "# Use it in the website's CI: purposeful review site/ --config purposeful.toml\n"
    )
    return header + tomli_w.dumps({"lens": lens})
