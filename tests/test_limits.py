"""Length limits live on the model field: forms and API schemas follow a change to it."""

from __future__ import annotations

import ast
import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

import purposeful
from purposeful.feedback import forms as feedback_forms
from purposeful.feedback import models as feedback_models
from purposeful.feedback import schemas as feedback_schemas
from purposeful.feedback.services import _normalise_tags
from purposeful.offers import forms as offer_forms
from purposeful.offers import models as offer_models
from purposeful.offers import schemas as offer_schemas
from purposeful.organisation import forms as organisation_forms
from purposeful.organisation import models as organisation_models
from purposeful.organisation import schemas as organisation_schemas
from purposeful.outreach import forms as outreach_forms
from purposeful.outreach import models as outreach_models
from purposeful.outreach import schemas as outreach_schemas
from purposeful.people import forms as people_forms
from purposeful.people import models as people_models
from purposeful.relationships import forms as relationship_forms
from purposeful.relationships import models as relationship_models
from purposeful.relationships import schemas as relationship_schemas
from purposeful.targets import forms as target_forms
from purposeful.targets import models as target_models
from purposeful.targets import schemas as target_schemas
from purposeful.webhooks import forms as webhook_forms
from purposeful.webhooks import models as webhook_models
from purposeful.webhooks import schemas as webhook_schemas


def _schema_limit(schema, name: str) -> int:
    meta = schema.model_fields[name].metadata
    return next(m.max_length for m in meta if getattr(m, "max_length", None))


@contextmanager
def _limit(field, length: int, *modules) -> Iterator[None]:
    """``field`` holds ``length`` while ``modules`` are read again; then all as before."""
    before = field.max_length
    field.max_length = length
    try:
        yield [importlib.reload(module) for module in modules]
    finally:
        field.max_length = before
        for module in modules:
            importlib.reload(module)


@pytest.mark.parametrize(
    "field, read",
    [
        (
            offer_models.OfferVersion._meta.get_field("summary"),
            lambda forms, schemas: _schema_limit(schemas.OfferPatch, "summary"),
        ),
        (
            offer_models.Advice._meta.get_field("text"),
            lambda forms, schemas: forms.AdviceForm().fields["text"].max_length,
        ),
        (
            offer_models.OfferImage._meta.get_field("alt_text"),
            lambda forms, schemas: forms.ImageForm().fields["alt_text"].max_length,
        ),
    ],
)
def test_offer_forms_and_schemas_follow_the_model(field, read):
    with _limit(field, 7, offer_forms, offer_schemas) as (forms, schemas):
        assert read(forms, schemas) == 7


@pytest.mark.parametrize(
    "field, read",
    [
        (
            outreach_models.Message._meta.get_field("title"),
            lambda forms, schemas: _schema_limit(schemas.MessageIn, "title"),
        ),
        (
            outreach_models.Message._meta.get_field("audience"),
            lambda forms, schemas: forms.MessageForm.base_fields["audience"].max_length,
        ),
        (
            outreach_models.Advice._meta.get_field("text"),
            lambda forms, schemas: _schema_limit(schemas.MessageAdviceIn, "text"),
        ),
        (
            outreach_models.Message._meta.get_field("published_where"),
            lambda forms, schemas: forms.PublishForm.base_fields["where"].max_length,
        ),
        (
            outreach_models.SubstantiatedClaim._meta.get_field("evidence"),
            lambda forms, schemas: _schema_limit(schemas.ClaimSchema, "evidence"),
        ),
        (
            outreach_models.SiteReview._meta.get_field("name"),
            lambda forms, schemas: forms.SiteReviewForm.base_fields["name"].max_length,
        ),
    ],
)
def test_outreach_forms_and_schemas_follow_the_model(field, read):
    with _limit(field, 7, outreach_forms, outreach_schemas) as (forms, schemas):
        assert read(forms, schemas) == 7


