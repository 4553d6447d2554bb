"""``auditor app``: the same audit as a local web page, for people who never open a terminal.

:func:`~auditor.app.launch.serve` binds 127.0.0.1 only, prints ``Open http://127.0.0.1:PORT/?token=...``
as its first line and serves :class:`~auditor.app.server.AuditApp` (Starlette on uvicorn, imported
only by this command). See :mod:`auditor.app.launch`.
"""

from auditor.app.launch import default_report_dir, main, serve

__all__ = ["default_report_dir", "main", "serve"]
