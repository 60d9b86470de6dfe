"""Project configuration: ``purposeful.toml`` or ``[tool.purposeful.lens]``.

Example (``pyproject.toml``)::

    [tool.purposeful.lens]
    purpose = "Help people keep their bikes on the road for decades."
    fail-on = "warning"
    disable = ["competition.superiority"]
    competitors = ["MegaBikes"]
    allies = ["Repair Café"]
    include = ["**/*.md", "**/*.html", "**/*.txt"]
    exclude = ["node_modules/**"]
    classifier = true
    encoder = false                 # true: the fine-tuned MiniLM reads each sentence
    model = "lens-model.bin"        # relative to the config file
    alignment = "auto"              # or "lexical": never use sentence embeddings

    [tool.purposeful.lens.severity]
    "manipulation.urgency" = "error"

    [[tool.purposeful.lens.claims]]
    text = "carbon neutral"
    evidence = "https://example.org/our-lca-2026.pdf"

In ``purposeful.toml`` the same keys live under ``[lens]``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._types import CATEGORY_IDS, SEVERITIES, Severity

__all__ = ["Claim", "ConfigError", "LensConfig", "find_config", "load_config"]

FAIL_ON = (*SEVERITIES, "never")
_KEYS = {
    "purpose", "fail-on", "disable", "severity", "competitors", "allies", "claims",
    "include", "exclude", "classifier", "encoder", "model", "threshold", "alignment",
}  # fmt: skip
ALIGNMENT = ("auto", "lexical")


class ConfigError(ValueError):
    """A configuration file is malformed; the message names file, key and problem."""


@dataclass(frozen=True, slots=True)
class Claim:
    """An environmental claim the organisation has substantiated, with its evidence."""

    text: str
    evidence: str


@dataclass(frozen=True, slots=True)
class LensConfig:
    """How the lens reviews: which rules, at which severity, with which context.

    ``severity`` re-grades categories (``"off"`` disables one); ``competitors`` are
    flagged whenever named, ``allies`` never; ``claims`` lists substantiated
    environmental claims that are then reported as suppressed, not as findings.
    """

    purpose: str | None = None
    fail_on: str = "warning"
    disable: frozenset[str] = frozenset()
    severity: dict[str, Severity] = field(default_factory=dict)
    competitors: tuple[str, ...] = ()
    allies: tuple[str, ...] = ()
    claims: tuple[Claim, ...] = ()
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    classifier: bool = True
    # the fine-tuned MiniLM of _encoder.py decides instead of the word classifier:
    # better on copy unlike the corpus, but milliseconds a sentence
    encoder: bool = False
    model: str | None = None
    threshold: float = 0.8
    alignment: str = "auto"  # "lexical" never uses embeddings, for stable scores
    source: str | None = None  # the file it was read from, for messages

    def is_enabled(self, finding_id: str) -> bool:
        """Whether findings with this id are reported at all."""
        return finding_id not in self.disable and not any(
            finding_id.startswith(d + ".") for d in self.disable
        )


def _fail(path: Path, key: str, problem: str) -> ConfigError:
    return ConfigError(f"{path}: {key}: {problem}")


def _str_list(path: Path, key: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _fail(path, key, "must be a list of strings")
    return tuple(value)


def _check_id(path: Path, key: str, value: str) -> None:
    family = {c.split(".")[0] for c in CATEGORY_IDS}
    if value not in CATEGORY_IDS and value not in family:
        raise _fail(path, key, f"unknown finding id {value!r}")


def parse_config(data: dict[str, Any], path: Path, prefix: str) -> LensConfig:
    """Validate the lens table ``data`` read from ``path``."""
    unknown = sorted(set(data) - _KEYS)
    if unknown:
        raise _fail(path, f"{prefix}.{unknown[0]}", "unknown key")
    kwargs: dict[str, Any] = {"source": str(path)}
    if "purpose" in data:
        if not isinstance(data["purpose"], str):
            raise _fail(path, f"{prefix}.purpose", "must be a string")
        kwargs["purpose"] = data["purpose"]
    if "fail-on" in data:
        if data["fail-on"] not in FAIL_ON:
            raise _fail(
                path, f"{prefix}.fail-on", f"must be one of {', '.join(FAIL_ON)}"
            )
        kwargs["fail_on"] = data["fail-on"]
    if "disable" in data:
        disable = _str_list(path, f"{prefix}.disable", data["disable"])
        for item in disable:
            _check_id(path, f"{prefix}.disable", item)
        kwargs["disable"] = frozenset(disable)
    severity: dict[str, Severity] = {}
    disabled = set(kwargs.get("disable", ()))
    table = data.get("severity", {})
    if not isinstance(table, dict):
        raise _fail(path, f"{prefix}.severity", "must be a table of id = severity")
    for key, value in table.items():
        _check_id(path, f"{prefix}.severity.{key}", key)
        if value == "off":
            disabled.add(key)
        elif value in SEVERITIES:
            severity[key] = value
        else:
            raise _fail(
                path, f"{prefix}.severity.{key}", "must be error, warning, info or off"
            )
    kwargs["severity"] = severity
    kwargs["disable"] = frozenset(disabled)
    for key in ("competitors", "allies", "include", "exclude"):
        if key in data:
            kwargs[key] = _str_list(path, f"{prefix}.{key}", data[key])
    claims = []
    raw_claims = data.get("claims", [])
    if not isinstance(raw_claims, list):
        raise _fail(path, f"{prefix}.claims", "must be an array of tables")
    for i, raw in enumerate(raw_claims):
        key = f"{prefix}.claims[{i}]"
        if not isinstance(raw, dict) or not isinstance(raw.get("text"), str):
            raise _fail(path, key, "needs a text string")
        if not raw["text"].strip():
            raise _fail(path, f"{key}.text", "must not be empty")
        if not isinstance(raw.get("evidence"), str) or not raw["evidence"].strip():
            raise _fail(path, f"{key}.evidence", "a substantiated claim needs evidence")
        claims.append(Claim(raw["text"], raw["evidence"]))
    kwargs["claims"] = tuple(claims)
    if "classifier" in data:
        if not isinstance(data["classifier"], bool):
            raise _fail(path, f"{prefix}.classifier", "must be true or false")
        kwargs["classifier"] = data["classifier"]
    if "encoder" in data:
        if not isinstance(data["encoder"], bool):
            raise _fail(path, f"{prefix}.encoder", "must be true or false")
        kwargs["encoder"] = data["encoder"]
    if "model" in data:
        if not isinstance(data["model"], str):
            raise _fail(path, f"{prefix}.model", "must be a path string")
        kwargs["model"] = str((path.parent / data["model"]).resolve())
    if "threshold" in data:
        value = data["threshold"]
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not 0 < value < 1
        ):
            raise _fail(path, f"{prefix}.threshold", "must be a number between 0 and 1")
        kwargs["threshold"] = float(value)
    if "alignment" in data:
        if data["alignment"] not in ALIGNMENT:
            raise _fail(path, f"{prefix}.alignment", "must be auto or lexical")
        kwargs["alignment"] = data["alignment"]
    return LensConfig(**kwargs)


def load_config(path: str | Path) -> LensConfig:
    """Read the lens configuration from ``purposeful.toml`` or ``pyproject.toml``."""
    import tomllib  # here: a review without a configuration file never needs it

    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not valid UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror})") from None
    if path.name == "pyproject.toml":
        table = data.get("tool", {}).get("purposeful", {}).get("lens", {})
        prefix = "tool.purposeful.lens"
    else:
        table = data.get("lens", {})
        prefix = "lens"
    if not isinstance(table, dict):
        raise _fail(path, prefix, "must be a table")
    return parse_config(table, path, prefix)


def find_config(start: str | Path) -> Path | None:
    """The nearest ``purposeful.toml``, or ``pyproject.toml`` with a lens table."""
    here = Path(start).resolve()
    for folder in (here, *here.parents):
        candidate = folder / "purposeful.toml"
        if candidate.is_file():
            return candidate
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            try:
                text = candidate.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            if "[tool.purposeful.lens" in text:
                return candidate
    return None
