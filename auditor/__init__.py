"""Separation Auditor: find where political commentary sits next to a work-identified profile.

The public API is small: :func:`auditor.audit.run_audit` takes export paths and a policy pack
and returns an :class:`auditor.models.AuditResult`; :mod:`auditor.report` renders it.
"""

__version__ = "0.1.0"
