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


class _CountingDecompressor:
    def __init__(self, inner, unpacked):
        self._inner, self._unpacked = inner, unpacked

    def decompress(self, *args):
        out = self._inner.decompress(*args)
        self._unpacked.append(len(out))
        return out

    def __getattr__(self, name):
        return getattr(self._inner, name)


@pytest.fixture
def unpacked(monkeypatch):
    """The sizes of every piece zipfile unpacks, as it unpacks them."""
    sizes: list[int] = []
    original = zipfile._get_decompressor

    def counting(compress_type):
        inner = original(compress_type)
        return None if inner is None else _CountingDecompressor(inner, sizes)

    monkeypatch.setattr(zipfile, "_get_decompressor", counting)
    return sizes


def _many_empty(count: int) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for n in range(count):
            archive.writestr(f"p/{n}.md", b"")
    buffer.seek(0)
    return buffer


def _central_entries(data: bytearray):
    at = data.find(b"PK\x01\x02")
    while at != -1:
        yield at
        at = data.find(b"PK\x01\x02", at + 4)


def test_a_zip_of_100000_empty_files_is_one_row_refusing_it():
    pages = read_uploads([("empty.zip", _many_empty(100_000))])
    assert len(pages) == 1
    assert "more than 5000 files" in pages[0].problem


def test_a_zip_whose_end_record_understates_its_files_is_refused_all_the_same():
    data = bytearray(_many_empty(uploads.MAX_ENTRIES + 10).getvalue())
    end = data.rfind(b"PK\x05\x06")
    data[end + 8 : end + 12] = (10).to_bytes(2, "little") * 2
    pages = read_uploads([("empty.zip", io.BytesIO(bytes(data)))])
    assert [p.problem for p in pages] == [
        f"more than {uploads.MAX_ENTRIES} files in the archive; upload it in parts"
    ]


def test_the_report_has_a_bounded_number_of_rows(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_ROWS", 50)
    pages = read_uploads(
        [("a.zip", _many_empty(80)), ("b.zip", _many_empty(30)), ("c.md", io.BytesIO())]
    )
    assert len(pages) == 50
    assert pages[-1].path == "62 more files"
    assert "at most 49 files" in pages[-1].problem


def test_a_zip_that_states_more_than_a_review_holds_is_refused_before_unpacking(
    monkeypatch, unpacked
):
    monkeypatch.setattr(uploads, "MAX_TOTAL_BYTES", 1024 * 1024)
    archive = _zip({f"{n}.md": b"word " * 20_000 for n in range(20)})  # 2 MB
    pages = read_uploads([("site.zip", archive), ("after.md", io.BytesIO(b"Hi"))])
    assert [p.path for p in pages] == ["site.zip", "after.md"]
    assert "unpacks to 2 MB; a review reads at most 1 MB in all" in pages[0].problem
    assert pages[1].is_readable
    assert sum(unpacked) == 0


def test_entries_whose_headers_state_nothing_are_unpacked_no_further(unpacked):
    page = b"word " * 200_000  # 1 MB each, deflated to about 1 KB
    data = bytearray(_zip({f"{n}.md": page for n in range(50)}).getvalue())
    for at in _central_entries(data):
        data[at + 16 : at + 20] = bytes(4)  # the checksum of nothing
        data[at + 24 : at + 28] = bytes(4)  # unpacked size: nothing
    pages = read_uploads([("lies.zip", io.BytesIO(bytes(data)))])
    assert len(pages) == 50
    assert all(p.text == "" for p in pages)
    # zipfile asks for at least 4 KB at a time; never the megabyte each holds
    assert sum(unpacked) <= 50 * 4096


def test_a_bzip2_entry_that_lies_about_its_size_is_not_unpacked(unpacked):
    data = bytearray(
        _zip({"bomb.md": b"0" * (20 * 1024 * 1024)}, zipfile.ZIP_BZIP2).getvalue()
    )
    (at,) = _central_entries(data)
    data[at + 24 : at + 28] = (100).to_bytes(4, "little")
    (page,) = read_uploads([("bomb.zip", io.BytesIO(bytes(data)))])
    assert "bzip2 or LZMA" in page.problem
    assert sum(unpacked) == 0
