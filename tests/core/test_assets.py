"""The favicon every browser asks for, and an API docs page that draws quickly."""

from __future__ import annotations

from django.test import Client

from purposeful.api import api


def test_favicon_ico_is_served_as_an_icon(db):
    response = Client().get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"  # the ICO file signature
    assert "max-age=86400" in response["Cache-Control"]


def test_the_openapi_document_is_built_once_per_process():
    assert api.get_openapi_schema() is api.get_openapi_schema()


def test_the_api_docs_page_starts_folded(db):
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    page = response.content.decode()
    assert '"docExpansion": "none"' in page
    assert '"defaultModelsExpandDepth": -1' in page


def test_the_api_reference_page_lists_every_operation_without_a_script(db):
    document = api.get_openapi_schema()
    operations = [
        (method.upper(), path)
        for path, item in document["paths"].items()
        for method in item
        if method in ("get", "post", "put", "patch", "delete")
    ]
    response = Client().get("/api/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<script" not in page
    assert page.count('class="api-method"') == len(operations)
    for method, path in operations:
        assert f'<code class="api-path">{path}</code>' in page, (method, path)
    assert 'href="/api/v1/docs"' in page


def test_members_reach_the_api_reference_from_every_page(cast):
    client = Client()
    client.force_login(cast.owner)
    page = client.get("/start/").content.decode()
    assert 'href="/api/">API</a>' in page
