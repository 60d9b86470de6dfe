"""Import of CRM exports, with a dry run, and export of records."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from purposeful.exchange import csvimport, services
from purposeful.exchange.models import ImportJob
from purposeful.relationships.models import Account, Contact

HUBSPOT = (
    "First Name,Last Name,Email,Phone Number,Company Name,Marketing contact status\n"
    "Ada,Berg,ada@example.org,+31 6 1234,Riverside Bakery,Marketing contact\n"
    "Bo,Chan,bo@example.org,,Riverside Bakery,\n"
    "Cy,Dunn,cy@example.org,,Canal School,\n"
)


def with_lead_score() -> str:
    """HUBSPOT with a column no field reads."""
    return "".join(
        line + (",Lead score\n" if n == 0 else ",7\n")
        for n, line in enumerate(HUBSPOT.splitlines())
    )


def _preview(cast, text, **kwargs):
    data = text.encode(kwargs.pop("encoding_out", "utf-8"))
    return services.import_preview(
        actor=cast.owner, team=cast.team, data=data, filename="crm.csv", **kwargs
    )


def _import(cast, job):
    return services.import_commit(actor=cast.owner, job=job)


def test_hubspot_headers_are_recognised():
    mapping = csvimport.map_columns(
        ["First Name", "Last Name", "Email", "Phone Number", "Company Name"]
    )
    assert mapping == {
        "first_name": 0,
        "last_name": 1,
        "email": 2,
        "phone": 3,
        "account_name": 4,
    }


@pytest.mark.parametrize(
    "headers",
    [
        ["Account Name", "Full Name", "Email", "Phone"],  # Salesforce
        ["Organization - Name", "Person - Name", "Person - Email", "Person - Phone"],
        ["Account Name", "Contact Name", "Email", "Mobile"],  # Zoho
    ],
)
def test_other_crm_headers_are_recognised(headers):
    mapping = csvimport.map_columns(headers)
    assert {"account_name", "email", "phone"} <= set(mapping)


def test_preview_writes_nothing_and_counts_what_would_be_created(cast):
    job = _preview(cast, HUBSPOT)
    assert job.state == ImportJob.State.PREVIEWED
    assert (job.total_rows, job.planned_accounts, job.planned_contacts) == (3, 2, 3)
    assert Account.objects.count() == 0
    assert Contact.objects.count() == 0


def test_bad_rows_are_shown_per_line_and_nothing_is_imported(cast):
    text = HUBSPOT + ",,not-an-email,,Lakeside Cafe,\n,,,,,\nEd,Fox,,,,\n"
    job = _preview(cast, text)
    assert job.error_rows == 1
    assert job.problems[0]["line"] == 5
    assert "not an e-mail address" in job.problems[0]["errors"][0]
    with pytest.raises(ValidationError, match="Nothing was imported"):
        services.import_request(actor=cast.owner, job=job)
    assert Contact.objects.count() == 0


def test_good_file_imports_all_rows_at_once(cast):
    job = _import(cast, _preview(cast, HUBSPOT))
    assert job.state == ImportJob.State.DONE
    assert (job.accounts_created, job.contacts_created) == (2, 3)
    ada = Contact.objects.get(email="ada@example.org")
    assert ada.name == "Ada Berg"
    assert ada.account.team == cast.team
    assert ada.consents_to_contact is False
    assert job.content == ""


def test_reimporting_the_same_file_finds_the_duplicates(cast):
    _import(cast, _preview(cast, HUBSPOT))
    again = _preview(cast, HUBSPOT)
    assert again.duplicate_rows == 3
    assert again.planned_contacts == 0
    assert "already a contact" in again.problems[0]["duplicate"]
    _import(cast, again)
    assert Contact.objects.count() == 3


def test_duplicates_inside_one_file_are_found(cast):
    job = _preview(cast, HUBSPOT + "Ada,Berg,ada@example.org,,Riverside Bakery,\n")
    assert job.duplicate_rows == 1


def test_semicolon_delimited_cp1252_file_is_read(cast):
    text = "Firma;Name;E-Mail\nCafé Zoë;Zoë Müller;zoe@example.org\n".replace(
        "Firma", "Company"
    )
    job = _preview(cast, text, encoding_out="cp1252")
    assert job.delimiter == ";"
    assert job.encoding.lower().replace("_", "-") in {
        "cp1252",
        "windows-1252",
        "latin-1",
        "iso-8859-1",
        "cp1250",
        "mac-roman",
    }
    _import(cast, job)
    assert Contact.objects.get().name == "Zoë Müller"


def test_asked_encoding_that_does_not_fit_is_a_clear_error(cast):
    with pytest.raises(ValidationError, match="cannot be read as utf-16"):
        _preview(cast, HUBSPOT, encoding="utf-16")


def test_file_without_a_customer_column_is_refused(cast):
    with pytest.raises(ValidationError, match="No column names a customer"):
        _preview(cast, "colour,size\nred,big\n")


def test_member_of_other_team_cannot_import_into_it(cast):
    with pytest.raises(PermissionDenied):
        services.import_preview(
            actor=cast.outsider, team=cast.team, data=b"Company\nX\n", filename="x.csv"
        )


def test_export_of_contacts_as_json_and_csv(cast):
    _import(cast, _preview(cast, HUBSPOT))
    data = json.loads(
        "".join(
            services.export_chunks(actor=cast.outsider, kind="contacts", fmt="json")
        )
    )
    assert {c["email"] for c in data} == {
        "ada@example.org",
        "bo@example.org",
        "cy@example.org",
    }
    text = "".join(
        services.export_chunks(actor=cast.outsider, kind="contacts", fmt="csv")
    ).removeprefix("\ufeff")
    assert text.splitlines()[0].startswith("id,account_id,account,team,name,email")
    assert len(text.splitlines()) == 4


def test_export_neutralises_spreadsheet_formulas(cast):
    Account.objects.create(name="=HYPERLINK(1)", team=cast.team)
    text = "".join(services.export_chunks(actor=cast.owner, kind="accounts", fmt="csv"))
    assert "'=HYPERLINK(1)" in text


def test_export_for_spreadsheets_has_a_bom_and_plain_keeps_values_as_stored(cast):
    from purposeful.relationships.models import Contact

    account = Account.objects.create(name="Café Zoë", team=cast.team)
    Contact.objects.create(account=account, name="Zoë", phone="+31 20 555 0100")

    def export(fmt):
        return "".join(
            services.export_chunks(actor=cast.owner, kind="contacts", fmt=fmt)
        )

    for_spreadsheets, plain = export("csv"), export("plain-csv")
    assert for_spreadsheets.startswith("\ufeffid,")
    assert "'+31 20 555 0100" in for_spreadsheets
    assert plain.startswith("id,")
    assert ",+31 20 555 0100," in plain and "'+31" not in plain
    assert "Café Zoë" in plain


def test_preview_keeps_the_columns_no_field_reads(cast):
    assert _preview(cast, HUBSPOT).ignored_columns == []
    job = _preview(cast, with_lead_score())
    assert job.ignored_columns == ["Lead score"]
    # a column without a header is no column anyone named
    job = _preview(cast, "Company, ,Shoe size\nRiverside Bakery,,42\n")
    assert job.ignored_columns == ["Shoe size"]


@pytest.mark.parametrize(
    ("encoding", "label"),
    [
        ("cp1250", "Central European (Windows-1250)"),
        ("windows-1252", "Western European (Windows-1252)"),
        ("utf-8-sig", "UTF-8"),
        ("latin-1", "Western European (ISO 8859-1)"),
        ("koi8-r", "koi8-r"),
    ],
)
def test_character_sets_are_named_as_people_know_them(encoding, label):
    assert csvimport.encoding_label(encoding) == label


@pytest.mark.parametrize(
    ("seconds", "said"),
    [
        (0.04, "Written in under a second."),
        (12.4, "Written in 12 seconds."),
        (600, "Written in 10 minutes."),
    ],
)
def test_how_long_an_import_took_reads_as_words(seconds, said):
    assert services._written_in(seconds) == said


def test_anonymous_visitor_cannot_export(cast):
    with pytest.raises(PermissionDenied):
        services.export_chunks(actor=cast.anonymous, kind="accounts", fmt="csv")


def test_unknown_export_is_a_clear_error(cast):
    with pytest.raises(ValidationError, match="Choose one of"):
        services.export_chunks(actor=cast.owner, kind="members", fmt="csv")


def test_audit_log_keeps_the_counts_of_an_import_but_not_the_file(cast):
    from auditlog.models import LogEntry

    job = _import(cast, _preview(cast, HUBSPOT))
    entries = LogEntry.objects.get_for_object(job)
    assert entries.exists()
    assert all("ada@example.org" not in str(e.changes) for e in entries)


@pytest.mark.parametrize("fmt", ["csv", "plain-csv"])
def test_exported_contacts_import_back_with_emoji_and_accents(cast, fmt):
    """What the export writes, the import reads back as typed (the BOM included)."""
    account = Account.objects.create(name="Café Zoë 🚲 — “Bäckerei”", team=cast.team)
    Contact.objects.create(
        account=account, name="Zoë Ångström 😀", email="zoe@exämple.org"
    )
    Contact.objects.create(
        account=account, name='李小龍, "Bruce"', email="b@example.org"
    )
    exported = "".join(
        services.export_chunks(actor=cast.owner, kind="contacts", fmt=fmt)
    )
    Contact.objects.all().delete()
    Account.objects.all().delete()
    job = _import(cast, _preview(cast, exported))
    assert job.state == ImportJob.State.DONE, job.problems
    assert list(Account.objects.values_list("name", flat=True)) == [
        "Café Zoë 🚲 — “Bäckerei”"
    ]
    assert sorted(Contact.objects.values_list("name", "email", "account__name")) == [
        ("Zoë Ångström 😀", "zoe@exämple.org", "Café Zoë 🚲 — “Bäckerei”"),
        ('李小龍, "Bruce"', "b@example.org", "Café Zoë 🚲 — “Bäckerei”"),
    ]


def test_exported_accounts_import_back_with_emoji_and_accents(cast):
    for name in ("Café Zoë 🚲", "Ølstue “Ånd”", '李記, "Bakery"'):
        Account.objects.create(name=name, team=cast.team)
    exported = "".join(
        services.export_chunks(actor=cast.owner, kind="accounts", fmt="csv")
    )
    Account.objects.all().delete()
    job = _import(cast, _preview(cast, exported))
    assert job.state == ImportJob.State.DONE, job.problems
    assert sorted(Account.objects.values_list("name", flat=True)) == sorted(
        ["Café Zoë 🚲", "Ølstue “Ånd”", '李記, "Bakery"']
    )


def test_reimporting_finds_duplicates_under_non_ascii_capitals(cast):
    """Names are compared lowered as Python lowers them, not ASCII only."""
    text = "First Name,Last Name,Email,Company Name\nÅsa,Öberg,,ØLSTUE ÅND\n"
    _import(cast, _preview(cast, text))
    again = _preview(cast, text)
    assert again.duplicate_rows == 1
    assert Account.objects.count() == 1


def test_an_import_changes_only_its_own_team_and_names_matched_whole(cast):
    """Look-alikes stay as they were: the same name in another team, a name that
    differs by one letter or only contains it, a member and a team of that name."""
    from django.contrib.auth import get_user_model

    from purposeful.organisation.models import Team

    theirs = Account.objects.create(name="Ølstue Ånd", team=cast.other_team)
    Contact.objects.create(account=theirs, name="Åsa Öberg", email="")
    near = Account.objects.create(name="Olstue Ånd", team=cast.team)
    longer = Account.objects.create(name="Ølstue Ånd Bakery", team=cast.team)
    get_user_model().objects.create_user("olstue", first_name="Ølstue")
    Team.objects.create(name="ØLSTUE ÅND", slug="olstue-and")

    def everything():
        return (
            sorted(Account.objects.values_list("pk", "name", "team_id")),
            sorted(Contact.objects.values_list("pk", "name", "email", "account_id")),
            sorted(
                get_user_model().objects.values_list("pk", "username", "first_name")
            ),
            sorted(Team.objects.values_list("pk", "name", "slug")),
        )

    before = everything()
    text = "First Name,Last Name,Email,Company Name\nÅsa,Öberg,,ØLSTUE ÅND\n"
    job = _import(cast, _preview(cast, text))
    assert job.state == ImportJob.State.DONE, job.problems
    after = everything()
    added = Account.objects.exclude(pk__in=[pk for pk, _, _ in before[0]])
    assert [(a.name, a.team_id) for a in added] == [("ØLSTUE ÅND", cast.team.pk)]
    # nothing that was there before changed
    assert set(before[0]) <= set(after[0])
    assert set(before[1]) <= set(after[1])
    assert after[2:] == before[2:]
    assert Account.objects.get(pk=near.pk).name == "Olstue Ånd"
    assert Account.objects.get(pk=longer.pk).name == "Ølstue Ånd Bakery"
    assert theirs.contacts.count() == 1
