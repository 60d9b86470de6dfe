"""The organisation's lens: one for the whole app, judging as the stewards' settings say.

Messages, offers, the dashboard, site reviews and the API review through here, so a
steward who switches a category off or names a competitor sees every part of the
app follow at once. The lens library knows nothing of Django; this module builds
its ``LensConfig`` from the settings, the allies directory and the current purpose,
and keeps one compiled lens for it.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from django.core.cache import cache

from purposeful import lens as lens_library
from purposeful.lens import (
    SEVERITIES,
    Claim,
    Lens,
    LensConfig,
    Review,
    ReviewLimitError,
    encoder_available,
)

if TYPE_CHECKING:
    from purposeful.outreach.models import LensSettings

#: Seconds a review in the app may take. The lens reads a text in linear time (a
#: message of the longest kind in about a second), so only a starved machine or
#: a broken rule pack reaches it; the text is then refused, never half-reviewed.
REVIEW_TIME_LIMIT = 20.0

# Compiled lenses by the configuration they judge with. The key is the whole
# configuration, not the settings' updated_at: the allies directory and the
# purpose change what the lens says too, and neither touches the settings row.
# Each process reads the configuration from the database, so every web worker
# and task worker follows a change on its next review. Settings change rarely:
# a few lenses cover an edit and its undo, and each holds its own models.
_LENSES: OrderedDict[str, Lens] = OrderedDict()
_LENSES_KEPT = 4
_LENSES_LOCK = threading.Lock()

# How long the dashboard keeps what the lens found in a published text; the key
# holds the lens's version, so a change of the settings is never read stale.
FINDINGS_CACHE_SECONDS = 24 * 3600


def current_purpose() -> str | None:
    from purposeful.organisation.services import organisation_get

    purpose = organisation_get().purpose
    return purpose.text if purpose else None


def lens_settings_get() -> LensSettings:
    """The organisation's lens settings, created with defaults on first use."""
    from purposeful.outreach.models import LensSettings

    settings = LensSettings.objects.order_by("pk").first()
    if settings is None:
        settings = LensSettings.objects.create()
    return settings


def lens_config(*, with_purpose: bool = True) -> LensConfig:
    """The ``LensConfig`` the organisation's settings describe."""
    from purposeful.organisation.models import Ally

    settings = lens_settings_get()
    allies = [
        *settings.ally_names,
        *Ally.objects.order_by("name").values_list("name", flat=True),
    ]
    severity = {}
    disable = set()
    for finding_id, grade in sorted(settings.grades.items()):
        if grade == "off":
            disable.add(finding_id)
        elif grade in SEVERITIES:
            severity[finding_id] = grade
    return LensConfig(
        # members write one message at a time: the encoder's milliseconds a
        # sentence buy fewer false alarms and more of what the classifier misses
        encoder=encoder_available(),
        purpose=current_purpose() if with_purpose else None,
        fail_on="error" if settings.errors_block_publishing else "never",
        disable=frozenset(disable),
        severity=severity,
        competitors=tuple(settings.competitor_names),
        allies=tuple(dict.fromkeys(allies)),
        claims=tuple(
            Claim(c.text, c.evidence) for c in settings.claims.order_by("text", "pk")
        ),
    )


def _config_digest(config: LensConfig) -> str:
    return hashlib.sha1(repr(config).encode(), usedforsecurity=False).hexdigest()[:16]


def organisation_lens(config: LensConfig | None = None) -> Lens:
    """The organisation's compiled lens, kept between requests until what it judges by
    changes; ``config`` (from :func:`lens_config`) saves reading the settings again."""
    config = config or lens_config()
    key = _config_digest(config)
    with _LENSES_LOCK:
        lens = _LENSES.get(key)
        if lens is None:
            lens = _LENSES[key] = Lens(config)
            while len(_LENSES) > _LENSES_KEPT:
                _LENSES.popitem(last=False)
        else:
            _LENSES.move_to_end(key)
    return lens


def review_text(
    text: str, *, markup: str = "markdown", config: LensConfig | None = None
) -> Review:
    """Review ``text`` as the organisation's lens would, with its purpose alignment.

    Raises the lens's ``ReviewLimitError`` for a text over its size or time budget.
    """
    return organisation_lens(config).review(
        text,
        markup=markup,  # type: ignore[arg-type]
        time_limit=REVIEW_TIME_LIMIT,
    )


def review_texts(
    texts: Sequence[str],
    *,
    markup: str = "text",
    aligned: bool = True,
    time_limit: float | None = None,
    config: LensConfig | None = None,
) -> list[Review]:
    """Review several texts at once: the classifier runs once over all of them.

    ``aligned=False`` leaves out the purpose alignment, for callers that show only
    findings (it is the slow part of a review with sentence embeddings).
    """
    return organisation_lens(config).review_many(
        texts,
        # an empty purpose, rather than None, overrides the configuration's
        purpose=None if aligned else "",
        markup=markup,  # type: ignore[arg-type]
        time_limit=time_limit,
    )


def finding_ids(texts: Sequence[str], *, markup: str = "text") -> list[list[str]]:
    """The ids of what the organisation's lens finds in each text, kept in the cache.

    For counting over everything published (the dashboard): each text is reviewed
    once per lens version, and those not in the cache in one batch.
    """
    config = lens_config()
    # the purpose does not change findings, only the alignment left out here
    version = lens_version(replace(config, purpose=None))
    keys = [
        f"lens:findings:{version}:{markup}:" + hashlib.sha256(text.encode()).hexdigest()
        for text in texts
    ]
    found: dict[str, list[str]] = cache.get_many(keys)
    missing = dict(zip(keys, texts, strict=True))
    for key in found:
        missing.pop(key, None)
    if missing:
        reviewed = dict(
            zip(
                missing,
                _findings_of(list(missing.values()), markup, config),
                strict=True,
            )
        )
        cache.set_many(reviewed, FINDINGS_CACHE_SECONDS)
        found.update(reviewed)
    return [found[key] for key in keys]


def _findings_of(texts: list[str], markup: str, config: LensConfig) -> list[list[str]]:
    try:
        reviews = review_texts(texts, markup=markup, aligned=False, config=config)
    except ReviewLimitError:
        # one text over the lens's size must not hide what the others say
        found: list[list[str]] = []
        for text in texts:
            try:
                (review,) = review_texts(
                    [text], markup=markup, aligned=False, config=config
                )
            except ReviewLimitError:
                found.append([])
            else:
                found.append([f.id for f in review.findings])
        return found
    return [[f.id for f in review.findings] for review in reviews]


@lru_cache(maxsize=1)
def _lens_build() -> str:
    """A digest of the lens's code, rule packs and model, read once per process."""
    digest = hashlib.sha1(usedforsecurity=False)
    folder = Path(lens_library.__file__).parent
    for path in sorted(folder.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(folder).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def lens_version(config: LensConfig) -> str:
    """Which lens, judging how, made a review: stored ones from another are stale.

    It changes with the lens (code, rule packs, model) and with the organisation's
    settings and purpose, which decide what the lens reports.
    """
    return f"{_lens_build()}/{_config_digest(config)}"
