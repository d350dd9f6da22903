"""isamapper's dialects by name, each a function that imports it on demand (so
registering them with xdsl-opt or a context costs nothing until they are used)."""

from collections.abc import Callable

from xdsl.ir import Dialect


def _isa_dialect() -> Dialect:
    from isamapper_dialect.isa import ISA

    return ISA


def _accel_dialect() -> Dialect:
    from isamapper_dialect.accel import ACCEL

    return ACCEL


DIALECTS: dict[str, Callable[[], Dialect]] = {"isa": _isa_dialect, "accel": _accel_dialect}


def _linalg_dialect() -> Dialect:
    from isamapper_dialect.upstream_dialects import linalg_dialect

    return linalg_dialect()


def _memref_dialect() -> Dialect:
    from isamapper_dialect.upstream_dialects import memref_dialect

    return memref_dialect()


UPSTREAM_DIALECTS: dict[str, Callable[[], Dialect]] = {
    "linalg": _linalg_dialect,
    "memref": _memref_dialect,
}
"""Replacements for xDSL's own `linalg` and `memref` that read upstream mlir-opt's
forms (see isamapper_dialect/upstream_dialects.py). Not part of the universe (a
universe cannot replace a dialect xDSL registers): `isamapper-opt` and
`isamapper_dialect.parsing.make_context` register them instead of xDSL's."""
