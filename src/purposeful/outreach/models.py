"""Messages a team sends out, the lens settings of the organisation, site reviews."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from purposeful.core import models as core_models
from purposeful.organisation.models import Team

# Limits shared by the form, the API and the services.
BODY_MAX_CHARS = 100_000


class Message(models.Model):
    """A newsletter issue, social post, web page, ad or e-mail a team writes."""

    class Channel(models.TextChoices):
        NEWSLETTER = "newsletter", "Newsletter"
        SOCIAL = "social", "Social post"
        WEB = "web", "Web page"
        AD = "ad", "Advertisement"
        EMAIL = "email", "E-mail to customers"

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        ADVICE = "advice", "Asking for advice"
        READY = "ready", "Ready"
        PUBLISHED = "published", "Published"

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="messages")
    title = models.CharField(max_length=200)
    channel = models.CharField(
        max_length=12, choices=Channel.choices, default=Channel.NEWSLETTER
    )
    audience = models.CharField(
        max_length=200,
        blank=True,
        help_text="Who it is for, in your words: “people who commute by bike”.",
    )
    body = models.TextField(max_length=BODY_MAX_CHARS, help_text="Markdown.")
    state = models.CharField(
        max_length=12, choices=State.choices, default=State.DRAFT, db_index=True
    )
    offers = models.ManyToManyField(
        "offers.Offer",
        blank=True,
        related_name="outreach_messages",
        help_text="The offers this message speaks about.",
    )
    advice_note = models.TextField(
        max_length=2000, blank=True, help_text="What you would like advice on."
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_where = models.CharField(
        max_length=300,
        blank=True,
        help_text="Where it went out: a link, or “newsletter to 840 subscribers”.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-updated_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("outreach:message_detail", args=[self.pk])

    @property
    def owning_team(self) -> Team:
        return self.team

    @property
    def is_published(self) -> bool:
        return self.state == self.State.PUBLISHED

    @property
    def is_editable(self) -> bool:
        return self.state != self.State.PUBLISHED

    @property
    def latest_version(self) -> MessageVersion | None:
        return self.versions.order_by("-number").first()


class MessageVersion(models.Model):
    """The words of a message as they were saved, with what the lens found in them."""

    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    body = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    # finding id → count, as the lens saw this version; trends are built from it
    category_counts = models.JSONField(default=dict, blank=True)
    error_count = models.PositiveIntegerField(default=0)
    purpose_alignment = models.FloatField(null=True, blank=True)
    alignment_method = models.CharField(max_length=120, blank=True)
    # the whole review, reviewed before the version was saved, so pages and the API
    # read it instead of reviewing again; lens_version tells when it is out of date
    review = models.JSONField(default=dict, blank=True)
    lens_version = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["message", "number"], name="outreach_version_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.message} v{self.number}"

    @property
    def finding_count(self) -> int:
        return sum(self.category_counts.values())


class Advice(core_models.Advice):
    """A colleague's advice on a message; it informs, it never blocks."""

    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, related_name="advice"
    )

    class Meta(core_models.Advice.Meta):
        pass

    def __str__(self) -> str:
        return f"Advice on {self.message}"

    @property
    def owning_team(self) -> Team:
        return self.message.team


class LensSettings(models.Model):
    """How the organisation's lens judges copy; one row, edited by stewards."""

    competitors = models.TextField(
        blank=True, help_text="One name per line; the lens flags them whenever named."
    )
    allies = models.TextField(
        blank=True,
        help_text="One name per line, besides the allies directory; never flagged.",
    )
    # finding id or family → "error" | "warning" | "info" | "off"
    grades = models.JSONField(default=dict, blank=True)
    errors_block_publishing = models.BooleanField(
        default=True,
        help_text="A message with an error finding cannot be published.",
    )
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = "lens settings"
        verbose_name_plural = "lens settings"

    def __str__(self) -> str:
        return "Lens settings"

    @property
    def competitor_names(self) -> list[str]:
        return _lines(self.competitors)

    @property
    def ally_names(self) -> list[str]:
        return _lines(self.allies)


class SubstantiatedClaim(models.Model):
    """An environmental claim the organisation can back, with where the evidence is."""

    settings = models.ForeignKey(
        LensSettings, on_delete=models.CASCADE, related_name="claims"
    )
    text = models.CharField(max_length=200)
    evidence = models.URLField(max_length=500)

    class Meta:
        ordering = ["text", "pk"]

    def __str__(self) -> str:
        return self.text


class SiteReview(models.Model):
    """Uploaded pages of a website, reviewed by the lens in the background."""

    class State(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Reviewing"
        DONE = "done", "Done"
        FAILED = "failed", "Stopped by an error"

    name = models.CharField(max_length=200)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    pages_total = models.PositiveIntegerField(default=0)
    pages_done = models.PositiveIntegerField(default=0)
    problem = models.TextField(blank=True)
    alignment_method = models.CharField(max_length=120, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("outreach:site_review_detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)

    @property
    def percent(self) -> int:
        if not self.pages_total:
            return 100 if self.is_finished else 0
        return round(100 * self.pages_done / self.pages_total)


class SitePage(models.Model):
    """One file of a site review: its text, and what the lens found, or why it was skipped."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting"
        REVIEWED = "reviewed", "Reviewed"
        REJECTED = "rejected", "Not reviewed"

    site_review = models.ForeignKey(
        SiteReview, on_delete=models.CASCADE, related_name="pages"
    )
    path = models.CharField(max_length=500)
    markup = models.CharField(max_length=10, default="text")
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING
    )
    problem = models.CharField(max_length=300, blank=True)
    text = models.TextField(blank=True)
    words = models.PositiveIntegerField(default=0)
    findings = models.JSONField(default=list, blank=True)
    category_counts = models.JSONField(default=dict, blank=True)
    purpose_alignment = models.FloatField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["path", "pk"]

    def __str__(self) -> str:
        return self.path

    @property
    def finding_count(self) -> int:
        return sum(self.category_counts.values())


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]
