"""Import and export through the API and the pages, for every role."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from purposeful.exchange.models import ImportJob
from purposeful.relationships.models import Contact
from tests import factories
from tests.api_shapes import output_schema, shape
from tests.conftest import ApiClient
from tests.exchange.test_services import HUBSPOT, with_lead_score


def _client(member):
    client = Client()
    if member is not None:
        client.force_login(member)
    return client


def _upload(text=HUBSPOT, name="hubspot.csv"):
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def test_upload_shows_a_preview_and_confirming_imports(
    cast, django_capture_on_commit_callbacks
):
    client = _client(cast.owner)
    response = client.post("/exchange/", {"file": _upload(), "team": cast.team.pk})
    job = ImportJob.objects.get()
    assert response["Location"] == job.get_absolute_url()
    preview = client.get(job.get_absolute_url()).content.decode()
    assert "New contacts" in preview and "Import 3 contacts" in preview
    assert Contact.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/exchange/imports/{job.pk}/confirm/")
    job.refresh_from_db()
    assert job.state == ImportJob.State.DONE
    assert Contact.objects.count() == 3
    progress = client.get(f"/exchange/imports/{job.pk}/progress/").content.decode()
    assert 'value="100"' in progress and "hx-get" not in progress


def test_preview_says_which_columns_are_left_out_and_the_character_set(cast):
    client = _client(cast.owner)
    client.post(
        "/exchange/", {"file": _upload(with_lead_score()), "team": cast.team.pk}
    )
    preview = client.get(ImportJob.objects.get().get_absolute_url()).content.decode()
    assert "Columns left out" in preview
    assert "this column, so it is not imported: “Lead score”" in preview
    assert "Characters read as UTF-8" in preview


def test_bad_rows_are_listed_and_the_import_button_is_not_offered(cast):
    client = _client(cast.owner)
    client.post(
        "/exchange/",
        {"file": _upload(HUBSPOT + "Ed,Fox,nope,,X,\n"), "team": cast.team.pk},
    )
    job = ImportJob.objects.get()
    page = client.get(job.get_absolute_url()).content.decode()
    assert "is not an e-mail address" in page
    assert "Nothing will be imported until the file is fixed" in page
    client.post(f"/exchange/imports/{job.pk}/confirm/")
    assert Contact.objects.count() == 0


def test_unreadable_file_rerenders_the_form_with_the_error(cast):
    response = _client(cast.owner).post(
        "/exchange/", {"file": _upload("colour\nred\n"), "team": cast.team.pk}
    )
    assert response.status_code == 400
    assert "No column names a customer" in response.content.decode()


def test_member_cannot_import_into_a_team_they_are_not_in(cast):
    response = _client(cast.outsider).post(
        "/exchange/", {"file": _upload(), "team": cast.team.pk}
    )
    assert response.status_code == 400
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize("kind", ["accounts", "contacts", "signals", "conversations"])
@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_every_member_downloads_every_export(cast, kind, fmt):
    response = _client(cast.outsider).get(f"/exchange/export/{kind}.{fmt}")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'.{fmt}"')
    b"".join(response.streaming_content)


def test_export_page_offers_csv_for_spreadsheets_and_plain_csv(cast):
    page = _client(cast.owner).get("/exchange/").content.decode()
    assert "/exchange/export/contacts.csv" in page
    assert "/exchange/export/contacts.plain-csv" in page
    assert "CSV for a spreadsheet" in page and "plain CSV" in page
    response = _client(cast.owner).get("/exchange/export/contacts.plain-csv")
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].endswith('.csv"')
    assert not b"".join(response.streaming_content).startswith(b"\xef\xbb\xbf")


def test_unknown_export_is_not_found(cast):
    assert _client(cast.owner).get("/exchange/export/members.csv").status_code == 404


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 401), ("owner", 201), ("outsider", 403), ("steward", 403)],
)
def test_import_preview_via_api_by_role(cast, role, status):
    member = None if role == "anonymous" else cast.by_role(role)
    client = ApiClient(member)
    response = client.client.post(
        "/api/v1/imports",
        {"file": _upload(), "team": cast.team.pk},
        headers=client.headers,
    )
    assert response.status_code == status
    if status == 201:
        body = response.json()
        assert body["planned_contacts"] == 3 and body["state"] == "previewed"


def test_confirm_via_api_imports_and_reimport_finds_duplicates(
    cast, django_capture_on_commit_callbacks
):
    client = ApiClient(cast.owner)
    job = client.client.post(
        "/api/v1/imports",
        {"file": _upload(), "team": cast.team.pk},
        headers=client.headers,
    ).json()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/imports/{job['id']}/confirm")
    assert response.status_code == 202
    assert client.get(f"/imports/{job['id']}").json()["contacts_created"] == 3
    again = client.client.post(
        "/api/v1/imports",
        {"file": _upload(), "team": cast.team.pk},
        headers=client.headers,
    ).json()
    assert again["duplicate_rows"] == 3


def test_confirm_of_a_file_with_errors_is_refused_via_api(cast):
    client = ApiClient(cast.owner)
    job = client.client.post(
        "/api/v1/imports",
        {"file": _upload(HUBSPOT + "Ed,Fox,nope,,X,\n"), "team": cast.team.pk},
        headers=client.headers,
    ).json()
    assert job["problems"][0]["line"] == 5
    response = client.post(f"/imports/{job['id']}/confirm")
    assert response.status_code == 400
    assert "Nothing was imported" in str(response.json()["detail"])


@pytest.mark.parametrize(
    ("role", "status"), [("anonymous", 401), ("outsider", 200), ("steward", 200)]
)
def test_export_via_api_by_role(cast, api, role, status):
    cast.account  # noqa: B018
    member = None if role == "anonymous" else cast.by_role(role)
    response = api(member).get("/exports/accounts")
    assert response.status_code == status
    if status == 200:
        assert response.json()["items"][0]["name"] == "Riverside Bakery"


def test_export_via_api_comes_a_page_at_a_time(cast, api):
    from purposeful.relationships.models import Account

    for n in range(5):
        Account.objects.create(name=f"Customer {n}", team=cast.team)
    page = api(cast.owner).get("/exports/accounts?offset=1&limit=2").json()
    assert [a["name"] for a in page["items"]] == ["Customer 1", "Customer 2"]
    assert page["total"] == 5
    assert page["next"].endswith("/api/v1/exports/accounts?offset=3&limit=2")
    assert api(cast.owner).get("/exports/accounts?limit=0").status_code in (400, 422)


def test_import_starts_on_the_team_of_a_member_of_one_team(cast):
    page = _client(cast.owner).get("/exchange/").content.decode()
    assert f'<option value="{cast.team.pk}" selected>' in page
    two = factories.member("two", teams=[cast.team, cast.other_team])
    page = _client(two).get("/exchange/").content.decode()
    assert '<option value="" selected>Choose a team</option>' in page


IMPORT_SHAPE = {
    "id": "int",
    "team": "int",
    "filename": "str",
    "encoding": "str",
    "delimiter": "str",
    "mapping": "dict",
    "state": "str",
    "total_rows": "int",
    "processed_rows": "int",
    "percent": "int",
    "error_rows": "int",
    "duplicate_rows": "int",
    "planned_accounts": "int",
    "planned_contacts": "int",
    "accounts_created": "int",
    "contacts_created": "int",
    "message": "str",
    "problems": "list",
    "created_at": "str",
    "finished_at": "null",
}


def _outline(body: dict) -> dict:
    """The import's shape, its mapping and problems as containers."""
    return {
        **shape(body),
        "mapping": "dict" if isinstance(body["mapping"], dict) else "?",
        "problems": "list" if isinstance(body["problems"], list) else "?",
    }


