"""Command-line interface of the lens: ``purposeful review`` and ``purposeful lens``.

Only Click and the standard library are imported here; the lens itself, numpy and
scikit-learn are imported inside the commands that need them, so ``purposeful
--help`` and the other commands stay fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, NoReturn

import click

__all__ = ["lens", "review"]

_FAIL_ON = ("error", "warning", "info", "never")


def _die(ctx: click.Context, message: str) -> NoReturn:
    # One line on stderr and exit code 2, as for any usage or input error.
    click.echo(f"{ctx.command_path}: error: {message}", err=True)
    ctx.exit(2)
    raise AssertionError("unreachable")  # ctx.exit raises


class _OneLineErrors(click.Command):
    """A command whose usage errors are one line on stderr, exit code 2."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as exc:
            _die(ctx, exc.format_message())


def _one_blas_thread() -> None:
    """Keep numpy's BLAS to one thread unless the user chose otherwise.

    A review multiplies tiny matrices; starting OpenBLAS's pool of spinning threads
    would cost more CPU (~60 ms per command here) than the products themselves.
    """
    import os

    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(name, "1")


def _load_config(
    ctx: click.Context, config_path: str | None, paths: tuple[str, ...]
) -> Any:
    from . import ConfigError, LensConfig, find_config, load_config

    try:
        if config_path:
            return load_config(config_path)
        start = next((p for p in paths if p != "-"), ".")
        start_dir = Path(start) if Path(start).is_dir() else Path(start).parent
        found = find_config(start_dir if start_dir.exists() else Path("."))
        return load_config(found) if found else LensConfig()
    except ConfigError as exc:
        _die(ctx, str(exc))


