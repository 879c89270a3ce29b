"""CSV files as state registries save them: the encoding and the separator found, each line decoded alone.

Excel saves "CSV" in the machine's code page (Windows-1252 in Mexico) with `;` where the decimal
mark is a comma, or as "CSV UTF-8" with a byte-order mark. The encoding is detected on a sample by
charset-normalizer, among those the interchange specification allows; each line is then decoded
by itself, so that a byte the encoding cannot read rejects its line (named, with the encoding
assumed) and not the rest of the file.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from charset_normalizer import from_bytes

SAMPLE_BYTES = 64 * 1024
# A file that is plain ASCII for this long is searched further for its first other byte, a chunk at a time.
_SCAN_CHUNK = 1024 * 1024
_NON_ASCII = re.compile(rb"[\x80-\xff]")
SEPARATORS = (";", ",", "\t")
SEPARATOR_NAMES = {";": "semicolon", ",": "comma", "\t": "tab"}

# The encodings a CSV may be in, as charset-normalizer names them, and as the summary names them.
CANDIDATES = ("utf_8", "cp1252", "latin_1")
LABELS = {"utf_8": "UTF-8", "cp1252": "Windows-1252", "latin_1": "Latin-1"}


@dataclass(frozen=True, slots=True)
class Encoding:
    codec: str  # a Python codec name
    label: str  # how the summary and the rejects name it: "UTF-8 with BOM", "Windows-1252"
    bom: int  # bytes of byte-order mark to skip


def detect_encoding(handle: BinaryIO) -> Encoding:
    """The encoding of a seekable binary file, from a sample; the file is left at its start."""
    start = handle.read(SAMPLE_BYTES)
    if start.startswith(codecs.BOM_UTF8):
        handle.seek(0)
        return Encoding("utf_8", "UTF-8 with BOM", len(codecs.BOM_UTF8))
    sample = start if _NON_ASCII.search(start) else start + _first_non_ascii(handle)
    handle.seek(0)
    if not _NON_ASCII.search(sample) or _mostly_utf8(sample):
        return Encoding("utf_8", "UTF-8", 0)
    best = from_bytes(sample, cp_isolation=list(CANDIDATES)).best()
    codec = best.encoding if best is not None and best.encoding in LABELS else "cp1252"
    return Encoding(codec, LABELS[codec], 0)


def _first_non_ascii(handle: BinaryIO) -> bytes:
    """The lines around the first byte that is not ASCII, past the first sample (b'' if none)."""
    while chunk := handle.read(_SCAN_CHUNK):
        found = _NON_ASCII.search(chunk)
        if found:
            line_start = chunk.rfind(b"\n", 0, found.start()) + 1
            return b"\n" + chunk[line_start:] + handle.read(SAMPLE_BYTES)
    return b""


def _mostly_utf8(sample: bytes) -> bool:
    """Whether at least as many of the sample's lines with other than ASCII read as UTF-8 as do not.

    A UTF-8 file with one stray Windows-1252 line stays UTF-8 (that line is rejected); a legacy
    code page practically never forms valid UTF-8 sequences, so its lines fail.
    """
    readable = unreadable = 0
    for line in sample.split(b"\n")[:-1] or [sample]:  # the last piece may be cut in a character
        if _NON_ASCII.search(line):
            try:
                line.decode("utf-8")
                readable += 1
            except UnicodeDecodeError:
                unreadable += 1
    return readable >= unreadable


def detect_separator(header_line: str) -> str:
    """The separator that splits the header line into the most cells (a comma when none does)."""
    best, most = ",", 0
    for separator in SEPARATORS:
        count = header_line.count(separator)  # headers are plain words: counting is enough, and cheap
        if count > most:
            best, most = separator, count
    return best


class DecodedLines:
    """The lines of a binary file as text, each decoded by itself.

    A line the encoding cannot read is decoded with replacement characters (so that the CSV reader
    keeps its place) and remembered in `bad`, by line number, with the reason.
    """

    def __init__(self, handle: BinaryIO, encoding: Encoding) -> None:
        self._lines = iter(handle)
        self.encoding = encoding
        self.number = 0
        self.bad: dict[int, str] = {}
        if encoding.bom:
            handle.read(encoding.bom)

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        raw = next(self._lines)
        self.number += 1
        try:
            return raw.decode(self.encoding.codec)
        except UnicodeDecodeError as exc:
            self.bad[self.number] = (
                f"line {self.number}: byte 0x{raw[exc.start]:02X} cannot be read as {self.encoding.label} "
                f"(the encoding assumed for this file); save the file as UTF-8 (in Excel: CSV UTF-8) "
                f"or correct the character"
            )
            return raw.decode(self.encoding.codec, errors="replace")

    def problem_between(self, first: int, last: int) -> str | None:
        """The reason a line from first to last (a row) could not be read, if one could not."""
        if not self.bad:
            return None
        for number in range(first, last + 1):
            if number in self.bad:
                return self.bad.pop(number)
        return None
