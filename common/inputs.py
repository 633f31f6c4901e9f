"""Reading a user's text file without hanging, without exhausting memory, and with French messages.

A named pipe given as input used to block forever, an 8 GB file was read whole, and a byte-order
mark or a Latin-1 file got an English or position-less message. Here the file is opened without
blocking, refused unless it is a regular file, read up to a size limit, and decoded as UTF-8 with
the line and column of the first byte that is not.

API:
    read_text(path, limit=MAX_BYTES, usual=DECLARATION_SIZE) -> str; raises UserError
        ("FILE:LINE:COL: message" where it applies)
    read_bytes(path, limit=MAX_BYTES, usual=DECLARATION_SIZE) -> bytes; raises UserError
Campaign files (.bilan) are read with MAX_CAMPAIGN_BYTES and CAMPAIGN_SIZE.
"""

from __future__ import annotations

import codecs
import os
import stat
from pathlib import Path

from bilan.common.errors import UserError, system_reason

MAX_BYTES = 64 * 1024 * 1024  # a results file of 5,000 declarations; one declaration is about 3 KB
DECLARATION_SIZE = "une déclaration en fait quelques Ko"
MAX_CAMPAIGN_BYTES = 4 * 1024 * 1024  # 50 times the 2009 campaign (77 KB); compiling 70 MB took 800 MB
CAMPAIGN_SIZE = "un questionnaire en fait une centaine de Ko"


def _open_regular(path: Path) -> int:
    """A descriptor on `path` if it is a regular file; never blocks on a pipe or a device."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise UserError(f"{path}: fichier introuvable") from None
    except OSError as exc:
        raise UserError(f"{path}: lecture impossible ({system_reason(exc)})") from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        what = "un dossier" if stat.S_ISDIR(mode) else "un tube ou un périphérique, pas un fichier ordinaire"
        raise UserError(f"{path}: c’est {what} ; indiquer un fichier")
    return fd


def read_bytes(path: Path, limit: int = MAX_BYTES, usual: str = DECLARATION_SIZE) -> bytes:
    """The bytes of a user's file: a regular file of at most `limit` bytes (`usual` says what
    size such a file has, in the message refusing a larger one)."""
    fd = _open_regular(Path(path))
    try:
        with os.fdopen(fd, "rb") as stream:
            data = stream.read(limit + 1)
    except OSError as exc:
        raise UserError(f"{path}: lecture impossible ({system_reason(exc)})") from None
    if len(data) > limit:
        size = f"plus de {limit // 2**20} Mo"
        raise UserError(f"{path}: fichier trop volumineux ({size} ; {usual})")
    return data


def _position(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of the byte at `offset`."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    column = len(data[line_start:offset].decode("utf-8", errors="replace")) + 1
    return data.count(b"\n", 0, offset) + 1, column


def decode(path: Path, data: bytes) -> str:
    """UTF-8 text, or a message placing the first byte that is not (a BOM is named as such)."""
    if data.startswith(codecs.BOM_UTF8):
        raise UserError(
            f"{path}:1:1: le fichier commence par une marque d’ordre des octets (BOM) ; l’enregistrer en UTF-8 sans BOM"
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column, message = not_utf8(data, exc)
        raise UserError(f"{path}:{line}:{column}: {message}") from None


def not_utf8(data: bytes, exc: UnicodeDecodeError) -> tuple[int, int, str]:
    """Where and why `data` is not UTF-8, in the user's words (line, column, message)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return 1, 1, "le fichier est en UTF-16 ; l’enregistrer en UTF-8"
    line, column = _position(data, exc.start)
    return line, column, f"le fichier n’est pas en UTF-8 (octet 0x{data[exc.start]:02X}) ; l’enregistrer en UTF-8"


def read_text(path: Path, limit: int = MAX_BYTES, usual: str = DECLARATION_SIZE) -> str:
    """The text of a user's file, read safely (see the module's docstring)."""
    return decode(path, read_bytes(Path(path), limit, usual))
