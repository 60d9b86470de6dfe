from __future__ import annotations

from django.test import Client

from purposeful import demo


def test_demo_shows_a_switched_off_endpoint_and_its_log(db):
    demo.load(password="purposeful-demo")
    from purposeful.people.models import Member

    client = Client()
    client.force_login(Member.objects.get(username="amara"))
    page = client.get("/webhooks/").content.decode()
    assert "Bookkeeping sync is switched off." in page
    assert "Board display in the shop" in page
