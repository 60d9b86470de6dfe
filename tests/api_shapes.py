"""What a client sees of an API answer: its keys and the JSON type of each value.

Guard tests pin these shapes so that an output schema can change how it is built
(a hand-written dict, a ninja ``ModelSchema``) without a client noticing.
"""

from __future__ import annotations

from typing import Any

from purposeful.api import api as ninja_api


def shape(value: Any) -> Any:
    """Keys and JSON types, nested: ``{"id": "int", "tags": ["str"], "x": "null"}``."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [shape(item) for item in value]
    return {
        bool: "bool",
        int: "int",
        float: "float",
        str: "str",
        type(None): "null",
    }[type(value)]


def output_schema(name: str) -> dict[str, Any]:
    """The OpenAPI document's component of that name."""
    return ninja_api.get_openapi_schema()["components"]["schemas"][name]
