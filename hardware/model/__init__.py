"""The accelerator model: runs `accel` programs functionally and for time.

Functional: buffers are numpy arrays; `accel.copy` moves its strided box,
`accel.exec` applies the instruction's own `isa.compute` semantics
(`evaluate_statement`) to strided views of its tiles.

Timing: every transfer engine and every compute unit has a timeline. A copy
starts when its engine is free, its source is ready and its destination slot
is no longer read; it occupies the engine for bytes / bandwidth and completes
`latency` later. Transfers are queued ahead of the computation (a decoupled
access/execute machine): only their data and buffer slots order them.
An execution starts when a unit of its kind is free and its tiles are ready;
it occupies the unit for `interval` and its result is ready `latency` later.
`accel.wait` holds the executions (not the transfer queues) until its tokens
complete. The program's time is the last completion.

Timing-only mode skips the arithmetic, times execution-only nests as one
batch (exactly as op by op) and fast-forwards loops: once the
iterations of a period (1 to `fast_forward.longest_period` iterations: the 8 a
buffer's slots rotate over at most, or the most units of one kind, which
executions rotate over) change every clock and counter by the same amounts as
the period before, the remaining ones are added at once.

One concern per module: `machine` (state and statistics), `accel_ops` (the
`@impl`s of the accel ops), `op_facts` (what each op's runs share, looked
up once), `loop_nest` (the compiler of innermost loop nests), `exec_batch`
(execution-only nests timed as one batch), `exec_arith` (their index
arithmetic over arrays) and `exec_timing` (the units' queue of a batch),
`fast_forward` (the periodic-repeat detection), `run` (`run_program`), and
`isa_interpreter` (the reference interpreter of `isa.kernel`).
"""
