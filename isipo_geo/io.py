"""File writing shared by every output of isipo-geo: atomic, so a reader never sees half a file."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from isipo_geo.errors import OutputError


@contextlib.contextmanager
def atomic_write(
    path: str | os.PathLike[str],
    *,
    mode: str = "w",
    encoding: str | None = "utf-8",
    newline: str | None = None,
) -> Iterator[IO[Any]]:
    """Open a temporary file beside ``path``; on success it replaces ``path`` in one step.

    If the block raises, the temporary file is removed and ``path`` is left as it was.

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
    fd, tmp = _temp_beside(target, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(
            fd, mode, encoding=None if binary else encoding, newline=None if binary else newline
        ) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        _replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _temp_beside(target: Path, *, prefix: str, suffix: str) -> tuple[int, str]:
    """A temporary file in the target's folder (created if missing); OutputError if it cannot be."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        return tempfile.mkstemp(dir=target.parent, prefix=prefix, suffix=suffix)
    except OSError as exc:
        raise OutputError(
            f"cannot write {target}: {exc.strerror or exc}; choose another output path"
        ) from None


def _replace(tmp: str, target: Path) -> None:
    try:
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except OSError as exc:
        raise OutputError(
            f"cannot write {target}: {exc.strerror or exc}; choose another output path"
        ) from None


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """A temporary path beside ``path`` for libraries that write by file name (GeoPackage,
    GeoTIFF, XLSX); it replaces ``path`` when the block succeeds and is removed otherwise."""
    target = Path(path)
    fd, tmp = _temp_beside(target, prefix=f".{target.stem}.", suffix=target.suffix)
    os.close(fd)
    os.unlink(tmp)  # libraries such as GDAL refuse to write over an existing empty file
    try:
        yield Path(tmp)
        _replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
