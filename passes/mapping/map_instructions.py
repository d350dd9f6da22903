"""`isa-map-instructions`: attach every legal instruction mapping to each statement.

Precondition: a verified module holding `isa.kernel`s and, unless
`hardware-file` is given, the target `isa.hardware`.

For every `isa.compute` of every kernel and every instruction of the target,
the pass enumerates the legal mappings (see legality.py and enumeration.py) and sets
the statement's `mappings` attribute to them, instructions in the hardware's
order and, within one instruction, best utilisation first. A statement with no
mapping on any instruction makes the pass fail with, per instruction, the
reason it does not fit.

Options:
  target=NAME           the `isa.hardware` to map onto (needed when there are several)
  hardware-file=PATH    load the hardware from this file, or a shipped description
                        by name (nnp, systolic, cpu_avx2); it is copied into the
                        module (unless one of that name is already there)
  max-candidates=N      bound on the candidates tried per statement and
                        instruction (default 20000); past it the pass fails
  check-soundness=true  run every candidate tile by tile on random data and
                        compare with the statement's reference semantics (slow;
                        for debugging the mapper)
  statistics=true       print candidate counts and times per statement to stderr
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from xdsl.context import Context
from xdsl.dialects.builtin import ArrayAttr, ModuleOp
from xdsl.ir import Operation
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import (
    PatternRewriter,
    PatternRewriteWalker,
    RewritePattern,
    op_type_rewrite_pattern,
)
from xdsl.utils.exceptions import PassFailedException

from isamapper_dialect.compute_op import MAPPINGS, ComputeOp
from isamapper_dialect.hardware_ops import HardwareOp
from isamapper_dialect.instruction_op import InstructionOp
from isamapper_dialect.kernel_op import KernelOp
from isamapper_dialect.mapping_attr import MappingAttr
from isamapper_dialect.parsing import InputError, parse_module
from isamapper_dialect.shipped_hardware import resolve_hardware, shipped_hardware
from isamapper_passes.mapping.enumeration import (
    DEFAULT_MAX_CANDIDATES,
    TooManyCandidates,
    enumerate_mappings,
)
from isamapper_passes.mapping.from_ir import instruction_spec, statement_spec
from isamapper_passes.mapping.soundness import UnsoundMapping, check_mapping
from isamapper_passes.mapping.specs import InstructionSpec
from isamapper_passes.statement_error import StatementError


@dataclass
class AttachMappings(RewritePattern):
    """Set the `mappings` attribute of each kernel statement."""

    instructions: list[InstructionSpec]
    max_candidates: int
    check_soundness: bool
    statistics: bool
    failures: list[StatementError] = field(default_factory=list)

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: ComputeOp, rewriter: PatternRewriter) -> None:
        kernel = op.parent_op()
        if not isinstance(kernel, KernelOp):
            return
        statement = statement_spec(op)
        start = time.perf_counter()
        found: list[MappingAttr] = []
        reasons: list[str] = []
        counts: list[str] = []
        for spec in self.instructions:
            try:
                search = enumerate_mappings(statement, spec, self.max_candidates)
            except TooManyCandidates as error:
                self.failures.append(
                    StatementError(
                        op,
                        f"isa-map-instructions: {error}; the bound is "
                        f"max-candidates={self.max_candidates} "
                        "(raise it, or split the statement)",
                    )
                )
                return
            if self.check_soundness:
                for mapping in search.mappings:
                    try:
                        check_mapping(statement, spec, mapping)
                    except UnsoundMapping as error:
                        self.failures.append(
                            StatementError(op, f"isa-map-instructions: unsound mapping: {error}")
                        )
                        return
            found += (MappingAttr(m) for m in search.mappings)
            if search.mappings:
                counts.append(f"@{spec.name}: {len(search.mappings)}")
            if search.failure is not None:
                reasons.append(f"@{spec.name}: {search.failure}")
        if self.statistics:
            print(
                f"isa-map-instructions: @{kernel.sym_name.data} statement "
                f"{kernel.statements.index(op)}: {len(found)} "
                f"candidate{'' if len(found) == 1 else 's'} "
                f"({', '.join(counts)}) in {1e3 * (time.perf_counter() - start):.1f} ms",
                file=sys.stderr,
            )
        if not found:
            self.failures.append(
                StatementError(
                    op,
                    f"isa-map-instructions: the statement has no mapping on "
                    f"@{self.instructions[0].hardware}:\n  " + "\n  ".join(reasons),
                )
            )
            return
        mappings = ArrayAttr(found)
        if op.attributes.get(MAPPINGS) != mappings:
            op.attributes[MAPPINGS] = mappings
            rewriter.notify_op_modified(op)


def _select(
    hardwares: list[HardwareOp], target: str | None, where: str, hint: str = ""
) -> HardwareOp:
    names = ", ".join(f"@{h.sym_name.data}" for h in hardwares)
    if target is not None:
        for hardware in hardwares:
            if hardware.sym_name.data == target.removeprefix("@"):
                return hardware
        raise PassFailedException(
            f"isa-map-instructions: no isa.hardware @{target.removeprefix('@')} in {where}"
            + (f" (it has {names})" if hardwares else "")
        )
    if not hardwares:
        raise PassFailedException(f"isa-map-instructions: {where} has no isa.hardware{hint}")
    if len(hardwares) > 1:
        raise PassFailedException(
            f"isa-map-instructions: {where} has several isa.hardware ({names}); "
            "choose one with target=NAME"
        )
    return hardwares[0]


def _hardwares(op: Operation) -> list[HardwareOp]:
    return [child for child in op.walk() if isinstance(child, HardwareOp)]


def load_target(module: ModuleOp, target: str | None, hardware_file: str | None) -> HardwareOp:
    """The hardware to map onto; one loaded from a file is copied into `module`."""
    if hardware_file is None:
        return _select(
            _hardwares(module),
            target,
            "the module",
            "; give one with hardware-file=PATH or put one in the module",
        )
    try:
        loaded = parse_module(resolve_hardware(hardware_file))
    except InputError as error:
        hint = ""
        if Path(hardware_file).parent == Path():  # a bare name: perhaps a shipped one
            hint = f" (not a file, nor a shipped description: {', '.join(shipped_hardware())})"
        raise PassFailedException(f"isa-map-instructions: {error}{hint}") from None
    hardware = _select(_hardwares(loaded), target, hardware_file)
    for existing in _hardwares(module):
        if existing.sym_name == hardware.sym_name:
            if str(existing) != str(hardware):
                raise PassFailedException(
                    f"isa-map-instructions: the module already has an isa.hardware "
                    f"@{hardware.sym_name.data} that differs from the one in {hardware_file}"
                )
            return existing
    copy = hardware.clone()
    module.body.block.add_op(copy)
    return copy


@dataclass(frozen=True)
class MapInstructionsPass(ModulePass):
    """Attach every legal mapping of the target's instructions to each statement."""

    name = "isa-map-instructions"

    target: str | None = None
    hardware_file: str | None = None
    max_candidates: int = DEFAULT_MAX_CANDIDATES
    check_soundness: bool = False
    statistics: bool = False

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        if self.max_candidates < 1:
            raise PassFailedException(
                f"isa-map-instructions: max-candidates={self.max_candidates}; the bound must "
                "be at least 1"
            )
        if self.hardware_file == "":
            raise PassFailedException(
                'isa-map-instructions: hardware-file="" names no file; give the path of a '
                "hardware description, or leave the option out to use the module's isa.hardware"
            )
        hardware = load_target(op, self.target, self.hardware_file)
        if not hardware.ops_of(InstructionOp):
            raise PassFailedException(
                f"isa-map-instructions: @{hardware.sym_name.data} has no isa.instruction "
                "to map onto"
            )
        pattern = AttachMappings(
            [instruction_spec(i, hardware) for i in hardware.ops_of(InstructionOp)],
            self.max_candidates,
            self.check_soundness,
            self.statistics,
        )
        PatternRewriteWalker(pattern, apply_recursively=False).rewrite_module(op)
        if pattern.failures:
            raise pattern.failures[0]
