"""Optional packages: import one where it is needed, or say in one line how to install it.

Covers: the extras of ``pip install 'headlines[...]'`` that the Python API, Parquet and Dask
use (pandas, pyarrow, dask), imported only inside the functions that need them, so that
``headlines`` itself runs without any of them. Does not cover: what they are used for
(frames.py, feeds/parquet.py, output.py, cluster.py).

``require("pyarrow.parquet", "parquet", "reading Parquet")`` -> the module, or
HeadlinesError("reading Parquet needs pyarrow; pip install 'headlines[parquet]'")
"""

from __future__ import annotations

import importlib
from types import ModuleType

from .errors import HeadlinesError


def install_command(extra: str) -> str:
    """``install_command("dask") -> "pip install 'headlines[dask]'"``"""
    return f"pip install 'headlines[{extra}]'"


def require(module: str, extra: str, purpose: str) -> ModuleType:
    """The module ``module``, or a one-line error naming what needs it and the extra to install.

    A missing optional package is not the user's input at fault: exit code 1, as for any
    missing optional package (the skops model format, evaluate --plot).
    """
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        missing = (exc.name or module).partition(".")[0]
        raise HeadlinesError(f"{purpose} needs {missing}; {install_command(extra)}") from None
