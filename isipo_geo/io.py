"""File writing shared by every output of isipo-geo: atomic, so a reader never sees half a file.

- :func:`atomic_write` / :func:`atomic_path` write one file through a temporary beside it;
  :func:`atomic_files` writes several that must appear together or not at all.
- Any failure while writing — a full disk (``ENOSPC``), a read-only one (``EROFS``), no
  permission (``EACCES``) or a driver's error (GDAL, openpyxl) — becomes one
  :class:`~isipo_geo.errors.OutputError` naming the file; the temporary file is removed.
- Temporaries are named ``.NAME.isipo_PID_XXXX…`` so that one left behind by a killed run
  (SIGKILL gives no chance to clean up) is recognised and swept on the next write beside it.
- :func:`output_transaction` makes several files written by any writer appear together.
- :func:`staged_folder` builds many files aside and moves them in only when all succeeded.
- :func:`output_lock` keeps a second run from writing into the same folder at the same time.
"""

from __future__ import annotations

import contextlib
import contextvars
import errno
import os
import re
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from isipo_geo.errors import OutputError
from isipo_geo.messages import message

_TAG = ".isipo_"
_TEMP_RE = re.compile(r"\.isipo_(\d+)_")
_DRIVER_MODULES = ("pyogrio", "fiona", "rasterio", "openpyxl", "zipfile", "sqlite3", "shapely")


@contextlib.contextmanager
def atomic_write(
    path: str | os.PathLike[str],
    *,
    mode: str = "w",
    encoding: str | None = "utf-8",
    newline: str | None = None,
) -> Iterator[IO[Any]]:
    """Open a temporary file beside ``path``; on success it replaces ``path`` in one step.

    If the block raises, the temporary file is removed and ``path`` is left as it was; an
    ``OSError`` (disk full, read-only, no permission) becomes :class:`OutputError`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> with atomic_write(out) as f:
    ...     _ = f.write("سلام")
    >>> out.read_text(encoding="utf-8")
    'سلام'
    """
    target = Path(path)
    binary = "b" in mode
    fd, tmp = _temp_beside(target, suffix=".tmp")
    try:
        with _translated(target):
            with os.fdopen(
                fd, mode, encoding=None if binary else encoding, newline=None if binary else newline
            ) as f:
                yield f
                f.flush()
                os.fsync(f.fileno())
            _replace(tmp, target)
    except BaseException:
        _remove(tmp)
        raise


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """A temporary path beside ``path`` for libraries that write by file name (GeoPackage,
    GeoTIFF, XLSX); it replaces ``path`` when the block succeeds and is removed otherwise.
    Write errors (``OSError``, GDAL and openpyxl errors) become :class:`OutputError`."""
    with atomic_files([path]) as (tmp,):
        yield tmp


@contextlib.contextmanager
def atomic_files(paths: Sequence[str | os.PathLike[str]]) -> Iterator[list[Path]]:
    """Temporary paths for several outputs that must appear together or not at all.

    The block writes every temporary; then each replaces its target. If any step fails, every
    temporary is removed and targets already replaced get their previous content back (or are
    removed if they did not exist), so the folder holds all the new files or none of them.
    """
    targets = [Path(p) for p in paths]
    temps: list[str] = []
    try:
        for target in targets:
            fd, tmp = _temp_beside(target, suffix=target.suffix)
            os.close(fd)
            os.unlink(tmp)  # libraries such as GDAL refuse to write over an existing empty file
            temps.append(tmp)
        with _translated(targets[0] if len(targets) == 1 else ", ".join(map(str, targets))):
            yield [Path(t) for t in temps]
        _replace_all(temps, targets)
    except BaseException:
        for tmp in temps:
            _remove(tmp)
            for side in _sidecars(tmp):
                _remove(side)
        raise


