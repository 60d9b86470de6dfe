"""Input validation for messages, advice, publishing, the lens settings and site uploads."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from purposeful.core.forms import DayMonthYearWidget
from purposeful.core.limits import max_length
from purposeful.lens import CATEGORY_IDS
from purposeful.outreach.models import (
    BODY_MAX_CHARS,
    Advice,
    Message,
    SiteReview,
)
from purposeful.outreach.reviewing import GRADES, category_label

if TYPE_CHECKING:
    from purposeful.offers.models import Offer
    from purposeful.organisation.models import Team


class MessageForm(forms.Form):
    title = forms.CharField(max_length=max_length(Message, "title"))
    team: forms.ModelChoiceField[Team] = forms.ModelChoiceField(
        queryset=None, empty_label=None
    )
    channel = forms.ChoiceField(choices=Message.Channel.choices)
    audience = forms.CharField(
        max_length=max_length(Message, "audience"),
        required=False,
        help_text="Who it is for, in your words: “people who commute by bike”.",
    )
    body = forms.CharField(
        max_length=BODY_MAX_CHARS,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "true"}),
        help_text="Markdown. The lens reviews it as you type; its findings are listed below the text.",
    )
    offers: forms.ModelMultipleChoiceField[Offer] = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The offers this message speaks about.",
    )

    def __init__(self, *args, teams, offers, with_team: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if with_team:
            cast("forms.ModelChoiceField[Team]", self.fields["team"]).queryset = teams
        else:
            del self.fields["team"]
        offers_field = cast(
            "forms.ModelMultipleChoiceField[Offer]", self.fields["offers"]
        )
        offers_field.queryset = offers
        offers_field.label_from_instance = _offer_label  # type: ignore[assignment]  # Django documents replacing it per field
        if not offers.exists():
            del self.fields["offers"]

    def clean_body(self) -> str:
        body = self.cleaned_data["body"].replace("\r\n", "\n")
        if not body.strip():
            raise ValidationError("Write the message.")
        return body


def _offer_label(offer) -> str:
    return f"{offer} ({offer.team})"


class AdviceAskForm(forms.Form):
    note = forms.CharField(
        label="What would you like advice on?",
        max_length=max_length(Message, "advice_note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AdviceForm(forms.Form):
    text = forms.CharField(
        label="Your advice",
        max_length=max_length(Advice, "text"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PublishForm(forms.Form):
    where = forms.CharField(
        label="Where did it go out?",
        max_length=max_length(Message, "published_where"),
        help_text="A link, or for example “newsletter to 840 subscribers”.",
    )
    when = forms.DateTimeField(
        label="When",
        required=False,
        widget=DayMonthYearWidget(with_time=True),
        help_text="Leave empty for now.",
    )


class LensSettingsForm(forms.Form):
    competitors = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One name per line. The lens flags copy that names them.",
    )
    allies = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One name per line, besides the allies directory, which always counts. Never flagged.",
    )
    claims = forms.CharField(
        label="Substantiated claims",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One per line: the claim, a vertical bar, the link to its evidence. "
        "For example: carbon neutral deliveries | https://example.org/lca.pdf",
    )
    errors_block_publishing = forms.BooleanField(
        label="An error finding blocks publishing", required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(g, "as shipped" if g == "default" else g) for g in GRADES]
        for finding_id in CATEGORY_IDS:
            self.fields[f"grade:{finding_id}"] = forms.ChoiceField(
                label=f"{category_label(finding_id)} ({finding_id})",
                choices=choices,
                initial="default",
            )

    @property
    def grade_fields(self):
        return [self[f"grade:{i}"] for i in CATEGORY_IDS]

    @property
    def other_fields(self):
        return [
            self[n]
            for n in ("competitors", "allies", "claims", "errors_block_publishing")
        ]

    def clean_claims(self) -> list[tuple[str, str]]:
        claims, problems = [], []
        validate = URLValidator(schemes=["http", "https"])
        for number, line in enumerate(self.cleaned_data["claims"].splitlines(), 1):
            if not line.strip():
                continue
            text, bar, evidence = line.partition("|")
            text, evidence = text.strip(), evidence.strip()
            if not bar or not text or not evidence:
                problems.append(
                    f"Line {number}: write the claim, “|”, then the evidence link."
                )
                continue
            try:
                validate(evidence)
            except ValidationError:
                problems.append(f"Line {number}: “{evidence}” is not a web link.")
                continue
            claims.append((text, evidence))
        if problems:
            raise ValidationError(problems)
        return claims

    def grades(self) -> dict[str, str]:
        return {i: self.cleaned_data[f"grade:{i}"] for i in CATEGORY_IDS}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget",
            MultipleFileInput(attrs={"accept": ".html,.htm,.md,.markdown,.txt,.zip"}),
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)]


class SiteReviewForm(forms.Form):
    name = forms.CharField(
        max_length=max_length(SiteReview, "name"),
        required=False,
        help_text="For example “website, November”.",
    )
    # the metaclass moves declared fields into base_fields: BaseForm.files stays
    files = MultipleFileField(  # type: ignore[assignment]
        label="Pages or a zip of the site",
        help_text="HTML, Markdown or text files, or a zip of a site export (up to 25 MB each).",
    )
