/**
 * The engine's core: {@link org.ptlab.tensor.Tensor} (dense, row-major, float64/float32), shapes, and the
 * define-by-run reverse-mode autograd ({@code Node}, {@link org.ptlab.tensor.Backward},
 * {@link org.ptlab.tensor.GradMode}).
 *
 * <p>What is not here: the ops themselves ({@code org.ptlab.tensor.ops}, one family per file, forward and backward
 * side by side), array kernels ({@code .kernel}), optimizers ({@code .optim}) and the seeded generator
 * ({@code .random}). Layers and models live in {@code ptlab-nn}.
 *
 * <p>Broadcasting (add, sub, mul, div, maskedFill) follows numpy: shapes align at the last axis and a dim of 1
 * repeats. Both operands of an op must share a dtype; convert with {@code to(DType)}.
 */
package org.ptlab.tensor;
