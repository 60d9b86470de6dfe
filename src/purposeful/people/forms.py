from __future__ import annotations

from django import forms
from django.contrib.auth import forms as auth_forms

from purposeful.core.forms import team_choice_defaults
from purposeful.core.limits import max_length
from purposeful.core.oneline import OneLineField
from purposeful.organisation.models import Team
from purposeful.people.models import ApiToken, Member


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Member
        fields = ["display_name", "email", "about"]
        field_classes = {"display_name": OneLineField}
        widgets = {"about": forms.Textarea(attrs={"rows": 4})}


class InvitationForm(forms.Form):
    email = forms.EmailField()
    as_steward = forms.BooleanField(
        required=False, label="Invite as a steward (can invite and configure)"
    )
    teams = forms.ModelMultipleChoiceField(
        queryset=Team.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Optional: they join the teams you are in when they accept; "
        "other teams get their request to join, for a member to answer.",
    )

    def __init__(self, *args, own_teams=(), **kwargs):
        super().__init__(*args, **kwargs)
        team_choice_defaults(self.fields["teams"], own_teams=own_teams)


class AcceptInvitationForm(forms.Form):
    username = forms.CharField(max_length=max_length(Member, "username"))
    display_name = OneLineField(
        max_length=max_length(Member, "display_name"),
        required=False,
        label="Your name",
    )
    password = forms.CharField(widget=forms.PasswordInput, min_length=10)
    password_again = forms.CharField(widget=forms.PasswordInput, label="Password again")

    def clean(self):
        data = super().clean()
        if data.get("password") != data.get("password_again"):
            self.add_error("password_again", "The two passwords differ.")
        return data


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=max_length(ApiToken, "name"),
        help_text="What the token is for, e.g. “website CI”.",
    )


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Asking for a reset link, within the rate limit; the page answers the same
    whether an e-mail went out, no account has the address, or the limit was hit."""

    def save(self, *args, request=None, **kwargs):
        from purposeful.core.ratelimit import client_address
        from purposeful.people.services import password_reset_allowed

        allowed = password_reset_allowed(
            email=self.cleaned_data["email"],
            client=client_address(request) if request is not None else "",
        )
        if allowed:
            from purposeful.core.siteurl import base_url
            from purposeful.organisation.services import organisation_get

            # The link is built on the installation's address, never on the
            # request's Host header, which whoever asks for the reset chooses.
            kwargs["domain_override"] = organisation_get().name
            kwargs["email_template_name"] = "people/email_password_reset.txt"
            kwargs["extra_email_context"] = {
                **(kwargs.get("extra_email_context") or {}),
                "base_url": base_url(),
            }
            super().save(*args, request=request, **kwargs)


class ResetPasswordForm(auth_forms.SetPasswordForm):
    """A new password from a reset link also revokes every API token: whoever
    had the account may hold one, and a token does not ask for the password."""

    def save(self, commit=True):
        from purposeful.people.services import tokens_revoke_all

        member = super().save(commit=commit)
        if commit:
            tokens_revoke_all(actor=member, member=member)
        return member