def _replace_all(temps: list[str], targets: list[Path]) -> None:
    """Replace each target by its temporary; on failure undo the ones already replaced."""
    done: list[tuple[Path, str | None]] = []
    pending: str | None = None
    try:
        for tmp, target in zip(temps, targets, strict=True):
            if not os.path.exists(tmp):
                raise OutputError(message("cannot_write", name=str(target),
                                          why=message("write_no_file")))
            pending = None
            if len(targets) > 1 and target.exists():
                fd, pending = _temp_beside(target, suffix=".bak")
                os.close(fd)
                os.unlink(pending)
                os.link(target, pending)
            _replace(tmp, target)
            done.append((target, pending))
            pending = None
    except BaseException:
        if pending is not None:
            _remove(pending)
        for target, backup in reversed(done):
            if backup is not None:
                with contextlib.suppress(OSError):
                    os.replace(backup, target)
            else:
                _remove(str(target))
        raise
    for _, backup in done:
        if backup is not None:
            _remove(backup)


@contextlib.contextmanager
def _translated(target: Path | str | None) -> Iterator[None]:
    """Turn write failures inside the block into one OutputError naming the file."""
    try:
        yield
    except OutputError:
        raise
    except OSError as exc:
        raise OutputError(_message(target, exc)) from None
    except Exception as exc:
        if type(exc).__module__.split(".")[0] in _DRIVER_MODULES:
            raise OutputError(_message(target, exc)) from None
        raise


def _message(target: Path | str | None, exc: BaseException) -> str:
    """Why ``target`` could not be written, in both languages (a catalogue message)."""
    name = (str(target) if target is not None
            else getattr(exc, "filename", None) or message("an_output"))
    code = getattr(exc, "errno", None)
    key = {
        errno.ENOSPC: "write_disk_full",
        errno.EROFS: "write_read_only",
        errno.EACCES: "write_permission",
        errno.EPERM: "write_permission",
        errno.EDQUOT: "write_quota",
    }.get(code) if code is not None else None
    if key is None:
        text = getattr(exc, "strerror", None) or (str(exc).splitlines() or [""])[0]
        low = text.lower()
        if "no space" in low or "disk full" in low:
            key = "write_disk_full"
        elif "read-only" in low:
            key = "write_read_only"
        else:
            why = message("write_other", text=text or type(exc).__name__)
    return message("cannot_write", name=name, why=message(key) if key else why)


def _temp_beside(target: Path, *, suffix: str) -> tuple[int, str]:
    """A temporary file in the target's folder (created if missing); OutputError if it cannot be.

    Stale temporaries of the same target left by a killed run are swept first.
    """
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        sweep_stale(target)
        return tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}{_TAG}{os.getpid()}_", suffix=suffix
        )
    except OSError as exc:
        raise OutputError(_message(target, exc)) from None


def sweep_stale(target: str | os.PathLike[str]) -> list[Path]:
    """Remove the temporaries (``.NAME.isipo_PID_…``: files, backups, staging folders) that
    runs which no longer exist left in ``target``'s folder — a run killed by SIGKILL has no
    chance to clean up. Temporaries of a live process, and files of any other naming, are left
    alone. Returns the paths removed."""
    folder = Path(target).parent
    removed = []
    try:
        candidates = list(folder.glob(f".*{_TAG}*"))
    except OSError:
        return removed
    for p in candidates:
        m = _TEMP_RE.search(p.name)
        if m is None or _alive(int(m.group(1))):
            continue
        with contextlib.suppress(OSError):
            if p.is_dir() and not p.is_symlink():
                shutil.rmtree(p)
            else:
                p.unlink()
            removed.append(p)
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OverflowError:
        return False
    return True


def _sidecars(tmp: str) -> list[str]:
    return [tmp + s for s in ("-journal", "-wal", "-shm", ".aux.xml")]


