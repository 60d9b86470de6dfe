"""The lines changed since a git revision, for ``purposeful review --diff REF``.

A pull request's reviewer wants the findings on the lines it changes, not on every
line of every file it touches (as vale-action reports them). ``git diff
--unified=0 REF`` names each changed range of the working tree against ``REF``;
files git does not track yet count as changed throughout.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

__all__ = ["DiffError", "changed_lines", "on_changed_line"]

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")
#: a file that is new or untracked: every line of it is changed
EVERY_LINE = frozenset({0})


class DiffError(ValueError):
    """git is missing, the folder is not a repository or the revision is unknown."""


def _git(args: list[str], cwd: Path) -> str:
    try:
        done = subprocess.run(
            ["git", *args],
            cwd=cwd,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            check=False,
        )
    except FileNotFoundError:
        raise DiffError("--diff needs git, which was not found") from None
    if done.returncode != 0:
        detail = (done.stderr.strip().splitlines() or ["failed"])[-1]
        raise DiffError(f"git {args[0]}: {detail}")
    return done.stdout


def changed_lines(ref: str, cwd: Path | None = None) -> dict[Path, frozenset[int]]:
    """Absolute path -> the 1-based line numbers changed since ``ref``.

    A file git does not track yet maps to :data:`EVERY_LINE`. Raises
    :class:`DiffError` with a one-line reason when git cannot answer.
    """
    where = (cwd or Path.cwd()).resolve()
    if ref.startswith("-"):
        raise DiffError(f"--diff: {ref!r} is not a revision")
    root = Path(_git(["rev-parse", "--show-toplevel"], where).strip())
    _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], where)
    out = _git(
        [
            "diff",
            "--unified=0",
            "--no-color",
            "--no-ext-diff",
            "--src-prefix=a/",
            "--dst-prefix=b/",
            ref,
            "--",
        ],
        root,
    )
    changed: dict[Path, set[int]] = {}
    current: set[int] | None = None
    for line in out.splitlines():
        if line.startswith("+++ "):
            name = line[4:]
            if name == "/dev/null":  # deleted: nothing of it to review
                current = None
                continue
            path = (root / (name[2:] if name.startswith("b/") else name)).resolve()
            current = changed.setdefault(path, set())
        elif current is not None and (hunk := _HUNK.match(line)):
            start, count = int(hunk[1]), int(hunk[2] or "1")
            current.update(range(start, start + count))
    result = {path: frozenset(lines) for path, lines in changed.items()}
    untracked = _git(["ls-files", "--others", "--exclude-standard", "-z"], root)
    for name in untracked.split("\0"):
        if name:
            result[(root / name).resolve()] = EVERY_LINE
    return result


def on_changed_line(
    changed: dict[Path, frozenset[int]], name: str, first: int, last: int
) -> bool:
    """Whether lines ``first``..``last`` of file ``name`` include a changed one."""
    if name == "-":
        return True  # standard input has no history: all of it is new
    lines = changed.get(Path(name).resolve())
    if lines is None:
        return False
    if lines is EVERY_LINE:
        return True
    return any(n in lines for n in range(first, last + 1))
