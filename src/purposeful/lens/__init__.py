"""The lens: reviews marketing copy for manipulation, attacks on competitors and
greenwashing, and scores how purpose-led it is.

Pure Python, importing nothing from Django, so it can be used as a library, from the
``purposeful review`` command and in CI::

    from purposeful.lens import review

    result = review("Only 3 left, order now!", purpose="Bikes that last decades.")
    for finding in result.findings:
        print(finding.line, finding.column, finding.id, finding.message)
"""

from __future__ import annotations

from ._config import Claim, ConfigError, LensConfig, find_config, load_config
from ._encoder import encoder_available
from ._review import (
    MAX_TEXT_CHARS,
    Lens,
    Markup,
    ReviewLimitError,
    review,
    review_many,
)
from ._types import CATEGORY_IDS, SEVERITIES, Finding, Review, Severity, Suppressed

__all__ = [
    "CATEGORY_IDS",
    "MAX_TEXT_CHARS",
    "SEVERITIES",
    "Claim",
    "ConfigError",
    "Finding",
    "Lens",
    "LensConfig",
    "Markup",
    "Review",
    "ReviewLimitError",
    "Severity",
    "Suppressed",
    "encoder_available",
    "find_config",
    "load_config",
    "review",
    "review_many",
]
