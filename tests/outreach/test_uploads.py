"""Reading uploads: judged by content, capped, safe against zip bombs and path traversal."""

from __future__ import annotations

import io
import zipfile

import pytest

from purposeful.outreach import uploads
from purposeful.outreach.uploads import read_uploads


def _zip(entries: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    buffer.seek(0)
    return buffer


def _by_path(pages):
    return {p.path: p for p in pages}


def test_html_markdown_and_text_are_read_with_their_markup():
    pages = _by_path(
        read_uploads(
            [
                ("a.html", io.BytesIO(b"<p>Hi</p>")),
                ("b.md", io.BytesIO(b"# Hi")),
                ("c", io.BytesIO(b"<!doctype html><html>x</html>")),
                ("d.txt", io.BytesIO("Grüße".encode())),
            ]
        )
    )
    assert [pages[k].markup for k in ["a.html", "b.md", "c", "d.txt"]] == [
        "html",
        "markdown",
        "html",
        "text",
    ]
    assert pages["d.txt"].text == "Grüße"


def test_a_binary_file_is_refused_by_content_whatever_its_name():
    (page,) = read_uploads(
        [("index.html", io.BytesIO(b"\x89PNG\r\n\x1a\n" + bytes(50)))]
    )
    assert not page.is_readable
    assert "not a text file" in page.problem


def test_utf16_text_with_a_bom_is_read():
    (page,) = read_uploads([("a.txt", io.BytesIO("Hello".encode("utf-16")))])
    assert page.text == "Hello"


def test_zip_entries_are_read_and_problems_reported_per_entry():
    archive = _zip(
        {
            "site/index.html": b"<p>Hello</p>",
            "site/img/logo.png": b"\x00\x01\x02" * 100,
            "__MACOSX/site/._index.html": b"junk",
            "site/inner.zip": _zip({"a.md": b"x"}).getvalue(),
        }
    )
    pages = _by_path(read_uploads([("site.zip", archive)]))
    assert pages["site.zip/site/index.html"].is_readable
    assert "not a text file" in pages["site.zip/site/img/logo.png"].problem
    assert "zip inside the zip" in pages["site.zip/site/inner.zip"].problem
    assert not any("__MACOSX" in p for p in pages)


def test_a_corrupt_zip_is_reported_and_the_next_file_still_read():
    pages = read_uploads(
        [("old.zip", io.BytesIO(b"PK\x03\x04garbage")), ("a.md", io.BytesIO(b"Hi"))]
    )
    assert "corrupt" in pages[0].problem
    assert pages[1].is_readable


def test_a_damaged_entry_does_not_stop_the_others():
    data = bytearray(
        _zip({"a.md": b"A" * 2000, "b.md": b"Fine"}, zipfile.ZIP_STORED).getvalue()
    )
    offset = data.find(b"A" * 100)
    data[offset : offset + 10] = b"B" * 10  # breaks a.md's checksum
    pages = _by_path(read_uploads([("s.zip", io.BytesIO(bytes(data)))]))
    assert "damaged" in pages["s.zip/a.md"].problem
    assert pages["s.zip/b.md"].text == "Fine"


def test_entries_that_climb_out_of_the_archive_are_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("../../etc/evil.md"), b"x")
        archive.writestr(zipfile.ZipInfo("/abs.md"), b"x")
        archive.writestr(zipfile.ZipInfo("ok/./page.md"), b"fine")
    buffer.seek(0)
    pages = read_uploads([("s.zip", buffer)])
    problems = {p.path: p.problem for p in pages}
    assert problems["s.zip/../../etc/evil.md"].startswith("unsafe path")
    assert problems["s.zip//abs.md"].startswith("unsafe path")
    assert problems["s.zip/ok/page.md"] == ""


def test_a_zip_bomb_is_refused_without_unpacking_it(monkeypatch):
    bomb = _zip({"bomb.txt": b"0" * (3 * 1024 * 1024)})
    (page,) = read_uploads([("bomb.zip", bomb)])
    assert not page.is_readable
    assert "larger than" in page.problem or "zip bomb" in page.problem


def test_an_entry_that_lies_about_its_size_is_refused(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_PAGE_BYTES", 1000)
    archive = _zip({"big.md": b"word " * 1000})
    data = bytearray(archive.getvalue())
    # make the central directory claim a small size for the entry
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as z:
        info = z.getinfo("big.md")
    central = data.rfind(b"PK\x01\x02")
    data[central + 24 : central + 28] = (500).to_bytes(4, "little")
    assert info.file_size == 5000
    (page,) = read_uploads([("s.zip", io.BytesIO(bytes(data)))])
    assert not page.is_readable


def test_caps_on_pages_and_total_size(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_PAGES", 2)
    pages = read_uploads([(f"{n}.md", io.BytesIO(b"Hi")) for n in range(3)])
    assert [p.is_readable for p in pages] == [True, True, False]
    assert "more than 2 pages" in pages[2].problem


@pytest.mark.parametrize("name", ["", None, "..\\..\\x.md"])
def test_upload_names_are_only_labels(name):
    (page,) = read_uploads([(name, io.BytesIO(b"Hi"))])
    assert "/" not in page.path and "\\" not in page.path
