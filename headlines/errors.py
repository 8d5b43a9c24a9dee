"""The exceptions the library raises; cli.py turns them into one-line errors and exit codes.

Covers: the error classes and the exit code each maps to. Does not cover: printing or
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


class OptionError(InputError):
    """A parameter's value is unusable. The library's message names the parameter as Python
    calls it; the command line names its option: ``top_k -1: use 0 or more`` is shown as
    ``--top-k -1: use 0 or more``.

    ``message`` holds ``{name}`` where the name goes.
    """

    def __init__(self, param: str, message: str) -> None:
        self.param = param
        self.template = message
        super().__init__(message.replace("{name}", param))

    def naming(self, option: str) -> str:
        """The message with ``option`` in place of the parameter's name."""
        return self.template.replace("{name}", option)
