"""Offers defined inside-out: the offer, its versions, images and the advice on them."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from purposeful.core import models as core_models
from purposeful.organisation.models import Ally, Team

# Limits the form, the API and the services share.
IMAGE_MAX_BYTES = 5 * 1024 * 1024
# 6000 × 4000, a full-frame camera's photo; decoding one as RGBA takes 96 MB
IMAGE_MAX_PIXELS = 24_000_000
IMAGE_STORED_WIDTH = 1600


class Offer(models.Model):
    """Something a team offers; its words live in versions, the public sees the latest published."""

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        ADVICE = "advice", "Asking for advice"
        PUBLISHED = "published", "Published"
        RETIRED = "retired", "Retired"

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="offers")
    slug = models.SlugField(max_length=120, unique=True)
    state = models.CharField(
        max_length=12, choices=State.choices, default=State.DRAFT, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    first_published_at = models.DateTimeField(null=True, blank=True)
    last_published_at = models.DateTimeField(null=True, blank=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        version = self.working_version or self.published_version
        return version.name if version else self.slug

    def get_absolute_url(self) -> str:
        return reverse("offers:detail", args=[self.slug])

    def get_canvas_url(self) -> str:
        return reverse("offers:canvas", args=[self.slug])

    @property
    def owning_team(self) -> Team:
        return self.team

    @property
    def is_published(self) -> bool:
        return self.state == self.State.PUBLISHED

    @property
    def is_retired(self) -> bool:
        return self.state == self.State.RETIRED

    @property
    def published_version(self) -> OfferVersion | None:
        """The version visitors see: the latest published one."""
        return (
            self.versions.filter(status=OfferVersion.Status.PUBLISHED)
            .order_by("-number")
            .first()
        )

    @property
    def working_version(self) -> OfferVersion | None:
        """The draft the team is working on, if any (at most one at a time)."""
        return (
            self.versions.filter(status__in=OfferVersion.WORKING)
            .order_by("-number")
            .first()
        )

    @property
    def latest_version(self) -> OfferVersion | None:
        return self.versions.order_by("-number").first()


class OfferVersion(models.Model):
    """One version of the offer canvas. Published versions are frozen for good."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ADVICE = "advice", "Asking for advice"
        PUBLISHED = "published", "Published"
        DISCARDED = "discarded", "Set aside"

    WORKING = (Status.DRAFT, Status.ADVICE)

    # The canvas in the order the guided form asks; the form, the services, the
    # API, the public export, the lens and the dashboard read these lists.
    TEXT_FIELDS = (
        "name",
        "summary",
        "need",
        "purpose_fit",
        "proud_of",
        "not_good_yet",
        "not_for",
        "best_we_can",
    )
    PRICE_FIELDS = (
        "price",
        "currency",
        "price_unit",
        "price_covers",
        "price_breakdown",
        "availability",
    )
    # Every field a version carries that a new version copies (allies, pictures
    # and the change note are kept apart).
    CANVAS_FIELDS = TEXT_FIELDS + PRICE_FIELDS
    # The words visitors read, each reviewed by the lens on its own.
    PUBLIC_TEXT_FIELDS = (*TEXT_FIELDS, "price_covers", "availability")

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    name = models.CharField(max_length=120)
    summary = models.CharField(
        "in one sentence",
        max_length=200,
        help_text="Shown in the catalogue and to search engines.",
    )
    need = models.TextField("the genuine need it fills", max_length=2000)
    purpose_fit = models.TextField("how it serves our purpose", max_length=2000)
    proud_of = models.TextField("what we are proud of", max_length=2000)
    not_good_yet = models.TextField("what is not good yet", max_length=2000)
    not_for = models.TextField("who it is not for", max_length=1000, blank=True)
    best_we_can = models.TextField("the best we can do at this moment", max_length=1000)
    price = models.DecimalField(
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    currency = models.CharField(max_length=3, default="EUR")
    price_unit = models.CharField(
        "per", max_length=40, blank=True, help_text="e.g. “per repair”, “per month”."
    )
    price_covers = models.TextField(
        "what the price covers", max_length=1000, blank=True
    )
    price_breakdown = models.TextField(
        "where the money goes",
        max_length=1000,
        blank=True,
        help_text="One line per part: “Mechanic's time: 30”.",
    )
    availability = models.CharField(max_length=300, blank=True)
    allies = models.ManyToManyField(Ally, blank=True, related_name="offer_versions")
    change_note = models.CharField("what changed and why", max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    advice_asked_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["offer", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["offer", "number"], name="unique_offer_version_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.number}"

    @property
    def owning_team(self) -> Team:
        return self.offer.team

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_working(self) -> bool:
        """A draft the team is still working on (not published, not set aside)."""
        return self.status in self.WORKING

    @property
    def breakdown_lines(self) -> list[tuple[str, str]]:
        """The price breakdown as (what, amount) pairs; validated on the way in."""
        lines = []
        for raw in self.price_breakdown.splitlines():
            if raw.strip():
                label, _, amount = raw.rpartition(":")
                lines.append((label.strip(), amount.strip()))
        return lines


def _image_path(instance: OfferImage, filename: str) -> str:
    return f"offers/{instance.version.offer_id}/{filename}"


class OfferImage(models.Model):
    """A picture on a version; re-encoded on upload, so files never change afterwards."""

    version = models.ForeignKey(
        OfferVersion, on_delete=models.CASCADE, related_name="images"
    )
    file = models.ImageField(
        upload_to=_image_path, width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    alt_text = models.CharField(
        "description",
        max_length=250,
        help_text="What the picture shows, for people who cannot see it.",
    )
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["version", "position", "pk"]

    def __str__(self) -> str:
        return self.alt_text

    @property
    def owning_team(self) -> Team:
        return self.version.offer.team

    @property
    def file_suffix(self) -> str:
        return (
            self.file.name.rsplit(".", 1)[-1].lower()
            if "." in self.file.name
            else "img"
        )


class AdviceRequest(models.Model):
    """The author asked a colleague or a whole team for advice on a version."""

    version = models.ForeignKey(
        OfferVersion, on_delete=models.CASCADE, related_name="advice_requests"
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="advice_requests",
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="advice_requests",
    )
    message = models.TextField(max_length=1000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(member__isnull=False) | models.Q(team__isnull=False),
                name="advice_request_asks_someone",
            )
        ]

    def __str__(self) -> str:
        return f"Advice on {self.version} from {self.member or self.team}"

    @property
    def owning_team(self) -> Team:
        return self.version.offer.team

    @property
    def asked(self) -> str:
        return self.member.name if self.member else f"the {self.team} team"


class Advice(core_models.Advice):
    """One message in the advice thread of a version; it stays with the version."""

    version = models.ForeignKey(
        OfferVersion, on_delete=models.CASCADE, related_name="advice"
    )

    class Meta(core_models.Advice.Meta):
        pass

    def __str__(self) -> str:
        return f"Advice by {self.author} on {self.version}"

    @property
    def owning_team(self) -> Team:
        return self.version.offer.team