@click.command(cls=_OneLineErrors)
@click.argument("paths", nargs=-1)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "sarif", "github", "gitlab"]),
    default="text",
    show_default=True,
    help="text: file:line:col like a compiler; json; sarif for code scanning; "
    "github: workflow annotations; gitlab: a Code Quality report.",
)
@click.option(
    "--diff",
    "diff_ref",
    metavar="REF",
    help="Report only findings on lines changed since the git revision REF "
    "(files git does not track count as changed).",
)
@click.option("--purpose", help="The purpose to score the copy against (0-1).")
@click.option(
    "--fail-on",
    type=click.Choice(_FAIL_ON),
    help="Exit 1 when a finding at or above this severity exists [default: warning].",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    help="purposeful.toml or pyproject.toml (default: the nearest one).",
)
@click.option(
    "--include", multiple=True, help="Glob of files to review in directories."
)
@click.option("--exclude", multiple=True, help="Glob of files to skip.")
@click.option(
    "--markup",
    type=click.Choice(["auto", "text", "markdown", "html"]),
    default="auto",
    show_default=True,
    help="How to read the input; auto goes by file extension (stdin: text).",
)
@click.option(
    "--no-classifier", is_flag=True, help="Use the rule packs only, not the classifier."
)
@click.option(
    "--encoder",
    is_flag=True,
    help="Let the fine-tuned MiniLM read each sentence (needs onnxruntime; slower).",
)
@click.option("--no-hints", is_flag=True, help="Text format: leave out rewrite hints.")
@click.option(
    "--max-size",
    type=click.FloatRange(min=0.001),
    default=10.0,
    show_default=True,
    help="Largest file to review, in MB.",
)
@click.pass_context
def review(
    ctx: click.Context,
    paths: tuple[str, ...],
    output_format: str,
    purpose: str | None,
    fail_on: str | None,
    config_path: str | None,
    include: tuple[str, ...],
    exclude: tuple[str, ...],
    markup: str,
    no_classifier: bool,
    encoder: bool,
    no_hints: bool,
    max_size: float,
    diff_ref: str | None,
) -> None:
    """Review marketing copy for manipulation, attacks on competitors and greenwashing.

    PATHS are files or directories (Markdown, HTML and plain text; directories are
    searched recursively); "-" or no path reads standard input. Silence a finding
    with "<!-- lens: ignore manipulation.scarcity -->" or "# lens: ignore ..." on the
    line before it. Exit status: 0 clean, 1 findings at or above --fail-on, 2 usage
    or input error.
    """
    import dataclasses

    _one_blas_thread()
    from . import MAX_TEXT_CHARS, Lens, ReviewLimitError
    from ._files import InputError, Source, decode, discover, read_source
    from ._formats import (
        render_github,
        render_gitlab,
        render_json,
        render_sarif,
        render_text,
    )
    from ._model import ModelError

    if not paths and sys.stdin.isatty():
        # waiting silently on a terminal looks like a hang
        _die(ctx, "no paths given: name files or directories, or - for standard input")
    paths = paths or ("-",)
    config = _load_config(ctx, config_path, paths)
    if no_classifier:
        config = dataclasses.replace(config, classifier=False)
    if encoder:
        config = dataclasses.replace(config, encoder=True)
    fail_on = fail_on or config.fail_on
    include = include or config.include
    exclude = exclude or config.exclude
    max_bytes = int(max_size * 1024 * 1024)
    sources: list[Source] = []
    try:
        for name in discover(paths, include, exclude):
            if name == "-":
                data = sys.stdin.buffer.read(max_bytes + 1)
                if len(data) > max_bytes:
                    raise InputError(f"stdin: more than {max_size:g} MB of input")
                text = decode(data, "stdin")
                if not text.strip():
                    raise InputError("stdin: no text to review")
                kind = "text" if markup == "auto" else markup
                sources.append(Source("-", text, kind))  # type: ignore[arg-type]
            else:
                source = read_source(name, max_bytes)
                if markup != "auto":
                    source = dataclasses.replace(source, markup=markup)  # type: ignore[arg-type]
                sources.append(source)
    except InputError as exc:
        _die(ctx, str(exc))
    for source in sources:
        if len(source.text) > MAX_TEXT_CHARS:
            _die(
                ctx,
                f"{'stdin' if source.name == '-' else source.name}: too long to "
                f"review ({len(source.text):,} characters, limit "
                f"{MAX_TEXT_CHARS:,}); split it into parts",
            )
    if not sources:
        _die(ctx, "no files to review (check the paths and --include/--exclude)")
    try:
        lens_ = Lens(config)
        results: list[tuple[str, Any]] = []
        # group by markup so each group is one batched call
        for kind in ("text", "markdown", "html"):
            group = [s for s in sources if s.markup == kind]
            if group:
                reviews = lens_.review_many(
                    [s.text for s in group],
                    purpose=purpose,
                    markup=kind,  # type: ignore[arg-type]
                )
                results.extend(zip((s.name for s in group), reviews, strict=True))
    except (ModelError, ReviewLimitError) as exc:
        _die(ctx, str(exc))
    order = {s.name: i for i, s in enumerate(sources)}
    results.sort(key=lambda r: order[r[0]])
    if diff_ref is not None:
        results = _on_changed_lines(ctx, diff_ref, results)
    if output_format == "json":
        # indented for a person at a terminal, one line for a program or a file
        indent = 2 if sys.stdout.isatty() else None
        click.echo(render_json(results, indent=indent), nl=False)
    elif output_format == "sarif":
        click.echo(render_sarif(results, lens_), nl=False)
    elif output_format == "github":
        click.echo(render_github(results), nl=False)
    elif output_format == "gitlab":
        click.echo(render_gitlab(results), nl=False)
    else:
        click.echo(render_text(results, hints=not no_hints), nl=False)
    if fail_on != "never":
        limit = _FAIL_ON.index(fail_on)
        worst = [r.worst_severity() for _, r in results]
        if any(w is not None and _FAIL_ON.index(w) <= limit for w in worst):
            ctx.exit(1)


def _on_changed_lines(
    ctx: click.Context, ref: str, results: list[tuple[str, Any]]
) -> list[tuple[str, Any]]:
    """The reviews with only the findings on lines changed since ``ref``."""
    import dataclasses

    from ._diff import DiffError, changed_lines, on_changed_line

    try:
        changed = changed_lines(ref)
    except DiffError as exc:
        _die(ctx, str(exc))

    def keep(name: str, f: Any) -> bool:
        return on_changed_line(changed, name, f.line, f.line + f.text.count("\n"))

    return [
        (
            name,
            dataclasses.replace(
                review,
                findings=[f for f in review.findings if keep(name, f)],
                suppressed=[s for s in review.suppressed if keep(name, s.finding)],
            ),
        )
        for name, review in results
    ]


