"""Hashed static files are collected once per version, into a folder every data directory shares."""

from __future__ import annotations

import json

from purposeful.core.staticcache import (
    cache_base,
    sources_digest,
    static_collect,
    static_folder,
)


def test_the_cache_folder_is_the_one_configured(monkeypatch, tmp_path):
    monkeypatch.setenv("PURPOSEFUL_STATIC_CACHE", str(tmp_path / "shared"))
    assert cache_base() == tmp_path / "shared"
    monkeypatch.delenv("PURPOSEFUL_STATIC_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert cache_base() == tmp_path / "cache" / "purposeful" / "static"


def test_the_folder_is_named_for_the_version_and_the_sources(monkeypatch, tmp_path):
    monkeypatch.setenv("PURPOSEFUL_STATIC_CACHE", str(tmp_path))
    folder = static_folder()
    assert folder.parent == tmp_path
    assert folder.name.endswith(f"-{sources_digest()}")
    assert sources_digest() == sources_digest()


def test_a_second_start_collects_nothing(tmp_path):
    folder = tmp_path / "0.1.0-abc"
    assert static_collect(folder) is True
    manifest = json.loads((folder / "staticfiles.json").read_text())
    hashed = manifest["paths"]["purposeful/purposeful.css"]
    assert (folder / hashed).is_file()
    assert static_collect(folder) is False
    # nothing half-collected is left beside it
    assert [p.name for p in tmp_path.iterdir()] == ["0.1.0-abc"]
