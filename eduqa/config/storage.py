"""Writing a season's outputs so that a crash never leaves half of them: whole folders are
built beside their target and swapped in at once, and a season is locked while it is written.

- :func:`replace_dir` puts a freshly built folder in place of the old one atomically
  (Linux ``renameat2(RENAME_EXCHANGE)``; elsewhere two renames, and the next run restores the
  old folder if a crash fell between them), so ``reports/<season>`` and
  ``data/processed/<season>`` are always the old version or the new one, never a mix.
- :func:`season_lock` is an advisory lock (``fcntl.flock``) that the operating system releases
  when the process dies, even by ``kill -9``: two runs of one season cannot interleave.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import hashlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

from eduqa.errors import EduqaError

__all__ = ["replace_dir", "season_lock", "recover", "SeasonBusy", "StorageError",
           "storage_error"]

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


class SeasonBusy(EduqaError):
    """Another eduqa process is writing this season."""


class StorageError(EduqaError):
    """A folder eduqa must write in is read-only, or its disk is full. The season being
    written keeps its previous report and processed data (each is replaced in one step, last)."""


#: Operating-system errors that are the machine's state, not a bug: no permission, a read-only
#: file system, a full disk or quota, a file too large for the file system.
_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
_DENIED = {errno.EACCES, errno.EPERM, errno.EROFS}


def storage_error(error: OSError) -> StorageError | None:
    """The plain message for ``error`` when it is a read-only folder or a full disk (naming
    the folder and what to do), else None."""
    if error.errno not in _FULL | _DENIED:
        return None
    path = error.filename or error.filename2
    where = Path(os.fsdecode(path)) if path else None
    folder = where.parent if where is not None and not where.is_dir() else where
    shown = str(folder) if folder is not None else "?"
    return StorageError.of("config.storage.disk_full" if error.errno in _FULL
                           else "config.storage.not_writable", shown=shown,
                           reason=error.strerror)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2); False where the call does not exist."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                          ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EPERM, errno.ENOTSUP):
        return False  # a file system or kernel without the call
    raise OSError(code, os.strerror(code), str(b))


def _old(target: Path) -> Path:
    return target.parent / f".old-{target.name}"


def recover(target: Path) -> None:
    """Undo the effect of a crash between the two renames of the fallback swap: the old folder
    goes back when the target is missing; leftovers are removed."""
    old = _old(target)
    if old.exists() and not target.exists():
        old.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def replace_dir(build: Path, target: Path) -> None:
    """Put the folder ``build`` at ``target`` (a sibling path), replacing any old folder there
    in one step; the old folder is removed afterwards."""
    build, target = Path(build), Path(target)
    recover(target)
    if not target.exists():
        try:
            build.rename(target)
            return
        except OSError as exc:
            if exc.errno not in (errno.ENOTEMPTY, errno.EEXIST):
                raise  # (another writer got there first: swap with its folder below)
    if _exchange(build, target):
        shutil.rmtree(build, ignore_errors=True)  # now holds the old version
        return
    old = _old(target)
    target.rename(old)
    build.rename(target)
    shutil.rmtree(old, ignore_errors=True)


@contextlib.contextmanager
def season_lock(lock_file: Path, *, wait: bool, what: str = "",
                shared: bool = False) -> Iterator[None]:
    """Hold an exclusive lock on ``lock_file`` (created if needed), or with ``shared`` a shared
    one (readers: a run reading a season's processed data holds it, so that a ``clean`` of
    that season, which takes it exclusively, waits until the run is done). With ``wait``
    False a lock held by another process is a :class:`SeasonBusy` error naming ``what``."""
    lock_file = Path(lock_file)
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: no locking
        yield
        return
    with open(lock_file, "a+") as handle:
        try:
            fcntl.flock(handle, (fcntl.LOCK_SH if shared else fcntl.LOCK_EX)
                        | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "?"
            raise SeasonBusy.of("config.storage.busy", what=what, holder=holder) from None
        if not shared:  # (the holder's process id, for the busy message)
            handle.seek(0)
            handle.truncate()
            handle.write(str(os.getpid()))
            handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def alive(pid: int) -> bool:
    """Whether process ``pid`` exists (another user's counts)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # (alive, another user's)
        return True
    return True


def processed_digest(folder: Path) -> str:
    """The digest of a season's processed data: SHA-256 of its ``summary.json``, which holds
    the digest of every other file's content (written by the clean step); "" when the
    folder has no summary. Reading it costs one small file, not the data."""
    summary = Path(folder) / "summary.json"
    try:
        return hashlib.sha256(summary.read_bytes()).hexdigest()
    except OSError:
        return ""


#: The processed data this process has opened (a season folder's path → its digest when
#: opened), written beside each notebook's published tables (:func:`eduqa.project.manifest.publish`)
#: so that the run can check every page of a report came from the same data.
READ_DIGESTS: dict[str, str] = {}


def record_read(folder: Path) -> str:
    """Record (and return) the digest of the processed season ``folder`` this process reads."""
    digest = processed_digest(folder)
    READ_DIGESTS[str(Path(folder).resolve())] = digest
    return digest
