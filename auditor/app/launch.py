"""``auditor app``: the same audit as a local web page, for people who never open a terminal.

:func:`serve` binds 127.0.0.1 (never another address), prints ``Open http://127.0.0.1:PORT/?token=...``
as its first line, opens the browser unless told not to, and serves :class:`~auditor.app.server.AuditApp`
with uvicorn until Ctrl-C or until no request has come for ``idle_minutes``. The private upload folder
is deleted when it stops, whatever the reason. Starlette and uvicorn are imported only here, so the
other commands never pay for them.
"""

from __future__ import annotations

import signal
import socket
import sys
import threading
import time
from pathlib import Path

import click

from auditor.errors import AuditorError

APP_NAME = "separation-auditor"


def default_report_dir() -> Path:
    """Where the app keeps its report: ``report`` in the user's data folder (platformdirs), e.g.
    ``~/.local/share/separation-auditor/report`` on Linux, ``%LOCALAPPDATA%\\separation-auditor``
    on Windows."""
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "report"


def bind(port: int) -> socket.socket:
    """A listening socket on 127.0.0.1 (``port`` 0: any free port)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.bind(("127.0.0.1", port))
        sock.listen(64)
    except OSError as e:
        sock.close()
        raise AuditorError(f"cannot listen on 127.0.0.1:{port} ({e.strerror}); choose another --port, or "
                           "leave it out to use any free port.") from None
    return sock


def serve(port: int = 0, open_browser: bool = True, idle_minutes: float = 30, out_dir: Path | None = None) -> None:
    """Run the app until Ctrl-C (or SIGTERM) or ``idle_minutes`` without a request."""
    import uvicorn

    from auditor.app.server import AuditApp

    out_dir = out_dir or default_report_dir()
    sock = bind(port)
    port = sock.getsockname()[1]
    app = AuditApp(out_dir, port)
    url = f"http://127.0.0.1:{port}/?token={app.token}"
    click.echo(f"Open {url}")
    click.echo(f"The page runs on this computer only; your report is kept in {out_dir}.\n"
               f"Press Ctrl-C to stop. It stops by itself after {_minutes(idle_minutes)} without use.")
    sys.stdout.flush()
    config = uvicorn.Config(app.asgi, log_level="warning", access_log=False, lifespan="off",
                            server_header=False, timeout_graceful_shutdown=3)
    server = uvicorn.Server(config)
    why: list[str] = []

    def watch() -> None:
        idle = idle_minutes * 60
        while not server.should_exit:
            time.sleep(min(2.0, idle / 4))
            if not app.running() and time.monotonic() - app.last_request > idle:
                why.append(f"no request for {_minutes(idle_minutes)}")
                server.should_exit = True

    def stop(*_: object) -> None:  # SIGTERM: stop as Ctrl-C does, so the uploads are deleted
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop) if threading.current_thread() is threading.main_thread() else None
    threading.Thread(target=watch, name="auditor-app-idle", daemon=True).start()
    if open_browser:
        import webbrowser

        threading.Thread(target=webbrowser.open, args=(_opener(app.temp, url),), name="auditor-app-browser",
                         daemon=True).start()
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        server.should_exit = True
        app.close()
        sock.close()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    click.echo(f"Stopped{': ' + why[0] if why else ''}. The uploaded copies were deleted; your report stays in "
               f"{out_dir}.")


def _opener(folder: Path, url: str) -> str:
    """The address of a private page that forwards the browser to ``url``: the browser is started
    with it, so the token does not show in the list of running programs (as Jupyter does)."""
    import html
    import os

    page = folder / "open.html"
    target = html.escape(url)
    fd = os.open(page, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(f'<!DOCTYPE html><meta charset="utf-8"><meta http-equiv="refresh" content="0;url={target}">'
                 f'<title>Separation Auditor</title><p><a href="{target}">Open Separation Auditor</a></p>\n')
    return page.as_uri()


def main() -> None:
    """The ``auditor-app`` launcher (a GUI script: double-clickable once installed): the app with its
    defaults, in the browser."""
    try:
        serve()
    except AuditorError as e:
        click.echo(f"Error: {e}", err=True)
        sys.exit(2)


def _minutes(m: float) -> str:
    return f"{m:g} minute{'s' if m != 1 else ''}"


__all__ = ["bind", "default_report_dir", "main", "serve"]