@click.group()
def lens() -> None:
    """Train, evaluate and inspect the lens (the copy reviewer)."""


_DATA_HELP = (
    "A TSV with text and label columns, or a directory of them (its *.tsv files); "
    "repeat to read several. Other columns are ignored."
)


@lens.command(cls=_OneLineErrors)
@click.option(
    "--data",
    "data",
    required=True,
    multiple=True,
    help=_DATA_HELP + " Labels: finding ids or none.",
)
@click.option(
    "--out", "out_path", required=True, help="Where to write the model (a .bin file)."
)
@click.option(
    "--c", "c_value", type=float, default=None, help="Inverse regularisation."
)
@click.pass_context
def train(
    ctx: click.Context, data: tuple[str, ...], out_path: str, c_value: float | None
) -> None:
    """Train a lens model on labelled copy; point the config's "model" key at it."""
    from ._train import DEFAULT_C, DataError, labelled_files, read_labelled
    from ._train import train as fit
    from ._types import CATEGORY_IDS

    try:
        files = labelled_files(data)
        texts, labels = read_labelled(*files)
    except DataError as exc:
        _die(ctx, str(exc))
    allowed = {*CATEGORY_IDS, "none", "0"}
    unknown = sorted(set(labels) - allowed)
    if unknown:
        _die(
            ctx,
            f"{', '.join(data)}: label {unknown[0]!r} is not a finding id or none "
            "(use purposeful lens eval for 0/1 data)",
        )
    labels = ["none" if x == "0" else x for x in labels]
    names = [f.name for f in files]
    model = fit(
        texts,
        labels,
        c=c_value or DEFAULT_C,
        meta={"data": names[0] if len(names) == 1 else names},
    )
    try:
        model.save(out_path)
    except OSError as exc:
        _die(ctx, f"{out_path}: cannot write ({exc.strerror})")
    features = model.n_features
    click.echo(
        f"trained on {len(texts)} texts, {len(model.classes)} classes, "
        f"{features} features from {len(files)} file(s) -> {out_path}"
    )


@lens.command(name="eval", cls=_OneLineErrors)
@click.option("--data", "data", required=True, multiple=True, help=_DATA_HELP)
@click.option("--folds", type=click.IntRange(min=2), default=5, show_default=True)
@click.option(
    "--seed", type=int, default=0, show_default=True, help="Fold shuffling seed."
)
@click.option(
    "--format", "output_format", type=click.Choice(["text", "json"]), default="text"
)
@click.pass_context
def evaluate(
    ctx: click.Context, data: tuple[str, ...], folds: int, seed: int, output_format: str
) -> None:
    """Stratified k-fold cross-validation of the lens model architecture on DATA."""
    import json

    from ._train import DataError, cross_validate, read_labelled

    try:
        texts, labels = read_labelled(*data)
        result = cross_validate(texts, labels, folds=folds, seed=seed)
    except DataError as exc:
        _die(ctx, str(exc))
    if output_format == "json":
        click.echo(json.dumps(result.to_dict(), indent=2))
        return
    for key, value in result.to_dict().items():
        click.echo(f"{key:>16}: {value}")


@lens.command(name="rules", cls=_OneLineErrors)
@click.option(
    "--format", "output_format", type=click.Choice(["text", "json"]), default="text"
)
def list_rules(output_format: str) -> None:
    """List the finding ids, their default severity, rules and basis."""
    import json

    from . import Lens

    lens_ = Lens()
    rows = []
    for cid, category in lens_.categories.items():
        names = [
            r.name.split("/", 1)[1] for r in lens_.rules.rules if r.category == cid
        ]
        rows.append(
            {
                "id": cid,
                "severity": category.severity,
                "rules": names,
                "message": category.message,
                "suggestion": category.suggestion,
            }
        )
    if output_format == "json":
        click.echo(json.dumps(rows, indent=2))
        return
    for row in rows:
        click.echo(f"{row['id']} ({row['severity']}): {', '.join(row['rules'])}")
        click.echo(f"    {row['message']}")
