"""How every isamapper tool reports a bug of ours: one message, no traceback."""

from __future__ import annotations

import os
import sys


def report_internal_error(tool: str, error: Exception) -> int:
    """Say that `tool` hit a bug of ours, without a traceback unless
    ISAMAPPER_TRACEBACK is set (then re-raise); the exit status to use."""
    if os.environ.get("ISAMAPPER_TRACEBACK"):
        raise error
    print(
        f"{tool}: internal error: {type(error).__name__}: {error}\n"
        "Please report it with the input; ISAMAPPER_TRACEBACK=1 shows the traceback.",
        file=sys.stderr,
    )
    return 2
