"""The values the lens hands back: findings, suppressed findings and reviews."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Literal

__all__ = ["CATEGORY_IDS", "SEVERITIES", "Finding", "Review", "Severity", "Suppressed"]

Severity = Literal["error", "warning", "info"]

#: Severities from the most to the least serious; ``--fail-on`` compares by index.
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")

#: Every finding id the lens can produce: a public contract (configurations, inline
#: suppressions and CI jobs name them), pinned by tests/lens/test_api.py.
CATEGORY_IDS: tuple[str, ...] = (
    "manipulation.fear",
    "manipulation.vanity",
    "manipulation.approval",
    "manipulation.success",
    "manipulation.artificial-need",
    "manipulation.urgency",
    "manipulation.scarcity",
    "manipulation.social-proof",
    "manipulation.confirmshaming",
    "competition.superiority",
    "claims.greenwash",
)


@dataclass(frozen=True, slots=True)
class Finding:
    """One place in a text where the copy manipulates, attacks or over-claims.

    ``start`` and ``end`` are character offsets into the reviewed text (``end``
    exclusive); ``line`` and ``column`` are 1-based and count characters.
    ``source`` says which layer found it: ``"rule"`` (with the rule's name in
    ``rule``) or ``"classifier"``.
    """

    id: str
    severity: Severity
    message: str
    start: int
    end: int
    line: int
    column: int
    text: str
    suggestion: str | None = None
    rule: str = ""
    source: str = "rule"
    confidence: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """The finding as plain JSON-ready data."""
        # every field is a plain value: no need for asdict's deep copy
        return {name: getattr(self, name) for name in _FINDING_FIELDS}


_FINDING_FIELDS = tuple(f.name for f in fields(Finding))


@dataclass(frozen=True, slots=True)
class Suppressed:
    """A finding that an inline directive or the configuration silenced, and why."""

    finding: Finding
    reason: str  # "inline" or "substantiated"
    directive_line: int | None = None
    evidence: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The suppressed finding as plain JSON-ready data."""
        data = self.finding.to_dict()
        data["reason"] = self.reason
        if self.directive_line is not None:
            data["directive_line"] = self.directive_line
        if self.evidence is not None:
            data["evidence"] = self.evidence
        return data


@dataclass(slots=True)
class Review:
    """The result of reviewing one text.

    ``purpose_alignment`` is only set when a purpose was given; ``alignment_method``
    then says whether it came from sentence embeddings (``"semantic"``) or from the
    lexical fallback (``"lexical"``).
    """

    findings: list[Finding] = field(default_factory=list)
    purpose_alignment: float | None = None
    alignment_method: str | None = None
    suppressed: list[Suppressed] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The review as plain JSON-ready data."""
        return {
            "findings": [f.to_dict() for f in self.findings],
            "suppressed": [s.to_dict() for s in self.suppressed],
            "purpose_alignment": self.purpose_alignment,
            "alignment_method": self.alignment_method,
        }

    def worst_severity(self) -> Severity | None:
        """The most serious severity among the findings, or None when clean."""
        for severity in SEVERITIES:
            if any(f.severity == severity for f in self.findings):
                return severity
        return None
