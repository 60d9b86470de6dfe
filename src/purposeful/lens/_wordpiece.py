"""BERT's uncased WordPiece tokeniser in plain Python, for the static token vectors.

The classifier averages MiniLM's static token vectors over a sentence, so every
review needs the tokens of its candidate sentences. The ``tokenizers`` package does
this job, but importing it and parsing its JSON costs ~50 ms per command — a tenth
of what ``purposeful review`` may spend on 2,000 files. This module reads only the
vocabulary and caches the pieces of each word, so a review spends microseconds per
sentence; ``tests/lens/test_wordpiece.py`` checks it gives the ids ``tokenizers``
gives on the project's corpus.

It follows ``BertNormalizer`` (clean text, space around CJK characters, lower-case,
strip accents), ``BertPreTokenizer`` (split on whitespace and punctuation) and the
``WordPiece`` model (greedy longest match, ``##`` continuation, [UNK] for a word
that cannot be pieced together or has more than 100 characters).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping

__all__ = ["WordPiece"]

_MAX_WORD_CHARS = 100
_CACHE_LIMIT = 200_000


def _is_cjk(code: int) -> bool:
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x20000 <= code <= 0x2A6DF
        or 0x2A700 <= code <= 0x2B73F
        or 0x2B740 <= code <= 0x2B81F
        or 0x2B820 <= code <= 0x2CEAF
        or 0xF900 <= code <= 0xFAFF
        or 0x2F800 <= code <= 0x2FA1F
    )


def _is_punctuation(char: str) -> bool:
    code = ord(char)
    # ASCII symbols such as $ ^ ` count as punctuation for BERT, as in the original
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return unicodedata.category(char).startswith("P")


def _normalise(text: str) -> str:
    """BertNormalizer: clean, pad CJK, lower-case and strip accents."""
    if text.isascii() and text.isprintable():
        return text.lower()  # the common case
    out = []
    for char in text:
        if char in "\t\n\r":
            out.append(" ")
            continue
        code = ord(char)
        category = unicodedata.category(char)
        if code == 0 or code == 0xFFFD or category in ("Cc", "Cf", "Cn", "Co"):
            continue  # control characters are dropped before spaces are mapped
        if category == "Zs" or char.isspace():
            out.append(" ")
        elif _is_cjk(code):
            out.append(f" {char} ")
        else:
            out.append(char)
    lowered = "".join(out).lower()
    if lowered.isascii():
        return lowered
    decomposed = unicodedata.normalize("NFD", lowered)
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


def _words(normalised: str) -> list[str]:
    """BertPreTokenizer: whitespace-separated words, each punctuation mark alone."""
    words: list[str] = []
    for chunk in normalised.split():
        if chunk.isalnum():
            words.append(chunk)
            continue
        start = 0
        for i, char in enumerate(chunk):
            if _is_punctuation(char):
                if start < i:
                    words.append(chunk[start:i])
                words.append(char)
                start = i + 1
        if start < len(chunk):
            words.append(chunk[start:])
    return words


class WordPiece:
    """Token ids of texts for a BERT uncased vocabulary."""

    def __init__(self, vocab: Mapping[str, int], unk_token: str = "[UNK]") -> None:
        self._vocab = vocab if isinstance(vocab, dict) else dict(vocab)
        self.unk_id = self._vocab[unk_token]
        self._cache: dict[str, list[int]] = {}

    def ids(self, text: str) -> list[int]:
        """The token ids of ``text``, without special tokens."""
        cache = self._cache
        ids: list[int] = []
        for word in _words(_normalise(text)):
            pieces = cache.get(word)
            if pieces is None:
                pieces = self._pieces(word)
                if len(cache) < _CACHE_LIMIT:
                    cache[word] = pieces
            ids.extend(pieces)
        return ids

    def _pieces(self, word: str) -> list[int]:
        vocab = self._vocab
        if len(word) > _MAX_WORD_CHARS:
            return [self.unk_id]
        whole = vocab.get(word)
        if whole is not None:
            return [whole]
        pieces = []
        start = 0
        while start < len(word):
            end = len(word)
            found = None
            while start < end:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                found = vocab.get(piece)
                if found is not None:
                    break
                end -= 1
            if found is None:
                return [self.unk_id]
            pieces.append(found)
            start = end
        return pieces