def _remove(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


def _replace(tmp: str, target: Path) -> None:
    journal = _JOURNAL.get()
    try:
        os.chmod(tmp, 0o644)
        if journal is not None:
            journal.append((target, _backup(target)))
        os.replace(tmp, target)
    except OSError as exc:
        raise OutputError(_message(target, exc)) from None


def _backup(target: Path) -> str | None:
    """A hard link to the current ``target`` (None if it does not exist), to undo a rename."""
    if not target.exists():
        return None
    fd, backup = _temp_beside(target, suffix=".bak")
    os.close(fd)
    os.unlink(backup)
    os.link(target, backup)
    return backup


_JOURNAL: contextvars.ContextVar[list[tuple[Path, str | None]] | None] = contextvars.ContextVar(
    "isipo_geo_output_journal", default=None
)


@contextlib.contextmanager
def output_transaction() -> Iterator[None]:
    """Make every file written inside the block (by any writer of this module) appear together:
    if the block fails, files it already replaced get their previous content back and files it
    created are removed. For commands with several outputs (a table and a budget plan)."""
    journal: list[tuple[Path, str | None]] = []
    token = _JOURNAL.set(journal)
    try:
        yield
    except BaseException:
        for target, backup in reversed(journal):
            if backup is not None:
                with contextlib.suppress(OSError):
                    os.replace(backup, target)
            else:
                _remove(str(target))
        raise
    else:
        for _, backup in journal:
            if backup is not None:
                _remove(backup)
    finally:
        _JOURNAL.reset(token)


@contextlib.contextmanager
def staged_folder(folder: str | os.PathLike[str]) -> Iterator[Path]:
    """A staging folder beside ``folder`` for a command that writes many files (``build``).

    The block writes everything into the staging folder; only when it succeeds are the files
    moved into ``folder`` (each by an atomic rename, subfolders kept), so a failed or killed
    run leaves ``folder`` with the previous build, never a mix. Files of ``folder`` the build
    does not write (e.g. a registry kept there) are left alone. The staging folder is removed
    on every exit path, and one left by a killed run is swept by the next.
    """
    # absolute, so that "." (or "..") has a name and a parent for the stage
    target = Path(os.path.abspath(folder))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        sweep_stale(target)
        stage = Path(
            tempfile.mkdtemp(
                dir=target.parent, prefix=f".{target.name}{_TAG}{os.getpid()}_", suffix=".stage"
            )
        )
    except OSError as exc:
        raise OutputError(_message(target, exc)) from None
    # The files are written into STAGE/NAME, a folder with the target's own name, so that
    # anything derived from the folder's name (an embed snippet's src="maps/...") is right.
    inner = stage / target.name
    try:
        with _translated(target):
            inner.mkdir()
            yield inner
            for src in sorted(p for p in inner.rglob("*") if not p.is_dir()):
                dst = target / src.relative_to(inner)
                dst.parent.mkdir(parents=True, exist_ok=True)
                os.replace(src, dst)
    finally:
        shutil.rmtree(stage, ignore_errors=True)


@contextlib.contextmanager
def output_lock(folder: str | os.PathLike[str], *, command: str = "isipo-geo") -> Iterator[None]:
    """Keep a second run from writing into ``folder`` while this one does.

    A second run that wants the same folder is refused at once with one clear line (it never
    mixes its files with the first run's). The lock is an ``flock`` on a file named after the
    folder's real path in the system's temporary folder (``isipo-geo-locks/``), so the user's
    folder gets no extra file and the kernel releases the lock when a run dies, even by SIGKILL.

    Raises
    ------
    OutputError
        Another run holds the lock.
    """
    import fcntl
    import hashlib

    folder = Path(folder)
    real = os.path.realpath(folder)
    digest = hashlib.sha1(real.encode("utf-8", "surrogateescape")).hexdigest()[:20]
    locks = Path(tempfile.gettempdir()) / "isipo-geo-locks"
    try:
        if not locks.is_dir():
            locks.mkdir(exist_ok=True)
            with contextlib.suppress(OSError):  # shared by every user, like /tmp itself
                os.chmod(locks, 0o1777)
        fd = os.open(locks / f"{digest}.lock", os.O_RDWR | os.O_CREAT, 0o666)
    except OSError:
        yield  # no lock possible (e.g. no temporary folder): run unlocked rather than refuse
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = os.pread(fd, 300, 0).decode("utf-8", "replace").strip() or "another run"
            raise OutputError(message("folder_busy", folder=str(folder), holder=holder)) from None
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{command} (pid {os.getpid()})".encode(), 0)
        yield
    finally:
        os.close(fd)
