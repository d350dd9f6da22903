"""`isa.kernel` texts generated from workload rows, in two forms.

- *ours*: the computation as a user writes it (NHWC convolutions, GEMMs with
  their transposes, a GRU step's statements over kernel-local buffers), left
  to `isa-map-instructions` and `isa-schedule` to map, tile and fuse;
- *library*: the same computation as a kernel library's calls see it
  (docs/baseline.md): convolution through an explicit im2col buffer, a
  pointwise convolution as a GEMM over 2-D views of the same bytes, a GRU step
  whose hidden state goes through the layer's output in the main memory.

A GRU layer is split in parts that the bench measures separately: the input
projection of all timesteps as one GEMM (`gru_projection`), and `steps`
consecutive time steps (`gru_steps`) reading its rows.
"""

from __future__ import annotations

from isamapper_bench.workloads import ConvLayer, GemmRow, GruRow, MobileNetBlock


def gemm_kernel(row: GemmRow) -> str:
    """`C[i, j] += op(A)[i, k] * op(B)[k, j]` with the row's transposes."""
    m, n, k = row.m, row.n, row.k
    a_shape, a_access = (f"{k}x{m}", "%A[k, i]") if row.a_trans else (f"{m}x{k}", "%A[i, k]")
    b_shape, b_access = (f"{n}x{k}", "%B[j, k]") if row.b_trans else (f"{k}x{n}", "%B[k, j]")
    return (
        f"isa.kernel @gemm(%A : memref<{a_shape}xf32>, %B : memref<{b_shape}xf32>, "
        f"%C : memref<{m}x{n}xf32>) {{\n"
        f"  isa.compute %C[i, j] += {a_access} * {b_access} for i < {m}, j < {n}, k < {k}\n"
        "}\n"
    )


def gru_projection(row: GruRow) -> str:
    """The input projection of every timestep at once: `XW = X W` over
    `timesteps * batch` rows (the gates' three weight blocks side by side)."""
    rows, h = row.timesteps * row.batch, row.hidden
    return (
        f"isa.kernel @gru_projection(%X : memref<{rows}x{h}xf32>, "
        f"%W : memref<{h}x{3 * h}xf32>, %XW : memref<{rows}x{3 * h}xf32>) {{\n"
        f"  isa.compute %XW[m, g] += %X[m, i] * %W[i, g] for m < {rows}, g < {3 * h}, i < {h}\n"
        "}\n"
    )


def gru_recurrent_gemm(row: GruRow) -> str:
    """One step's recurrent GEMM alone (the chain of steps serialises them; the
    bench uses it for the layer's roofline bound)."""
    b, h = row.batch, row.hidden
    return (
        f"isa.kernel @gru_recurrent(%h : memref<{b}x{h}xf32>, %U : memref<{h}x{3 * h}xf32>, "
        f"%HU : memref<{b}x{3 * h}xf32>) {{\n"
        f"  isa.compute %HU[b, g] += %h[b, j] * %U[j, g] for b < {b}, g < {3 * h}, j < {h}\n"
        "}\n"
    )


