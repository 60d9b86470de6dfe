"""Peak memory of a CSV import upload: one too large (300 MB) and one valid (45 MB).

    .venv/bin/python benchmarks/exchange_import_memory.py
    .venv/bin/python benchmarks/exchange_import_memory.py --baseline c8ed799

Each upload is sent to the import page through Django's WSGI handler, its body
streamed from a file on disk as gunicorn streams it from the socket, in a fresh
process with an empty SQLite installation; the script prints how far the
process's peak resident memory rose during the request, and what the page
answered. The baseline is the same measurement of the code at the ``--baseline``
commit (by default the one before CSV imports were read in chunks), extracted
with ``git archive`` and run in the same way in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = "c8ed799"
MB = 1024 * 1024
BOUNDARY = "----purposefulbenchmarkboundary"
HEADER = "First Name,Last Name,Email,Phone Number,Company Name,Notes\n"


def _row(i: int) -> str:
    return (
        f"Rider{i},Benchmark,rider{i}@bench.example,+31 6 {i:08d},"
        f"Bench Company {i // 5},Met at the spring market in the old town hall\n"
    )


def _write_body(path: Path, size: int, token: str, team: int) -> None:
    """A multipart form body with a CSV file of about ``size`` bytes."""
    head = (
        f"--{BOUNDARY}\r\nContent-Disposition: form-data; "
        f'name="csrfmiddlewaretoken"\r\n\r\n{token}\r\n'
        f"--{BOUNDARY}\r\nContent-Disposition: form-data; "
        f'name="team"\r\n\r\n{team}\r\n'
        f"--{BOUNDARY}\r\nContent-Disposition: form-data; "
        f'name="file"; filename="customers.csv"\r\n'
        "Content-Type: text/csv\r\n\r\n"
    )
    with path.open("wb") as out:
        out.write(head.encode())
        out.write(HEADER.encode())
        written, i, lines = len(HEADER), 0, []
        while written < size:
            line = _row(i)
            lines.append(line)
            written += len(line)
            i += 1
            if len(lines) == 10_000:
                out.write("".join(lines).encode())
                lines = []
        out.write("".join(lines).encode())
        out.write(f"\r\n--{BOUNDARY}--\r\n".encode())


def _rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / MB


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(size_mb: int) -> dict:
    """One upload of ``size_mb`` MB to the import page, in this process."""
    from django.test import Client

    from purposeful.cli import _migrate, _setup_django

    _setup_django()
    _migrate()
    from django.core.handlers.wsgi import WSGIHandler

    from purposeful.exchange.models import ImportJob
    from purposeful.organisation.models import Membership, Team
    from purposeful.people.models import Member

    team = Team.objects.create(name="Bench", slug="bench")
    member = Member.objects.create(username="bench", email="bench@bench.example")
    Membership.objects.create(team=team, member=member)
    client = Client()
    client.force_login(member)
    session = client.cookies["sessionid"].value
    token = "b" * 32  # an unmasked CSRF secret, sent as cookie and field
    body = Path(os.environ["PURPOSEFUL_DATA_DIR"]) / "body.bin"
    _write_body(body, size_mb * MB, token, team.pk)
    handler = WSGIHandler()
    answer: dict = {}

    def start_response(status, headers, exc_info=None):
        answer["status"] = status

    with body.open("rb") as stream:
        environ = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": "/exchange/",
            "SCRIPT_NAME": "",
            "SERVER_NAME": "localhost",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "localhost",
            "HTTP_COOKIE": f"sessionid={session}; csrftoken={token}",
            "CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}",
            "CONTENT_LENGTH": str(body.stat().st_size),
            "wsgi.input": stream,
            "wsgi.url_scheme": "http",
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
            "wsgi.version": (1, 0),
        }
        before, peak_before = _rss_mb(), _peak_mb()
        response = handler(environ, start_response)
        content = b"".join(response)
        peak = _peak_mb()
    job = ImportJob.objects.first()
    return {
        "upload_mb": round(body.stat().st_size / MB, 1),
        "rss_before_mb": round(before, 1),
        "peak_rise_mb": round(peak - max(before, peak_before), 1),
        "status": answer["status"],
        "rows": job.total_rows if job else 0,
        "said": _said(content),
    }


def _said(content: bytes) -> str:
    text = content.decode("utf-8", "replace")
    for marker in ("What you sent", "larger than", "split it"):
        at = text.find(marker)
        if at != -1:
            return " ".join(text[max(0, at - 60) : at + 60].split())
    return ""


def _run(src: Path, size_mb: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="pf-import-mem-") as data_dir:
        env = {
            **os.environ,
            "PURPOSEFUL_DATA_DIR": data_dir,
            "PYTHONPATH": str(src),
            "DJANGO_SETTINGS_MODULE": "purposeful.settings",
        }
        env.pop("DATABASE_URL", None)
        out = subprocess.run(
            [sys.executable, __file__, "--measure", str(size_mb)],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
    if out.returncode:
        return {"error": out.stderr.strip().splitlines()[-1:]}
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default=BASELINE, help="commit to compare with")
    parser.add_argument("--sizes", default="300,45", help="upload sizes in MB")
    parser.add_argument("--measure", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        print(json.dumps(measure(args.measure)))
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory(prefix="pf-baseline-") as baseline_dir:
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", args.baseline, "src"],
            capture_output=True,
            check=True,
        ).stdout
        subprocess.run(["tar", "-x", "-C", baseline_dir], input=archive, check=True)
        for size in sizes:
            before = _run(Path(baseline_dir) / "src", size)
            after = _run(ROOT / "src", size)
            print(f"{size} MB upload to the import page:")
            for label, figures in (
                (f"before ({args.baseline})", before),
                ("after", after),
            ):
                print(f"  {label:>18}: {json.dumps(figures, ensure_ascii=False)}")


if __name__ == "__main__":
    main()