def test_an_import_keeps_its_fields_now_read_from_the_model(
    cast, django_capture_on_commit_callbacks
):
    """Clients see the same keys, types and nulls; lengths come from the model."""
    client = ApiClient(cast.owner)
    job = client.client.post(
        "/api/v1/imports",
        {"file": _upload(HUBSPOT + "Ed,Fox,nope,,X,\n"), "team": cast.team.pk},
        headers=client.headers,
    ).json()
    assert _outline(job) == IMPORT_SHAPE
    assert set(shape(job["mapping"]).values()) == {"str"}
    assert shape(job["problems"][0]) == {
        "line": "int",
        "name": "str",
        "errors": ["str"] * len(job["problems"][0]["errors"]),
        "duplicate": "str",
    }
    clean = client.client.post(
        "/api/v1/imports",
        {"file": _upload(), "team": cast.team.pk},
        headers=client.headers,
    ).json()
    assert client.get(f"/imports/{clean['id']}").json() == clean
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(f"/imports/{clean['id']}/confirm").json()
    assert _outline(confirmed) == IMPORT_SHAPE
    done = client.get(f"/imports/{clean['id']}").json()
    assert _outline(done) == {**IMPORT_SHAPE, "finished_at": "str"}
    # Built from the model, the document states the model's limits.
    filename = ImportJob._meta.get_field("filename")
    assert output_schema("ImportOut")["properties"]["filename"]["maxLength"] == (
        filename.max_length
    )
    assert "id" in output_schema("ImportOut")["required"]
