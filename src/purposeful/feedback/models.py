"""Signals: what customers tell the organisation, in each team's inbox."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

# What the API takes as a signal's words and a reply. The model fields carry no
# limit: the members' pages never had one, and an API answer must still show a
# longer signal recorded there.
API_WORDS_MAX_LENGTH = 10_000
# What the public form takes from a customer: shorter, since anyone may send it.
PUBLIC_WORDS_MAX_LENGTH = 5000


class FeedbackSettings(models.Model):
    """Installation choices for feedback; one row, edited by stewards."""

    general_team = models.ForeignKey(
        "organisation.Team",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="team for general messages",
        help_text="Messages written through the general “write to us” page go to "
        "this team's inbox.",
    )

    class Meta:
        verbose_name = "feedback settings"
        verbose_name_plural = "feedback settings"

    def __str__(self) -> str:
        return "Feedback settings"


def excerpt_of(words: str) -> str:
    """The first 80 characters of what was said, on one line."""
    text = " ".join(words.split())
    return text if len(text) <= 80 else text[:79].rstrip() + "…"


class Tag(models.Model):
    name = models.CharField(max_length=60, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Signal(models.Model):
    """Something a customer told us: an issue, opportunity, need, praise or question."""

    class Kind(models.TextChoices):
        ISSUE = "issue", "Issue"
        OPPORTUNITY = "opportunity", "Opportunity"
        NEED = "need", "Need"
        PRAISE = "praise", "Praise"
        QUESTION = "question", "Question"

    class Source(models.TextChoices):
        CONVERSATION = "conversation", "Conversation"
        PUBLIC_FORM = "public_form", "Public form"
        EMAIL = "email", "E-mail"
        IMPORT = "import", "Import"
        # passed on from an emerging need, not from one customer
        SENSING = "sensing", "Sensing"

    class State(models.TextChoices):
        NEW = "new", "New"
        ACKNOWLEDGED = "acknowledged", "Acknowledged"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        DECLINED = "declined", "Declined"

    team = models.ForeignKey(
        "organisation.Team", on_delete=models.PROTECT, related_name="signals"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.ISSUE)
    source = models.CharField(
        max_length=12, choices=Source.choices, default=Source.CONVERSATION
    )
    words = models.TextField("the customer's words")
    account = models.ForeignKey(
        "relationships.Account",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="signals",
    )
    offer = models.ForeignKey(
        "offers.Offer",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="signals",
    )
    sender_name = models.CharField(max_length=200, blank=True)
    sender_email = models.EmailField(blank=True)
    state = models.CharField(max_length=12, choices=State.choices, default=State.NEW)
    decline_reason = models.TextField(max_length=2000, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_signals",
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="signals")
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # SHA-256 of the sender's private follow-up key; the key itself is never stored.
    follow_digest = models.CharField(
        max_length=64, unique=True, null=True, blank=True, editable=False
    )
    # A typed e-mail address that matches a contact proves nothing: the link to
    # that customer is unverified until the address confirms it, by a key sent
    # only to that address (SHA-256 of the key here, as for the follow-up key).
    is_account_verified = models.BooleanField(
        "link to the customer verified", default=True
    )
    confirm_digest = models.CharField(
        max_length=64, unique=True, null=True, blank=True, editable=False
    )
    # SHA-256 of the public form's one-time token: the same form sent twice (a
    # double click, a reload) is one signal.
    submission_digest = models.CharField(
        max_length=64, unique=True, null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        # The inbox leaves merged duplicates out, so its indexes do too (partial
        # indexes, on SQLite and PostgreSQL alike): counts and pages stay inside them.
        indexes = [
            models.Index(
                fields=["team", "-created_at"],
                name="signal_inbox",
                condition=models.Q(merged_into__isnull=True),
            ),
            models.Index(
                fields=["team", "state", "-created_at"],
                name="signal_inbox_state",
                condition=models.Q(merged_into__isnull=True),
            ),
            models.Index(fields=["-created_at"], name="signal_recent"),
            models.Index(fields=["state", "-created_at"], name="signal_state"),
            models.Index(fields=["account", "-created_at"], name="signal_account"),
            models.Index(fields=["assignee", "state"], name="signal_assignee"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.excerpt}"

    def get_absolute_url(self) -> str:
        return reverse("feedback:signal_detail", args=[self.pk])

    @property
    def owning_team(self):
        return self.team

    @property
    def excerpt(self) -> str:
        return excerpt_of(self.words)

    @property
    def is_open(self) -> bool:
        return self.state not in {self.State.DONE, self.State.DECLINED}

    @property
    def is_awaiting_confirmation(self) -> bool:
        """Linked to a customer by a typed address the sender has not confirmed."""
        return self.account_id is not None and not self.is_account_verified

    @property
    def may_email_sender(self) -> bool:
        return bool(self.sender_email) and not self.is_awaiting_confirmation


class Reply(models.Model):
    """The team's answer to the customer, shown at their private link and e-mailed."""

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name_plural = "replies"

    def __str__(self) -> str:
        return f"Reply to signal {self.signal_id}"


class InboxCount(models.Model):
    """How many signals a team's inbox holds in one state, merged duplicates left out.

    Counting them on every visit read each signal's entry in the inbox index:
    about 11 ms for the inbox index page at 200,000 signals, growing with them.
    Database triggers (migration 0008) keep these rows as signals are inserted,
    changed and deleted, by any path: the ORM, bulk inserts, a restore.
    """

    team = models.ForeignKey(
        "organisation.Team", on_delete=models.CASCADE, related_name="+"
    )
    state = models.CharField(max_length=12, choices=Signal.State.choices)
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["team", "state"], name="inbox_count_team_state"
            )
        ]

    def __str__(self) -> str:
        return f"{self.team_id} {self.state}: {self.n}"


class SignalEvent(models.Model):
    """One step in a signal's history; merged signals keep theirs."""

    class Kind(models.TextChoices):
        RECEIVED = "received", "Received"
        STATE = "state", "State changed"
        ASSIGNED = "assigned", "Assigned"
        TAGGED = "tagged", "Tags changed"
        REPLIED = "replied", "Replied"
        MERGED = "merged", "Merged"

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    state = models.CharField(max_length=12, choices=Signal.State.choices, blank=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.signal_id})"
