"""Background work for notifications: noting events and sending e-mail."""

from __future__ import annotations

from django_tasks import task

# What each kind of event is about: the record (read with what its notice
# shows) and the service that notes it. "advice" is one request per colleague or
# team asked at once, noted together; the others are one record each. Models are
# looked up when the task runs, so importing the task reads no app's models.
_EVENTS: dict[str, tuple[str, tuple[str, ...], str]] = {
    "signal": ("feedback.Signal", ("team", "recorded_by"), "notify_signal"),
    "handover": (
        "relationships.Handover",
        ("account", "from_team", "to_team"),
        "notify_handover",
    ),
    "advice": (
        "offers.AdviceRequest",
        ("version", "version__offer", "version__offer__team", "asked_by"),
        "notify_advice_asked",
    ),
    "advice_given": (
        "offers.Advice",
        ("version", "version__offer", "author"),
        "notify_advice_given",
    ),
    "team_change": (
        "organisation.MembershipChange",
        ("team", "member", "by", "proposed_by"),
        "notify_team_change",
    ),
}


@task()
def notify_event(kind: str, *pks: int) -> int:
    """Note a new signal, hand-over step, advice asked or given, or change to who is
    in a team for the members concerned, and e-mail those who chose to hear
    immediately. Returns how many were e-mailed."""
    from django.apps import apps

    from purposeful.notifications import services

    created = []
    if kind in _EVENTS:
        label, related, notify = _EVENTS[kind]
        found = list(
            apps.get_model(label)
            .objects.select_related(*related)
            .filter(pk__in=pks if kind == "advice" else pks[:1])
            .order_by("pk")
        )
        if found:
            note = getattr(services, notify)
            created = note(found) if kind == "advice" else note(found[0])
    return services.send_immediate(n.pk for n in created)