@pytest.mark.parametrize(
    "field, modules, read",
    [
        (
            feedback_models.Signal._meta.get_field("sender_name"),
            (feedback_schemas,),
            lambda schemas: _schema_limit(schemas.FeedbackIn, "name"),
        ),
        (
            feedback_models.Tag._meta.get_field("name"),
            (feedback_forms,),
            lambda forms: forms.InboxFilterForm.base_fields["tag"].max_length,
        ),
        (
            people_models.ApiToken._meta.get_field("name"),
            (people_forms,),
            lambda forms: forms.TokenForm.base_fields["name"].max_length,
        ),
        (
            organisation_models.Team._meta.get_field("name"),
            (organisation_schemas,),
            lambda schemas: _schema_limit(schemas.TeamPatch, "name"),
        ),
        (
            organisation_models.Ally._meta.get_field("contact"),
            (organisation_schemas,),
            lambda schemas: _schema_limit(schemas.AllyIn, "contact"),
        ),
        (
            organisation_models.PurposeVersion._meta.get_field("reason"),
            (organisation_forms,),
            lambda forms: forms.PurposeForm.base_fields["reason"].max_length,
        ),
        (
            relationship_models.Contact._meta.get_field("phone"),
            (relationship_schemas,),
            lambda schemas: _schema_limit(schemas.ContactPatch, "phone"),
        ),
        (
            relationship_models.Account._meta.get_field("name"),
            (relationship_schemas,),
            lambda schemas: _schema_limit(schemas.AccountIn, "name"),
        ),
        (
            target_models.Target._meta.get_field("measure_unit"),
            (target_schemas,),
            lambda schemas: _schema_limit(schemas.TargetIn, "measure_unit"),
        ),
        (
            target_models.Comment._meta.get_field("text"),
            (target_forms,),
            lambda forms: forms.CommentForm.base_fields["text"].max_length,
        ),
        (
            webhook_models.Endpoint._meta.get_field("description"),
            (webhook_schemas,),
            lambda schemas: _schema_limit(schemas.EndpointPatch, "description"),
        ),
        (
            feedback_models.Signal._meta.get_field("decline_reason"),
            (feedback_forms, feedback_schemas),
            lambda forms, schemas: (
                forms.TransitionForm.base_fields["reason"].max_length
                == _schema_limit(schemas.TransitionIn, "reason")
                and _schema_limit(schemas.TransitionIn, "reason")
            ),
        ),
        (
            relationship_models.Handover._meta.get_field("response"),
            (relationship_forms, relationship_schemas),
            lambda forms, schemas: (
                forms.HandoverAnswerForm.base_fields["response"].max_length
                == _schema_limit(schemas.HandoverAnswerIn, "response")
                and _schema_limit(schemas.HandoverAnswerIn, "response")
            ),
        ),
        (
            outreach_models.Message._meta.get_field("advice_note"),
            (outreach_forms, outreach_schemas),
            lambda forms, schemas: (
                forms.AdviceAskForm.base_fields["note"].max_length
                == _schema_limit(schemas.AdviceAskIn, "note")
                and _schema_limit(schemas.AdviceAskIn, "note")
            ),
        ),
        (
            people_models.Member._meta.get_field("username"),
            (people_forms, organisation_schemas, feedback_forms),
            lambda people, organisation, feedback: (
                people.AcceptInvitationForm.base_fields["username"].max_length
                == _schema_limit(organisation.UsernameIn, "username")
                == feedback.InboxFilterForm.base_fields["assignee"].max_length
                and _schema_limit(organisation.RemovalProposalIn, "username")
            ),
        ),
        (
            webhook_models.Endpoint._meta.get_field("secret"),
            (webhook_forms,),
            lambda forms: forms.EndpointForm.base_fields["secret"].max_length,
        ),
    ],
)
def test_other_apps_forms_and_schemas_follow_the_model(field, modules, read):
    with _limit(field, 7, *modules) as reloaded:
        assert read(*reloaded) == 7


def test_a_tag_longer_than_the_model_holds_is_refused_at_the_models_limit(monkeypatch):
    monkeypatch.setattr(feedback_models.Tag._meta.get_field("name"), "max_length", 5)
    assert _normalise_tags(["short"]) == ["short"]
    with pytest.raises(ValidationError, match="at most 5 characters"):
        _normalise_tags(["longer"])


# Modules that may write a length as a number: the models (where each limit
# lives) and their migrations.
_LIMITS_LIVE_IN = ("models.py", "migrations")


def test_no_form_schema_or_service_writes_a_length_limit_as_a_number():
    """A ``max_length=`` given a number outside the models is a second copy of a
    limit that can drift from the model's; it is read from the field instead
    (``core.limits.max_length``) or from one named constant."""
    package = Path(purposeful.__file__).parent
    found = []
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(package)
        if any(part in _LIMITS_LIVE_IN for part in relative.parts):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.keyword)
                and node.arg == "max_length"
                and isinstance(node.value, ast.Constant)
            ):
                found.append(f"{relative}:{node.value.lineno}")
    assert found == [], f"limits written as numbers: {found}"
