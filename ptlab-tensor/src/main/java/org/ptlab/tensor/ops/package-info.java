/**
 * Differentiable ops, grouped by family (element-wise binary, unary, GELU's tanh form, reductions, matmul,
 * softmax, losses, norms, reshaping, dropout, fused attention). Each op computes its forward and records, beside it, its local
 * backward rule with {@link org.ptlab.tensor.Tensor#record}. Backward rules run with grad mode off and may use
 * other ops. Every op is gradient-checked in float64 ({@code GradCheckProperties}); fused ops are also checked
 * against their composed twins.
 */
package org.ptlab.tensor.ops;
