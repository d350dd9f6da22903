"""`isamapper-opt`: `xdsl-opt` with isamapper's dialects and passes, and errors
reported as one located message (exit status 1) instead of a traceback.

It takes every `xdsl-opt` option; e.g.
    isamapper-opt kernel.mlir -p 'isa-map-instructions{hardware-file="hardware/nnp.mlir"}'
"""

from __future__ import annotations

import sys
from typing import IO

from xdsl.dialects.builtin import ModuleOp
from xdsl.ir import Operation
from xdsl.utils.exceptions import ArgSpecParseError, DiagnosticException, ParseError
from xdsl.xdsl_opt_main import xDSLOptMain

from isamapper_dialect.parsing import (
    InputError,
    LocatingParser,
    located_message,
    verify_located,
)
from isamapper_passes.statement_error import StatementError
from isamapper_tools.internal_error import report_internal_error


class IsamapperOptMain(xDSLOptMain):
    """xdsl-opt whose parser remembers where each operation starts, and that reads
    upstream mlir-opt's linalg and memref forms."""

    positions: dict[Operation, int]
    source: str
    module: ModuleOp | None = None
    line_offset: int = 0

    def parse_chunk(
        self, chunk: IO[bytes], file_extension: str, start_offset: int = 0
    ) -> ModuleOp | None:
        self.line_offset = start_offset
        return super().parse_chunk(chunk, file_extension, start_offset)

    def register_all_dialects(self) -> None:
        """Every dialect `xdsl-opt` knows, with linalg and memref replaced by the
        versions that read upstream mlir-opt's forms (e.g. the depthwise convolution)."""
        from xdsl.universe import Universe

        from isamapper_dialect.registry import UPSTREAM_DIALECTS

        dialects = {**Universe.get_multiverse().all_dialects, **UPSTREAM_DIALECTS}
        for name, factory in dialects.items():
            self.ctx.register_dialect(name, factory)

    def register_all_frontends(self) -> None:
        super().register_all_frontends()
        self.positions = {}
        self.source = ""

        def parse_mlir(io: IO[bytes]):
            self.source = io.read().decode()
            parser = LocatingParser(self.ctx, self.source, self.get_input_name())
            module = parser.parse_module(not self.args.no_implicit_module)
            self.positions = parser.positions
            self.module = module
            return module

        self.available_frontends["mlir"] = parse_mlir

    def describe(self, error: DiagnosticException | ParseError) -> str:
        """The message for a failed run, located at the statement when known."""
        if isinstance(error, StatementError) and error.op in self.positions:
            return located_message(
                self.source,
                self.get_input_name(),
                self.positions[error.op],
                error.message,
                self.line_offset,
            )
        if isinstance(error, ParseError):
            return f"parse error at {error}".rstrip()
        if self.module is not None:
            try:
                verify_located(self.module, self.source, self.get_input_name(), self.positions)
            except InputError as located:
                return str(located)
        return str(error).split("\n\n")[0]


def main() -> None:
    """Console-script entry point."""
    try:
        # The pass pipeline (-p) is parsed here; xDSL reports a bad one as ValueError.
        tool = IsamapperOptMain(description=__doc__)
    except (ValueError, ArgSpecParseError) as error:
        print(f"isamapper-opt: bad pass pipeline: {error}", file=sys.stderr)
        sys.exit(1)
    try:
        tool.run()
    except (DiagnosticException, ParseError) as error:
        print(f"isamapper-opt: {tool.describe(error)}", file=sys.stderr)
        sys.exit(1)
    except NotImplementedError as error:
        # xDSL's parser raises this for input it cannot represent (e.g. `d0 * d1`).
        print(f"isamapper-opt: parse error in {tool.get_input_name()}: {error}", file=sys.stderr)
        sys.exit(1)
    except Exception as error:  # a bug of ours: still no traceback unless asked for
        sys.exit(report_internal_error("isamapper-opt", error))


if __name__ == "__main__":
    main()
