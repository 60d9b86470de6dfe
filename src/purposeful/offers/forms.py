"""Input validation for the offer canvas, advice and pictures; services decide the rest."""

from __future__ import annotations

from django import forms
from django.db import models

from purposeful.core.limits import max_length
from purposeful.core.oneline import OneLineField
from purposeful.offers.models import (
    IMAGE_MAX_BYTES,
    Advice,
    AdviceRequest,
    OfferImage,
    OfferVersion,
)
from purposeful.organisation.models import Ally, Team
from purposeful.people.models import Member

# The inside-out questions the guided form asks, with an example answer from a
# bicycle workshop; grouped into the steps of the canvas.
GUIDE: dict[str, tuple[str, str]] = {
    "name": (
        "What do you call it?",
        "Honest repair check",
    ),
    "summary": (
        "Say it in one plain sentence.",
        "We look your bike over, tell you what really needs doing and what can wait.",
    ),
    "need": (
        "What genuine need does it fill? Who is better off, and how?",
        "People are unsure whether their old bike is worth repairing, and many "
        "shops answer by selling a new one.",
    ),
    "purpose_fit": (
        "How does it serve our purpose?",
        "Every bike we keep riding is one less bike in the scrap container.",
    ),
    "proud_of": (
        "What would make us proud of it?",
        "We show you the worn parts and explain what we see, in plain words.",
    ),
    "not_good_yet": (
        "What is not good yet? Be honest about its limits.",
        "We cannot check e-bike motor electronics; we send those to a colleague.",
    ),
    "not_for": (
        "Who is it not for?",
        "Racing bikes that need a professional fit; our ally Cargo Collective is "
        "better for cargo bikes.",
    ),
    "best_we_can": (
        "“At this moment, this is the best we can do.” What would you tell a friend?",
        "A careful check for a fair price, with no pressure to buy anything.",
    ),
    "price": ("What does it cost?", "15"),
    "price_covers": (
        "What does the price cover?",
        "Twenty minutes of a mechanic's time and a written list of what we found.",
    ),
    "price_breakdown": (
        "Where does the money go? (optional, one line per part)",
        "Mechanic's time: 12\nWorkshop rent and tools: 3",
    ),
    "availability": (
        "When and where can people get it?",
        "Tuesday to Saturday in the workshop.",
    ),
}

STEPS = [
    ("The offer", ["name", "summary"]),
    ("From the inside out", ["need", "purpose_fit", "proud_of"]),
    ("Honest limits", ["not_good_yet", "not_for", "best_we_can"]),
    (
        "Price and availability",
        [
            "price",
            "currency",
            "price_unit",
            "price_covers",
            "price_breakdown",
            "availability",
        ],
    ),
    ("Allies", ["allies"]),
    ("This version", ["change_note"]),
]


class PriceField(forms.DecimalField):
    """A price as people write it: "12.50", "12,50" or "12"."""

    widget = forms.TextInput

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        return super().to_python(value)

    def widget_attrs(self, widget):
        return {"inputmode": "decimal", "autocomplete": "off"}


class OfferForm(forms.ModelForm):
    price = PriceField(
        required=False,
        min_value=0,
        max_digits=9,
        decimal_places=2,
        localize=False,
        error_messages={
            "invalid": "Write the price as a number, like 45 or 12.50.",
            "min_value": "A price cannot be negative.",
            "max_digits": "That price is too large; at most 9 digits.",
            "max_decimal_places": "Use at most two decimals, like 12.50.",
            "max_whole_digits": "That price is too large.",
        },
    )
    allies = forms.ModelMultipleChoiceField(
        queryset=Ally.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Allies who offer something similar: we point people to them when "
        "they serve someone better.",
    )

    class Meta:
        model = OfferVersion
        fields = [*OfferVersion.CANVAS_FIELDS, "allies", "change_note"]
        field_classes = {"name": OneLineField}
        # every long text of the canvas gets a box of a few lines
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in OfferVersion.CANVAS_FIELDS
            if isinstance(OfferVersion._meta.get_field(name), models.TextField)
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, (question, example) in GUIDE.items():
            field = self.fields[name]
            field.question = question
            field.example = example
        self.fields["currency"].widget.attrs.update(size=4, autocomplete="off")

    def steps(self):
        steps = []
        for title, names in STEPS:
            fields = [self[name] for name in names if name in self.fields]
            if fields:
                steps.append((title, fields))
        return steps


class NewOfferForm(OfferForm):
    team = forms.ModelChoiceField(
        queryset=Team.objects.all(),
        label="Which team makes it?",
        help_text="The team owns the offer: only its members change or publish it.",
    )

    def __init__(self, *args, teams=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Any team is a valid answer, so the permission layer (not the form) tells
        # someone outside a team why they cannot draft for it; only one's own
        # teams are offered.
        if teams is not None:
            self.fields["team"].widget.choices = [
                (team.pk, team.name) for team in teams
            ]
        self.fields.pop("change_note")

    def steps(self):
        return [("Your team", [self["team"]]), *super().steps()]


class AskAdviceForm(forms.Form):
    members = forms.ModelMultipleChoiceField(
        queryset=Member.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Colleagues",
    )
    teams = forms.ModelMultipleChoiceField(
        queryset=Team.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Teams",
    )
    message = forms.CharField(
        required=False,
        max_length=max_length(AdviceRequest, "message"),
        widget=forms.Textarea(attrs={"rows": 2}),
        label="What would you like advice on?",
    )

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        members = Member.objects.filter(is_active=True).order_by(
            "display_name", "username"
        )
        if actor is not None:
            members = members.exclude(pk=actor.pk)
        self.fields["members"].queryset = members
        self.fields["teams"].queryset = Team.objects.order_by("name")

    def clean(self):
        data = super().clean()
        if not data.get("members") and not data.get("teams"):
            raise forms.ValidationError("Choose at least one colleague or team to ask.")
        return data


class AdviceForm(forms.Form):
    text = forms.CharField(
        label="Your advice",
        max_length=max_length(Advice, "text"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ImageForm(forms.Form):
    # A plain file field: the service checks the content, so pages and the API
    # give the same message.
    image = forms.FileField(
        label="Picture",
        help_text=f"JPEG, PNG, WebP or GIF, up to {IMAGE_MAX_BYTES // 1024 // 1024} MB.",
    )
    alt_text = forms.CharField(
        label="What does it show?",
        max_length=max_length(OfferImage, "alt_text"),
        help_text="For people who cannot see the picture, e.g. “Lena checking the "
        "brakes of a blue city bike”.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["image"].widget.attrs["accept"] = (
            "image/jpeg,image/png,image/webp,image/gif"
        )


class PublishForm(forms.Form):
    change_note = forms.CharField(
        label="What changed and why (kept in the history)",
        max_length=max_length(OfferVersion, "change_note"),
        required=False,
    )
