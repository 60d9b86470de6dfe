"""Background work for notifications: noting events and sending e-mail."""

from __future__ import annotations

from django_tasks import task


@task()
def notify_event(kind: str, *pks: int) -> int:
    """Note a new signal, hand-over step, advice asked or given, or change to who is
    in a team for the members concerned, and e-mail those who chose to hear
    immediately. Returns how many were e-mailed."""
    from purposeful.notifications import services

    created = []
    pk = pks[0]
    if kind == "signal":
        from purposeful.feedback.models import Signal

        signal = (
            Signal.objects.select_related("team", "recorded_by").filter(pk=pk).first()
        )
        if signal is not None:
            created = services.notify_signal(signal)
    elif kind == "handover":
        from purposeful.relationships.models import Handover

        handover = (
            Handover.objects.select_related("account", "from_team", "to_team")
            .filter(pk=pk)
            .first()
        )
        if handover is not None:
            created = services.notify_handover(handover)
    elif kind == "advice":
        from purposeful.offers.models import AdviceRequest

        requests = list(
            AdviceRequest.objects.select_related(
                "version", "version__offer", "version__offer__team", "asked_by"
            )
            .filter(pk__in=pks)
            .order_by("pk")
        )
        if requests:
            created = services.notify_advice_asked(requests)
    elif kind == "advice_given":
        from purposeful.offers.models import Advice

        advice = (
            Advice.objects.select_related("version", "version__offer", "author")
            .filter(pk=pk)
            .first()
        )
        if advice is not None:
            created = services.notify_advice_given(advice)
    elif kind == "team_change":
        from purposeful.organisation.models import MembershipChange

        change = (
            MembershipChange.objects.select_related(
                "team", "member", "by", "proposed_by"
            )
            .filter(pk=pk)
            .first()
        )
        if change is not None:
            created = services.notify_team_change(change)
    return services.send_immediate(n.pk for n in created)
