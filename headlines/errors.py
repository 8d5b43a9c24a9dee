"""The exceptions the library raises; cli.py turns them into one-line errors and exit codes.

Covers: the error classes and the exit code each maps to, and the warning about a parameter
the library changed. Does not cover: printing or
exiting, which only cli.py does.
"""

from __future__ import annotations


class HeadlinesError(Exception):
    """Base class of every error the library raises on purpose; exit code 1."""

    exit_code = 1


class InputError(HeadlinesError):
    """The user's input (a feed, a CSV, an option value, a model file) is unusable; exit code 2.

    The message names the bad file or value and, where there is one, the fix:
    ``data/x.csv: no column 'headline' (columns: title, topic); pass --text-column title``.
    """

    exit_code = 2


class ModelError(InputError):
    """A model file is missing, damaged, of another format version, or does not match its card."""


class _NamesAParameter(Exception):
    """A message about a parameter, named as Python calls it in the library and as the
    command line calls it there: ``top_k -1: use 0 or more`` is shown as ``--top-k -1: use 0
    or more``. ``message`` holds ``{name}`` where the name goes."""

    def __init__(self, param: str, message: str) -> None:
        self.param = param
        self.template = message
        super().__init__(message.replace("{name}", param))

    def naming(self, option: str) -> str:
        """The message with ``option`` in place of the parameter's name."""
        return self.template.replace("{name}", option)


class OptionError(_NamesAParameter, InputError):
    """A parameter's value is unusable (see :class:`_NamesAParameter` for its message)."""


class OptionWarning(_NamesAParameter, UserWarning):
    """A parameter's value was replaced by one that works, such as ``jobs`` capped at the
    cores there are (see :class:`_NamesAParameter` for its message)."""
