"""The admin shows sensing runs, the e-mail log, imports and erasures, read-only."""

from __future__ import annotations

import pytest
from django.test import Client


@pytest.mark.parametrize(
    "path",
    [
        "/admin/sensing/sensingrun/",
        "/admin/notifications/notification/",
        "/admin/exchange/importjob/",
        "/admin/privacy/erasure/",
    ],
)
def test_steward_reads_the_records_in_the_admin_but_cannot_add(cast, path):
    client = Client()
    client.force_login(cast.steward)
    assert client.get(path).status_code == 200
    assert client.get(path + "add/").status_code == 403
