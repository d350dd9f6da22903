"""Which stations in a cache are views of the buffer above, and which need a
buffer of their own.

A station in a cache (a hardware-managed memory) is a view unless the schedule
packs it (`StatementPlan.packed`) or, for an input, the cache could not keep
it as one: when the block spans more pages than the cache's TLB translates
(every row a TLB miss, which the prefetchers do not cross), or when its lines
crowd one of the cache's sets past its ways (rows a power-of-two stride apart
share a few sets). Such a block is packed into a contiguous buffer, as BLIS
packs its panels. An output is not packed by these rules: its block is added
back at every reduction step it leaves, which a packed copy would repeat.

Each block is judged alone. Adding up the crowding of all the views in a cache
(as if every tensor started on the same set) was tried during development,
beside register-file changes since dropped: it ruled out the larger L1 blocks
that pay, and the scheduler chose slower programs (1024^3 on cpu_avx512: 0.48x
OpenBLAS against 0.72x judging each block alone, separate runs, one machine).
"""

from __future__ import annotations

from collections.abc import Sequence

from isamapper_dialect.hardware_spec import HardwareSpec
from isamapper_dialect.strided_box import most_in_one_set, pages_spanned


def keeps_view(
    memory: str,
    element_bytes: int,
    box: Sequence[tuple[int, int, int]],
    hardware: HardwareSpec,
) -> bool:
    """Whether cache `memory` can keep an input's block as a view of `box` (size,
    stride above, stride here per dimension): its pages fit the cache's TLB and
    its lines crowd no set past the cache's ways."""
    dims = [(size, stride) for size, stride, _ in box]
    tlb = hardware.tlb_of(memory)
    if tlb is not None and pages_spanned(dims, element_bytes, tlb[1]) > tlb[0]:
        return False
    geometry = hardware.geometry_of(memory)
    return geometry is None or most_in_one_set(dims, element_bytes, geometry) <= geometry[1]
