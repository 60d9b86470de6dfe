"""Text preparation: masking markup, finding sentences, lines and inline directives.

Markup is never removed, only overwritten with spaces (and block boundaries with a
newline), so the prepared text has exactly the length of the original and every
offset, line and column the lens reports points into the original file.
"""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser

__all__ = [
    "Directive",
    "LineIndex",
    "find_directives",
    "mask_html",
    "mask_markdown",
    "sentence_spans",
]

# Elements whose content is never copy: masked from the start tag to the end tag.
_SKIPPED = frozenset(("script", "style", "pre", "code", "template", "svg", "noscript"))
_HTML_BLOCKS = frozenset((
    "p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "br", "tr",
    "td", "th", "table", "section", "article", "header", "footer", "nav", "aside",
    "blockquote", "button", "option", "form", "label", "dt", "dd", "figcaption",
    "main", "title",
))  # fmt: skip
_BROKEN_TAG = re.compile(r"<[A-Za-z/!?]")
# What html.unescape replaces (its own pattern): each match is unescaped alone so
# that the character lands where the reference starts.
_CHARREF = re.compile(r"&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)")

_FENCE = re.compile(
    r"^( {0,3})(`{3,}|~{3,})[^\n]*\n.*?(?:^ {0,3}\2[`~]*[ \t]*$|\Z)", re.M | re.S
)
_FRONT_MATTER = re.compile(
    r"\A(?:---|\+\+\+)\n.*?\n(?:---|\+\+\+)[ \t]*(?:\n|\Z)", re.S
)
_INLINE_CODE = re.compile(r"(`+)[^`\n]+?\1")
_LINK_TARGET = re.compile(r"(\]\()([^)\s]*(?:\s+\"[^\"]*\")?)(\))|(\]:\s+\S+)")
# an autolink holds no "<" (CommonMark), which also keeps a run of them linear
_AUTOLINK = re.compile(r"<(?:https?|mailto):[^<>\s]*>")
_MD_MARKS = re.compile(
    r"^[ \t]*(?:#{1,6}|>+|[-*+]|\d{1,9}[.)])(?=[ \t])|\*{1,3}|_{2,3}|~~|!?\[|\]", re.M
)
_INDENTED_CODE = re.compile(r"(?:^(?: {4}|\t)[^\n]*\n?)+", re.M)

_DIRECTIVE = re.compile(
    r"(?:<!--\s*|(?:^|(?<=\n))[ \t]*(?:#|//|;)\s*|\[\s*)"
    r"lens:\s*(?P<verb>ignore|disable|off|on)\b(?P<ids>[^\n\]]*?)\s*(?:-->|\]|$)",
    re.IGNORECASE | re.MULTILINE,
)
_ID = re.compile(r"[a-z]+\.[a-z-]+|[a-z]+\b", re.IGNORECASE)


def _blank(chars: list[str], start: int, end: int, boundary: bool = False) -> None:
    # Keep newlines so that line numbers stay right; a block boundary becomes a
    # newline so sentences of separate blocks are never read as one.
    for i in range(start, end):
        if chars[i] != "\n":
            chars[i] = " "
    if boundary and start < end and chars[start] != "\n":
        chars[start] = "\n"


