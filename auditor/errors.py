"""The tool's own exceptions.

Everything the library raises on purpose is an :class:`AuditorError`; the CLI turns each into
one line on stderr and exit code 2, so a user never sees a traceback for bad input.
"""


class AuditorError(Exception):
    """Base class: a problem the user can fix (bad input, bad option, bad policy pack)."""


class ExportFormatError(AuditorError):
    """The input is not a readable export, or a file in it is not in the expected format."""


class UnsafeArchiveError(ExportFormatError):
    """The archive could harm the machine if extracted (path traversal, bomb, link outside)."""


class UnknownPlatformError(ExportFormatError):
    """No importer recognises the input."""


class PolicyError(AuditorError):
    """A policy pack is missing, malformed or refers to something that does not exist."""


class OutputError(AuditorError):
    """The report cannot be written where the user asked."""


def brief(e: BaseException) -> str:
    """The first line of an exception's message (its type when it has none), at most 160
    characters: what a one-line error shows of a library's exception."""
    text = str(e).strip() or type(e).__name__
    return text.splitlines()[0][:160]
