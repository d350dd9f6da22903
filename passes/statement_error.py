"""The error a pass raises about one operation, so tools can point at its source line."""

from __future__ import annotations

from xdsl.ir import Operation
from xdsl.utils.exceptions import PassFailedException


class StatementError(PassFailedException):
    """A pass failure caused by `op`; the message is a complete explanation."""

    def __init__(self, op: Operation, message: str):
        super().__init__(message)
        self.op = op
        self.message = message