class _Markup(HTMLParser):
    """Reads HTML with the standard parser, noting where each piece of it starts.

    ``HTMLParser`` reports positions as (line, column) at the start of each
    piece and reads the text from end to end, so a piece ends where the next
    one starts. Only text outside skipped elements is kept; everything else
    (tags with their attributes, comments, declarations, CDATA) is markup.
    """

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        # (start, kind): kind is "text", "markup" or "block" (markup that ends
        # a sentence); a piece runs to the next one's start
        self.pieces: list[tuple[int, str]] = []
        self._skipping: str | None = None

    def _note(self, kind: str) -> None:
        line, column = self.getpos()
        self.pieces.append((self._line_starts[line - 1] + column, kind))

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if self._skipping is None and tag in _SKIPPED:
            self._skipping = tag
            self._note("block")
        else:
            self._note("block" if tag in _HTML_BLOCKS else "markup")

    def handle_startendtag(self, tag: str, attrs: object) -> None:
        self._note("block" if tag in _HTML_BLOCKS else "markup")

    def handle_endtag(self, tag: str) -> None:
        if tag == self._skipping:
            self._skipping = None
        self._note("block" if tag in _HTML_BLOCKS else "markup")

    def handle_data(self, data: str) -> None:
        self._note("markup" if self._skipping else "text")

    def handle_comment(self, data: str) -> None:
        self._note("block")

    def handle_decl(self, decl: str) -> None:
        self._note("block")

    def handle_pi(self, data: str) -> None:
        self._note("markup")

    def unknown_decl(self, data: str) -> None:  # CDATA, a bogus comment in HTML
        self._note("markup")


def mask_html(text: str) -> str:
    """``text`` with tags, comments, scripts and code blanked out, same length.

    Character references are unescaped as ``html.unescape`` does: the character
    takes the reference's first position and spaces the rest, so offsets into
    the masked text are offsets into ``text``.
    """
    if "<" not in text and "&" not in text:
        return text
    chars = list(text)
    # An unclosed comment hides the rest, as in a browser; and a "<" after the
    # last ">" starts no tag, so the parser is not shown it: it would read on to
    # the end of the text from each one (quadratic in a run of "<a" or "<!--").
    closed = text.rfind("-->")
    cut = text.find("<!--", closed + 3 if closed >= 0 else 0)
    if cut >= 0:
        _blank(chars, cut, len(text), boundary=True)
    else:
        cut = len(text)
    last_gt = text.rfind(">", 0, cut)
    readable = text[: last_gt + 1] + text[last_gt + 1 : cut].replace("<", " ")
    if "<" in readable:
        parser = _Markup(readable)
        parser.feed(readable)
        parser.close()
        pieces = parser.pieces
    else:  # plain text with references, as most Markdown is: no parser needed
        pieces = [(0, "text")] if readable else []
    # what comes before the first piece is markup the parser read silently
    _blank(chars, 0, pieces[0][0] if pieces else cut)
    if not pieces:
        return "".join(chars)
    ends = [start for start, _ in pieces[1:]] + [cut]
    for (start, kind), end in zip(pieces, ends, strict=True):
        if kind != "text":
            _blank(chars, start, end, boundary=kind == "block")
            continue
        if _BROKEN_TAG.match(readable, start) and readable.find(">", start, end) >= 0:
            # what the parser could not read as a tag: a browser shows none of it
            # (a "<" never closed by ">" stays text, as Markdown reads it)
            _blank(chars, start, end)
            continue
        # text runs to the next "<"; after it, up to the next piece, is markup
        # the parser skipped without a word (such as "</>")
        stop = readable.find("<", start + 1, end)
        stop = end if stop < 0 else stop
        _blank(chars, stop, end)
        for m in _CHARREF.finditer(text, start, stop):
            plain = html.unescape(m.group())
            if len(plain) <= len(m.group()):
                _blank(chars, *m.span())
                chars[m.start() : m.start() + len(plain)] = plain
    return "".join(chars)


def mask_markdown(text: str) -> str:
    """``text`` with Markdown markup, code and embedded HTML blanked out, same length."""
    chars = list(text)
    for pattern in (_FRONT_MATTER, _FENCE, _INDENTED_CODE):
        for m in pattern.finditer("".join(chars)):
            _blank(chars, *m.span(), boundary=True)
    masked = mask_html("".join(chars))
    chars = list(masked)
    for pattern in (_INLINE_CODE, _AUTOLINK):
        for m in pattern.finditer(masked):
            _blank(chars, *m.span())
    masked = "".join(chars)
    for m in _LINK_TARGET.finditer(masked):
        _blank(chars, *m.span())
    masked = "".join(chars)
    for m in _MD_MARKS.finditer(masked):
        _blank(chars, *m.span())
    return "".join(chars)


