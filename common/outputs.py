"""Writing a command's output file safely: never over one of its inputs, never half-written,
never through a symbolic link someone planted at the target.

`bilan recap mine.toml -o mine.toml` used to replace the declaration with its recap, and a
killed process left a truncated file. Now a regular file is written to a temporary file in the
target's folder, synced, then renamed over the target: the target holds the old content or the
new one, never a mix. A target that is a symbolic link is refused (writing through it would
touch whatever file it points to) unless it leads to a named pipe or a character device
(`/dev/stdout`); those, and devices or pipes named directly (`/dev/null`, a FIFO a reader waits
on), are written in place, since they cannot be renamed over.

API (also used by the entry app):
    write_output(target, content, inputs=())  -> None; raises UserError with a French message
    emit(content, target, inputs=())          -> the same, or standard output when target is None
"""

from __future__ import annotations

import errno
import os
import stat
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from bilan.common.errors import UserError, system_reason
from bilan.common.terminal import neutralise, show

PDF_ON_TERMINAL = "un PDF ne s’affiche pas dans un terminal : indiquer un fichier avec -o FICHIER.pdf"


def _same_file(target: Path, source: Path) -> bool:
    try:
        return os.path.samefile(target, source)
    except OSError:  # either one missing or unreadable: they cannot be one file we read
        return False


def refuse_inputs(target: Path, inputs: Iterable[Path]) -> None:
    """Refuse a target that is one of the files the command reads (same file, any name)."""
    for source in inputs:
        if _same_file(target, source):
            raise UserError(
                f"{target}: c’est aussi un fichier lu par cette commande ({source}) ; "
                "bilan ne l’écrase pas : choisir un autre fichier de sortie"
            )


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


def _write_atomic(target: Path, data: bytes, mode: int) -> None:
    """Temporary file in the same folder, fsync, rename over the target (the link, if any)."""
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            os.fchmod(out.fileno(), mode)
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _is_stream(mode: int) -> bool:
    return stat.S_ISFIFO(mode) or stat.S_ISCHR(mode)


def _write_stream(target: Path, content: str | bytes, through_link: bool) -> None:
    """A FIFO or a character device (/dev/null, /dev/stdout): written in place, never created.

    Opened without blocking (a FIFO nobody reads is refused at once) and checked again once
    open, so a link swapped for one to a regular file meanwhile is not written through. A
    terminal gets text neutralised, and no PDF."""
    flags = os.O_WRONLY | os.O_NONBLOCK | os.O_CLOEXEC | (0 if through_link else os.O_NOFOLLOW)
    fd = os.open(target, flags)
    with os.fdopen(fd, "wb") as out:
        if not _is_stream(os.fstat(fd).st_mode):
            raise UserError(f"{target}: le fichier a changé pendant l’écriture ; recommencer")
        if os.isatty(fd) and isinstance(content, bytes):
            raise UserError(PDF_ON_TERMINAL)
        os.set_blocking(fd, True)
        out.write(
            neutralise(content).encode("utf-8") if isinstance(content, str) and os.isatty(fd) else _bytes(content)
        )


def _bytes(content: str | bytes) -> bytes:
    return content.encode("utf-8") if isinstance(content, str) else content


def write_output(target: Path, content: str | bytes, inputs: Iterable[Path] = ()) -> None:
    """Write `content` (text as UTF-8) to `target`, refusing any of `inputs`.

    A regular file is replaced atomically and keeps its permissions; a new one gets the usual
    ones (0666 less umask). A symbolic link is refused unless it leads to a FIFO or a character
    device (`-o /dev/stdout`), which are written in place like FIFOs and devices named directly.
    """
    target = Path(target)
    refuse_inputs(target, inputs)
    info: os.stat_result | None
    followed: os.stat_result | None
    try:
        info = os.lstat(target)
        followed = os.stat(target) if stat.S_ISLNK(info.st_mode) else info
    except FileNotFoundError:  # nothing there, or a dangling link: the rename replaces the link itself
        info = followed = None
    except OSError as exc:
        raise UserError(f"{target}: écriture impossible ({system_reason(exc)})") from None
    try:
        if info is None or stat.S_ISREG(info.st_mode):
            mode = stat.S_IMODE(info.st_mode) if info is not None else 0o666 & ~_umask()
            _write_atomic(target, _bytes(content), mode)
        elif followed is not None and _is_stream(followed.st_mode):
            _write_stream(target, content, through_link=stat.S_ISLNK(info.st_mode))
        elif stat.S_ISLNK(info.st_mode):
            raise UserError(
                f"{target}: c’est un lien symbolique ; bilan n’écrit pas à travers un lien : "
                "indiquer le fichier lui-même ou un autre nom"
            )
        elif stat.S_ISDIR(info.st_mode):
            raise UserError(f"{target}: c’est un dossier ; indiquer un nom de fichier")
        else:
            raise UserError(f"{target}: ni un fichier ordinaire, ni un tube : indiquer un fichier")
    except OSError as exc:
        raise UserError(f"{target}: écriture impossible ({system_reason(exc)})") from None


def write_new(target: Path, content: str) -> None:
    """Write a file that must not exist, atomically, never replacing one that appeared meanwhile
    (another command writing the same folder: two migrations at once both reported success, one
    having overwritten the other's files). The temporary file is linked to its name, which fails
    if the name is taken; where hard links are not supported, the name is reserved first."""
    target = Path(target)
    taken = f"{target}: ce fichier existe déjà (écrit entre-temps par une autre commande ?) ; bilan ne l’écrase pas"
    temp: str | None = None
    try:
        fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as out:
            os.fchmod(out.fileno(), 0o666 & ~_umask())
            out.write(_bytes(content))
            out.flush()
            os.fsync(out.fileno())
        try:
            os.link(temp, target, follow_symlinks=False)
        except FileExistsError:
            raise UserError(taken) from None
        except OSError as exc:
            if exc.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.EMLINK, errno.ENOSYS):
                raise
            _reserve_then_replace(Path(temp), target, taken)
    except OSError as exc:
        raise UserError(f"{target}: écriture impossible ({system_reason(exc)})") from None
    finally:
        if temp is not None:
            Path(temp).unlink(missing_ok=True)


def _reserve_then_replace(temp: Path, target: Path, taken: str) -> None:
    """Without hard links: the name taken by creating it (which fails if it exists), then the
    written file renamed over it; the reserved name removed if that fails."""
    try:
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600))
    except FileExistsError:
        raise UserError(taken) from None
    try:
        os.replace(temp, target)
    except BaseException:
        target.unlink(missing_ok=True)
        raise


def emit(content: str | bytes, target: Path | None, inputs: Iterable[Path] = ()) -> None:
    """Write to `target`, or to standard output: text neutralised if it is a terminal, and a
    PDF (bytes) refused there."""
    if target is not None:
        write_output(target, content, inputs)
        return
    if isinstance(content, bytes):
        if sys.stdout.isatty():
            raise UserError(PDF_ON_TERMINAL)
        sys.stdout.flush()
        sys.stdout.buffer.write(content)
        sys.stdout.flush()
        return
    show(content, sys.stdout)
