"""Print HTML pages to PDF with the headless Chromium (or Chrome/Edge) found on the machine.

One browser prints every page: :func:`print_pdfs` starts it once and drives it through the
Chrome DevTools protocol over a pipe (``--remote-debugging-pipe``: JSON messages ended by a NUL
byte on file descriptors 3 and 4), so no Python package beyond the standard library is needed
and no port is opened. Pages are printed with their own ``@page`` size (A4 for the briefs) and
backgrounds; the text stays text (Persian shaped by the browser, selectable in the PDF).

On Windows, where a pipe cannot be handed to the browser that way, each page is printed by its
own browser with ``--print-to-pdf`` (slower, same PDFs).

Chromium is looked for in ``$ISIPO_CHROMIUM``, then ``chromium``, ``chromium-browser``,
``google-chrome``, ``google-chrome-stable``, ``microsoft-edge`` on the ``PATH`` (and Chrome's and
Edge's usual folders on Windows); without one,
:func:`print_pdfs` raises :class:`isipo_geo.errors.DataFileError` with one line saying what to
install.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from isipo_geo.errors import DataFileError, OutputError
from isipo_geo.io import atomic_write
from isipo_geo.messages import message

NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "microsoft-edge")
ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-extensions",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-default-browser-check",
    "--mute-audio",
    "--remote-debugging-pipe",
)
TIMEOUT_S = 60.0
WINDOWS_PATHS = (  # where Chrome and Edge install themselves on Windows
    r"C:\Program Files\Google\Chrome\Application\chrome.exe",
    r"C:\Program Files (x86)\Google\Chrome\Application\chrome.exe",
    r"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe",
    r"C:\Program Files\Microsoft\Edge\Application\msedge.exe",
)
# Before printing: fonts loaded, and the page told it is printed (as Ctrl+P would).
PREPARE = "document.fonts.ready.then(() => { dispatchEvent(new Event('beforeprint')); return 1; })"


def find_chromium() -> str | None:
    """Find the Chromium or Chrome executable to print with.

    ``$ISIPO_CHROMIUM`` when set, else ``chromium``, ``chromium-browser``, ``google-chrome``
    ... on the ``PATH``, else (on Windows) Chrome's and Edge's usual folders.

    Returns
    -------
    str or None
        The executable's path, or None when there is none (or ``$ISIPO_CHROMIUM`` is not a
        file).
    """
    given = os.environ.get("ISIPO_CHROMIUM", "").strip()
    if given:
        return given if Path(given).is_file() else None
    for name in NAMES:
        found = shutil.which(name)
        if found:
            return found
    for path in WINDOWS_PATHS if os.name == "nt" else ():
        if Path(path).is_file():
            return path
    return None


def require_chromium() -> str:
    """Return :func:`find_chromium`'s executable, or raise one clear error saying what to install.

    Returns
    -------
    str
        The executable's path.

    Raises
    ------
    DataFileError
        No Chromium/Chrome was found.
    """
    found = find_chromium()
    given = os.environ.get("ISIPO_CHROMIUM", "").strip()
    if found is None and given:
        raise DataFileError(message("chromium_env_not_a_file", given=given))
    if found is None:
        raise DataFileError(message("chromium_missing"))
    return found


class _Browser:
    """A headless Chromium driven over ``--remote-debugging-pipe`` (state: process, pipes)."""

    def __init__(self, executable: str) -> None:
        self._profile = tempfile.TemporaryDirectory(prefix="isipo-chromium-")
        cmd_r, self._cmd_w = os.pipe()  # we write commands; the browser reads fd 3
        self._res_r, res_w = os.pipe()  # the browser writes answers on fd 4

        def fds() -> None:  # runs in the child before exec
            os.dup2(cmd_r, 3)
            os.dup2(res_w, 4)

        try:
            self._proc = subprocess.Popen(
                [executable, *ARGS, f"--user-data-dir={self._profile.name}", "about:blank"],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                preexec_fn=fds,  # noqa: PLW1509 - no threads here; dup2 only
                pass_fds=(3, 4),
            )
        except OSError as exc:
            self._profile.cleanup()
            raise DataFileError(message("chromium_cannot_start", executable=executable,
                                            exc=exc)) from None
        finally:
            os.close(cmd_r)
            os.close(res_w)
        self._next = 0
        self._buffer = b""
        self.events: list[dict[str, Any]] = []

    def send(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        """Send one command and wait for its answer (events met meanwhile are kept)."""
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._cmd_w, json.dumps(message).encode("utf-8") + b"\0")
        while True:
            reply = self._read()
            if reply.get("id") == self._next:
                if "error" in reply:
                    why = reply["error"].get("message")
                    raise OutputError(message("chromium_failed", method=method, why=why))
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method: str, session: str) -> dict:
        """Wait for an event of a session (one already received counts)."""
        while True:
            for i, event in enumerate(self.events):
                if event.get("method") == method and event.get("sessionId") == session:
                    return self.events.pop(i)
            self.events.append(self._read())

    def _read(self) -> dict:
        deadline = time.monotonic() + TIMEOUT_S
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([self._res_r], [], [], max(0.0, left))
            if not ready:
                raise OutputError(message("chromium_timeout", seconds=round(TIMEOUT_S)))
            chunk = os.read(self._res_r, 1 << 20)
            if not chunk:
                raise OutputError(message("chromium_stopped"))
            self._buffer += chunk
        reply, _, self._buffer = self._buffer.partition(b"\0")
        return json.loads(reply)

    def close(self) -> None:
        try:
            if self._proc.poll() is None:
                with contextlib.suppress(OSError, OutputError):
                    self.send("Browser.close")
                try:
                    self._proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self._proc.kill()
                    self._proc.wait()
        finally:
            os.close(self._cmd_w)
            os.close(self._res_r)
            self._profile.cleanup()


def print_pdfs(
    pages: Sequence[tuple[Path, Path]],
    *,
    executable: str | None = None,
    progress: Callable[[Path], None] | None = None,
    one_by_one: bool | None = None,
) -> list[Path]:
    """Print each HTML file to its PDF with one headless Chromium.

    Parameters
    ----------
    pages : sequence of (pathlib.Path, pathlib.Path)
        ``(html, pdf)`` pairs; each PDF is written atomically.
    executable : str, optional
        The browser; by default :func:`require_chromium`.
    progress : callable, optional
        Called with each PDF's path once written.
    one_by_one : bool, optional
        Start one browser per page with ``--print-to-pdf`` instead of driving one over a pipe
        (slower); the default on Windows, which cannot hand a pipe to the browser this way.

    Returns
    -------
    list of pathlib.Path
        The PDFs written (A4, selectable text), in the order of ``pages``.

    Raises
    ------
    DataFileError
        No Chromium/Chrome was found, or it cannot start.
    OutputError
        The browser failed or stopped answering, or a PDF cannot be written.
    """
    if not pages:
        return []
    executable = executable or require_chromium()
    if one_by_one if one_by_one is not None else os.name != "posix":
        return _print_one_by_one(pages, executable, progress)
    browser = _Browser(executable)
    written = []
    try:
        target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        browser.send("Page.enable", session=session)
        for html, pdf in pages:
            browser.send("Page.navigate", {"url": Path(html).resolve().as_uri()}, session)
            browser.wait_for("Page.loadEventFired", session)
            browser.send(
                "Runtime.evaluate",
                {"expression": PREPARE, "awaitPromise": True},
                session,
            )
            result = browser.send(
                "Page.printToPDF",
                {"printBackground": True, "preferCSSPageSize": True},
                session,
            )
            with atomic_write(pdf, mode="wb") as f:
                f.write(base64.b64decode(result["data"]))
            written.append(Path(pdf))
            if progress is not None:
                progress(Path(pdf))
    finally:
        browser.close()
    return written


def _print_one_by_one(
    pages: Sequence[tuple[Path, Path]],
    executable: str,
    progress: Callable[[Path], None] | None,
) -> list[Path]:
    """Print with ``--print-to-pdf``, one browser per page (Windows, where the pipe of
    :class:`_Browser` is not available): slower, same PDFs."""
    written = []
    for html, pdf in pages:
        with tempfile.TemporaryDirectory(prefix="isipo-chromium-") as profile:
            out = Path(profile) / "page.pdf"
            args = [a for a in ARGS if a != "--remote-debugging-pipe"]
            cmd = [
                executable,
                *args,
                f"--user-data-dir={profile}",
                "--no-pdf-header-footer",
                "--virtual-time-budget=10000",
                f"--print-to-pdf={out}",
                Path(html).resolve().as_uri(),
            ]
            try:
                subprocess.run(cmd, capture_output=True, timeout=TIMEOUT_S, check=False)
            except (OSError, subprocess.TimeoutExpired) as exc:
                raise OutputError(message("chromium_could_not_print", executable=executable,
                                                  html=html, exc=exc)) from None
            if not out.is_file():
                raise OutputError(message("chromium_no_pdf", executable=executable, html=html))
            with atomic_write(pdf, mode="wb") as f:
                f.write(out.read_bytes())
        written.append(Path(pdf))
        if progress is not None:
            progress(Path(pdf))
    return written
