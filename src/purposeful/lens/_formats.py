"""Output formats of ``purposeful review``: compiler-style text, JSON and SARIF 2.1.0."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ._review import Lens
from ._types import CATEGORY_IDS, Finding, Review

__all__ = [
    "render_github",
    "render_gitlab",
    "render_json",
    "render_sarif",
    "render_text",
    "summary",
]

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def _version() -> str:
    # imported here: importlib.metadata costs every review command ~6 ms otherwise
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("purposeful")
    except PackageNotFoundError:  # running from a source tree
        return "0"


def _first_sentence(message: str) -> str:
    head, _, _ = message.partition(". ")
    return head if head.endswith(".") else head + "."


def summary(results: Sequence[tuple[str, Review]]) -> dict[str, int]:
    """Counts of findings by severity, suppressed findings and files."""
    counts = {
        "files": len(results),
        "error": 0,
        "warning": 0,
        "info": 0,
        "suppressed": 0,
    }
    for _, review in results:
        for f in review.findings:
            counts[f.severity] += 1
        counts["suppressed"] += len(review.suppressed)
    return counts


def _text_line(name: str, f: Finding, hints: bool) -> str:
    origin = " [classifier]" if f.source == "classifier" else ""
    line = (
        f"{name}:{f.line}:{f.column}: {f.severity} {f.id} "
        f'"{" ".join(f.text.split())[:80]}": {_first_sentence(f.message)}{origin}'
    )
    if hints and f.suggestion:
        line += f"\n    hint: {f.suggestion}"
    return line


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def render_text(results: Sequence[tuple[str, Review]], *, hints: bool = True) -> str:
    """One ``file:line:col: severity id "text": why`` line per finding, then a summary."""
    lines: list[str] = []
    for name, review in results:
        lines.extend(_text_line(name, f, hints) for f in review.findings)
        if review.purpose_alignment is not None:
            lines.append(
                f"{name}: purpose alignment {review.purpose_alignment:.2f} "
                f"({review.alignment_method})"
            )
    counts = summary(results)
    found = counts["error"] + counts["warning"] + counts["info"]
    lines.append(
        f"{found} finding{'s' if found != 1 else ''} "
        f"({_plural(counts['error'], 'error')}, {_plural(counts['warning'], 'warning')}, "
        f"{counts['info']} info), "
        f"{counts['suppressed']} suppressed, in {counts['files']} "
        f"file{'s' if counts['files'] != 1 else ''}"
    )
    return "\n".join(lines) + "\n"


def render_json(
    results: Sequence[tuple[str, Review]], *, indent: int | None = 2
) -> str:
    """Every file's review, with suppressed findings and a summary, as JSON.

    ``indent=None`` writes it on one line, which the standard library encodes in C,
    several times faster: for output read by programs rather than people.
    """
    payload = {
        "tool": "purposeful-lens",
        "version": _version(),
        "files": [{"path": name, **review.to_dict()} for name, review in results],
        "summary": summary(results),
    }
    return json.dumps(payload, indent=indent, ensure_ascii=False) + "\n"


def _location(name: str, f: Finding) -> dict[str, Any]:
    end_line = f.line + f.text.count("\n")
    last = f.text.rsplit("\n", 1)
    end_column = (f.column + len(f.text)) if len(last) == 1 else len(last[1]) + 1
    uri = name if name != "-" else "stdin"
    return {
        "physicalLocation": {
            "artifactLocation": {"uri": Path(uri).as_posix()},
            "region": {
                "startLine": f.line,
                "startColumn": f.column,
                "endLine": end_line,
                "endColumn": end_column,
                "charOffset": f.start,
                "charLength": f.end - f.start,
                "snippet": {"text": f.text},
            },
        }
    }


def _result(name: str, f: Finding, rule_index: dict[str, int]) -> dict[str, Any]:
    import hashlib  # only SARIF output fingerprints findings

    message = f.message + (f" Suggestion: {f.suggestion}" if f.suggestion else "")
    result: dict[str, Any] = {
        "ruleId": f.id,
        "ruleIndex": rule_index[f.id],
        "level": _LEVEL[f.severity],
        "message": {"text": message},
        "locations": [_location(name, f)],
        "properties": {"rule": f.rule, "source": f.source},
        # stable across edits elsewhere in the file, so code scanning can follow a
        # finding from one run to the next
        "partialFingerprints": {
            "lensFinding/v1": hashlib.sha1(
                f"{name}\0{f.id}\0{' '.join(f.text.lower().split())}".encode()
            ).hexdigest()
        },
    }
    if f.confidence is not None:
        result["properties"]["confidence"] = f.confidence
    return result


def render_sarif(results: Sequence[tuple[str, Review]], lens: Lens) -> str:
    """A SARIF 2.1.0 log for code-scanning interfaces."""
    rules = []
    rule_index = {}
    for i, cid in enumerate(CATEGORY_IDS):
        category = lens.categories[cid]
        rule_index[cid] = i
        rules.append(
            {
                "id": cid,
                "name": cid.split(".")[1].title().replace("-", ""),
                "shortDescription": {"text": _first_sentence(category.message)},
                "fullDescription": {"text": category.message},
                "help": {"text": category.suggestion},
                "defaultConfiguration": {"level": _LEVEL[category.severity]},
            }
        )
    sarif_results: list[dict[str, Any]] = []
    for name, review in results:
        sarif_results.extend(_result(name, f, rule_index) for f in review.findings)
        for s in review.suppressed:
            result = _result(name, s.finding, rule_index)
            if s.reason == "inline":
                justification = f"lens: ignore directive on line {s.directive_line}"
                kind = "inSource"
            else:
                justification = f"substantiated claim, evidence: {s.evidence}"
                kind = "external"
            result["suppressions"] = [{"kind": kind, "justification": justification}]
            sarif_results.append(result)
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "purposeful-lens",
                        "version": _version(),
                        "rules": rules,
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": sarif_results,
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


_GITHUB_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}
_GITLAB_SEVERITY = {"error": "major", "warning": "minor", "info": "info"}


def _github_data(text: str) -> str:
    # the escapes of GitHub's workflow commands: a message may not break its line
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_property(text: str) -> str:
    return _github_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(results: Sequence[tuple[str, Review]]) -> str:
    """One GitHub Actions annotation per finding (``::warning file=…::message``)."""
    lines = []
    for name, review in results:
        path = Path(name if name != "-" else "stdin").as_posix()
        for f in review.findings:
            end_line = f.line + f.text.count("\n")
            message = f.message + (
                f" Suggestion: {f.suggestion}" if f.suggestion else ""
            )
            props = [
                f"file={_github_property(path)}",
                f"line={f.line}",
                f"col={f.column}",
                f"endLine={end_line}",
                f"title={_github_property(f.id)}",
            ]
            if end_line == f.line:
                props.insert(4, f"endColumn={f.column + len(f.text)}")
            lines.append(
                f"::{_GITHUB_LEVEL[f.severity]} {','.join(props)}::{_github_data(message)}"
            )
    return "".join(line + "\n" for line in lines)


def render_gitlab(results: Sequence[tuple[str, Review]]) -> str:
    """GitLab's Code Quality report: a JSON array of issues, one per finding."""
    import hashlib

    issues = []
    for name, review in results:
        path = Path(name if name != "-" else "stdin").as_posix()
        seen: dict[str, int] = {}
        for f in review.findings:
            # the same finding on the same words is one issue from run to run; a
            # repeat in one file is told apart by its place among the repeats
            key = f"{path}\0{f.id}\0{' '.join(f.text.lower().split())}"
            seen[key] = seen.get(key, 0) + 1
            issues.append(
                {
                    "description": f.message
                    + (f" Suggestion: {f.suggestion}" if f.suggestion else ""),
                    "check_name": f.id,
                    "fingerprint": hashlib.sha256(
                        f"{key}\0{seen[key]}".encode()
                    ).hexdigest(),
                    "severity": _GITLAB_SEVERITY[f.severity],
                    "location": {
                        "path": path,
                        "lines": {
                            "begin": f.line,
                            "end": f.line + f.text.count("\n"),
                        },
                    },
                }
            )
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