# A sentence ends at ., ! or ? (with closing quotes) followed by whitespace, or at a
# line break that ends a line without joining punctuation, or at a blank line, or
# at a separator (|, •, ·) with the whitespace around it.
_SENTENCE_END = re.compile(
    r"[.!?…]+[\"'”’)]*(?=\s)|\n[ \t]*\n|\n(?=[ \t]*[-*•]\s)|[|•·]\s*"
)
_SPACE_RUN = re.compile(r"\s*")
_SEPARATORS = "|•·"


def _space_end(text: str, pos: int) -> int:
    """Where the run of whitespace at ``pos`` ends (``pos`` itself when none)."""
    run = _SPACE_RUN.match(text, pos)
    assert run is not None  # an empty run matches too
    return run.end()


def _sentence_ends(text: str) -> Iterator[tuple[int, int]]:
    """(end of a sentence, start of what follows) at each sentence break.

    This is what ``finditer`` of the pattern with ``\\s*[|•·]\\s*`` as its last
    alternative gives, without that ``\\s*`` reading the rest of a run of
    whitespace from each of its characters (quadratic: a page of 100,000 nested
    ``<div>`` tags is one such run once the tags are masked). A separator's
    leading whitespace only matters where a line break inside it would end a
    sentence first; the end of each run of whitespace is measured once.
    """
    pos = 0
    run_end = -1
    while (m := _SENTENCE_END.search(text, pos)) is not None:
        start = m.start()
        if text[start] == "\n" and start > pos and text[start - 1].isspace():
            # the whole pattern would have matched from the run's first character,
            # had the run led to a separator
            if start >= run_end:
                run_end = _space_end(text, start)
            if run_end < len(text) and text[run_end] in _SEPARATORS:
                pos = _space_end(text, run_end + 1)
                yield pos, pos
                continue
        pos = m.end()
        yield (start if m.group().isspace() else pos), pos


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence or clause in ``text``, whitespace trimmed."""
    spans = []
    start = 0
    for end, following in _sentence_ends(text):
        spans.append((start, end))
        start = following
    spans.append((start, len(text)))
    trimmed = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            trimmed.append((s, e))
    return trimmed


class LineIndex:
    """Maps character offsets to 1-based line and column numbers."""

    __slots__ = ("_starts",)

    def __init__(self, text: str) -> None:
        self._starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def position(self, offset: int) -> tuple[int, int]:
        """The (line, column) of ``offset``, both 1-based."""
        line = bisect.bisect_right(self._starts, offset) - 1
        return line + 1, offset - self._starts[line] + 1


@dataclass(frozen=True, slots=True)
class Directive:
    """An inline ``lens: ignore`` (or ``off``/``on``) comment."""

    verb: str
    ids: tuple[str, ...]  # empty means every category
    start: int
    end: int
    line: int

    def covers(self, finding_id: str) -> bool:
        """Whether this directive names ``finding_id`` (or names nothing, so all)."""
        return not self.ids or any(
            finding_id == i or finding_id.startswith(i + ".") for i in self.ids
        )


def find_directives(text: str) -> list[Directive]:
    """Every inline directive, in order.

    Accepted forms, in any kind of file: ``<!-- lens: ignore manipulation.scarcity -->``,
    a comment line ``# lens: ignore manipulation.scarcity`` (also ``//`` or ``;``) and
    ``[lens: ignore manipulation.scarcity]``. Several ids may be separated by commas
    or spaces; no id means every category.
    """
    if "lens:" not in text.lower():
        return []
    index = LineIndex(text)
    found = []
    for m in _DIRECTIVE.finditer(text):
        ids = tuple(i.lower() for i in _ID.findall(m.group("ids")))
        verb = m.group("verb").lower()
        found.append(
            Directive(
                verb="ignore" if verb == "disable" else verb,
                ids=ids,
                start=m.start(),
                end=m.end(),
                line=index.position(m.start())[0],
            )
        )
    return found