def gru_steps(row: GruRow, steps: int, library: bool) -> str:
    """`steps` GRU time steps (cuDNN formulation, gates stacked r, z, n):

        r = sigmoid(XW_r + bx_r + h U_r + bh_r)
        z = sigmoid(XW_z + bx_z + h U_z + bh_z)
        n = tanh(XW_n + bx_n + r * (h U_n + bh_n))
        h' = n + z * (h - n)

    Step t reads rows `t*batch..` of the projection `XW` and writes its state
    to the same rows of `H`. Ours keeps each state in a kernel-local buffer
    that the next step reads (and copies it out to `H`); the library form
    writes `H` and reads the previous state back from it."""
    b, h = row.batch, row.hidden
    lines = [
        f"isa.kernel @gru_steps(%XW : memref<{steps * b}x{3 * h}xf32>, "
        f"%h0 : memref<{b}x{h}xf32>, %U : memref<{h}x{3 * h}xf32>, "
        f"%bx : memref<{3 * h}xf32>, %bh : memref<{3 * h}xf32>, "
        f"%H : memref<{steps * b}x{h}xf32>) {{"
    ]
    gates, pair, one = f"b < {b}, g < {3 * h}", f"b < {b}, u < {2 * h}", f"b < {b}, u < {h}"
    for t in range(steps):
        if t == 0:
            previous = "%h0[b, {}]"
        elif library:
            previous = f"%H[b + {(t - 1) * b}, {{}}]"
        else:
            previous = f"%st{t - 1}[b, {{}}]"
        buffers = {
            "HU": 3 * h,
            "XB": 3 * h,
            "HB": 3 * h,
            "S": 2 * h,
            "RZ": 2 * h,
            "RN": h,
            "NP": h,
            "N": h,
            "D": h,
            "E": h,
        }
        if not library:
            buffers["st"] = h
        for name, width in buffers.items():
            lines.append(f"  %{name}{t} = isa.buffer : memref<{b}x{width}xf32>")
        rows = f"b + {t * b}" if t else "b"
        state = f"%st{t}[b, u]" if not library else f"%H[{rows}, u]"
        lines += [
            f"  isa.compute %HU{t}[b, g] += {previous.format('j')} * %U[j, g] "
            f"for b < {b}, g < {3 * h}, j < {h}",
            f"  isa.compute %XB{t}[b, g] = %XW[{rows}, g] + %bx[g] for {gates}",
            f"  isa.compute %HB{t}[b, g] = %HU{t}[b, g] + %bh[g] for {gates}",
            f"  isa.compute %S{t}[b, u] = %XB{t}[b, u] + %HB{t}[b, u] for {pair}",
            f"  isa.compute %RZ{t}[b, u] = sigmoid(%S{t}[b, u]) for {pair}",
            f"  isa.compute %RN{t}[b, u] = %RZ{t}[b, u] * %HB{t}[b, u + {2 * h}] for {one}",
            f"  isa.compute %NP{t}[b, u] = %XB{t}[b, u + {2 * h}] + %RN{t}[b, u] for {one}",
            f"  isa.compute %N{t}[b, u] = tanh(%NP{t}[b, u]) for {one}",
            f"  isa.compute %D{t}[b, u] = {previous.format('u')} - %N{t}[b, u] for {one}",
            f"  isa.compute %E{t}[b, u] = %RZ{t}[b, u + {h}] * %D{t}[b, u] for {one}",
            f"  isa.compute {state} = %N{t}[b, u] + %E{t}[b, u] for {one}",
        ]
        if not library:
            lines.append(f"  isa.compute %H[{rows}, u] = %st{t}[b, u] for {one}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _padded(layer: ConvLayer) -> tuple[int, int]:
    """The stored (already padded) input height and width: the previous layer
    writes the halo, so every access is in bounds."""
    return layer.h_in + 2 * layer.pad, layer.w_in + 2 * layer.pad


def _window(layer: ConvLayer, index: str, tap: str) -> str:
    return f"{layer.stride}*{index} + {tap}" if layer.stride > 1 else f"{index} + {tap}"


def mobilenet_kernel(block: MobileNetBlock, library: bool) -> str:
    """Block 0: a 3x3 convolution then ReLU; blocks 1-13: 3x3 depthwise
    convolution, ReLU, 1x1 pointwise convolution, ReLU (MobileNet v1's
    batch-norm folded into the weights). Ours in NHWC with kernel-local
    intermediates; the library form through im2col / 2-D views."""
    first = block.layers[0]
    hp, wp = _padded(first)
    ho, wo, c = first.h_out, first.w_out, first.c_in
    pixels = ho * wo
    rows = f"{_window(first, 'h', 'r')}, {_window(first, 'w', 's')}"
    image = f"%I : memref<1x{hp}x{wp}x{c}xf32>"
    if first.op == "conv":
        f = first.c_out
        if library:
            taps = 9 * c
            return (
                f"isa.kernel @conv({image}, %F : memref<{taps}x{f}xf32>, "
                f"%O : memref<{pixels}x{f}xf32>) {{\n"
                f"  %COL = isa.buffer : memref<{pixels}x{taps}xf32>\n"
                f"  %P = isa.buffer : memref<{pixels}x{f}xf32>\n"
                f"  isa.compute %COL[{wo}*h + w, {3 * c}*r + {c}*s + c] = %I[0, {rows}, c] "
                f"for h < {ho}, w < {wo}, r < 3, s < 3, c < {c}\n"
                f"  isa.compute %P[m, f] += %COL[m, e] * %F[e, f] "
                f"for m < {pixels}, f < {f}, e < {taps}\n"
                f"  isa.compute %O[m, f] = relu(%P[m, f]) for m < {pixels}, f < {f}\n"
                "}\n"
            )
        space = f"n < 1, h < {ho}, w < {wo}, f < {f}"
        return (
            f"isa.kernel @conv({image}, %F : memref<3x3x{c}x{f}xf32>, "
            f"%O : memref<1x{ho}x{wo}x{f}xf32>) {{\n"
            f"  %P = isa.buffer : memref<1x{ho}x{wo}x{f}xf32>\n"
            f"  isa.compute %P[n, h, w, f] += %I[n, {rows}, c] * %F[r, s, c, f] "
            f"for {space}, r < 3, s < 3, c < {c}\n"
            f"  isa.compute %O[n, h, w, f] = relu(%P[n, h, w, f]) for {space}\n"
            "}\n"
        )
    k = block.layers[1].c_out
    head = (
        f"isa.kernel @dwsep({image}, %Fd : memref<3x3x{c}xf32>, %Wp : memref<{c}x{k}xf32>, "
        f"%O : memref<{'' if library else '1x'}"
    )
    if library:
        return (
            f"{head}{pixels}x{k}xf32>) {{\n"
            f"  %D = isa.buffer : memref<{pixels}x{c}xf32>\n"
            f"  %U = isa.buffer : memref<{pixels}x{c}xf32>\n"
            f"  %P = isa.buffer : memref<{pixels}x{k}xf32>\n"
            f"  isa.compute %D[{wo}*h + w, c] += %I[0, {rows}, c] * %Fd[r, s, c] "
            f"for h < {ho}, w < {wo}, c < {c}, r < 3, s < 3\n"
            f"  isa.compute %U[m, c] = relu(%D[m, c]) for m < {pixels}, c < {c}\n"
            f"  isa.compute %P[m, k] += %U[m, c] * %Wp[c, k] for m < {pixels}, k < {k}, c < {c}\n"
            f"  isa.compute %O[m, k] = relu(%P[m, k]) for m < {pixels}, k < {k}\n"
            "}\n"
        )
    space = f"n < 1, h < {ho}, w < {wo}"
    return (
        f"{head}{ho}x{wo}x{k}xf32>) {{\n"
        f"  %D = isa.buffer : memref<1x{ho}x{wo}x{c}xf32>\n"
        f"  %U = isa.buffer : memref<1x{ho}x{wo}x{c}xf32>\n"
        f"  %P = isa.buffer : memref<1x{ho}x{wo}x{k}xf32>\n"
        f"  isa.compute %D[n, h, w, c] += %I[n, {rows}, c] * %Fd[r, s, c] "
        f"for {space}, c < {c}, r < 3, s < 3\n"
        f"  isa.compute %U[n, h, w, c] = relu(%D[n, h, w, c]) for {space}, c < {c}\n"
        f"  isa.compute %P[n, h, w, k] += %U[n, h, w, c] * %Wp[c, k] "
        f"for {space}, k < {k}, c < {c}\n"
        f"  isa.compute %O[n, h, w, k] = relu(%P[n, h, w, k]) for {space}, k < {k}\n"
        "}\n"
    )
