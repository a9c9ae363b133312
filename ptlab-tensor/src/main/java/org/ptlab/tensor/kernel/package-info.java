/**
 * Array-level kernels: the matmul ({@link org.ptlab.tensor.kernel.MatMulKernelF32},
 * {@link org.ptlab.tensor.kernel.MatMulKernelF64}: packing, Vector API register blocking, multithreaded above a
 * work threshold), vectorized element-wise loops and reductions, the layer norm's row sums in a fixed four-lane
 * order ({@link org.ptlab.tensor.kernel.RowSums4}), exp and Φ from exact lane-wise operations only
 * ({@code VectorMathF32}, {@code VectorMathF64}: the same bits interpreted and compiled), exact attention over long
 * rows with short heads ({@code AttentionRowsF64}), the products of tiny float64 attention heads without the matmul
 * kernel's dispatch ({@code SmallHeadProducts}), the fixed thread pool {@link org.ptlab.tensor.kernel.Parallel}, and
 * {@link org.ptlab.tensor.kernel.JitQuiet}, the warm-up step for anything that times these kernels (run until the JIT
 * has stopped compiling: a background compile takes a core from the timed runs).
 *
 * <p>Kernels take {@code (inputs…, out)} arrays with offsets, modify only their output, and do not allocate on
 * the hot path (packing buffers are per-thread scratch). No autograd and no shapes here: ops in
 * {@code org.ptlab.tensor.ops} check shapes and call in. Work is split over output tiles only, never across a
 * dot product, so results do not depend on the thread count.
 */
package org.ptlab.tensor.kernel;
