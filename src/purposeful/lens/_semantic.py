"""Placeholder, replaced below."""

from __future__ import annotations


def load_embedder():
    return None
