/**
 * Wang, Chauhan, Wang, Hsieh, <i>Universality and Limitations of Prompt Tuning</i> (NeurIPS 2023): the
 * limitation results as library code (spec {@code shared/spec/wang2023.md} §1.7, §2.2, §3). Every class states
 * one claim, its assumptions and its markers ([V] read in the paper, [R] recalled, [D] derived here and checked
 * numerically; everything below is [D] unless a class says otherwise). All arithmetic is float64.
 *
 * <p><b>Convention.</b> Tokens are rows, as everywhere in PTLab: an input X is {@code double[m][d]}, a prompt P is
 * {@code double[m_p][d]}, a dataset is {@code inputs[n][m][d]} with {@code targets[n][m][d]}. The paper writes tokens
 * as columns (X ∈ R^{d×m}); its formulas read the same here with W·x for a weight W stored [out][in].
 *
 * <table>
 *   <caption>Notation (paper symbol → meaning here)</caption>
 *   <tr><td>m, m_p</td><td>input length, prompt length</td></tr>
 *   <tr><td>d, r</td><td>token width (dModel), MLP hidden width (mlpHidden)</td></tr>
 *   <tr><td>P, X</td><td>prompt rows, input rows; the prompt is prepended, outputs are read at the inputs</td></tr>
 *   <tr><td>W_q, W_k, W_v, W_o; W = W_o·W_v</td><td>one head's projections; the score scale is explicit</td></tr>
 *   <tr><td>λ</td><td>Z_P/(Z_P + Z_X), the softmax mass a query puts on the prompt ({@link
 *       org.ptlab.theory.wang2023.AttentionDecomposition})</td></tr>
 *   <tr><td>a, b_i</td><td>Att(x_0, P) and Att(x_0, X_i) (spec §2.2)</td></tr>
 *   <tr><td>W1, W2</td><td>MLP weights [r][d] and [d][r]; MLP(z) = z + W2·ReLU(W1·z + b1) + b2</td></tr>
 *   <tr><td>b1, b2 (MLP)</td><td>the MLP biases, named β1, β2 in code because b_1, b_2 name attention outputs</td></tr>
 *   <tr><td>ℓ</td><td>‖W2‖₂·‖W1‖₂, computed; ℓ &lt; 1 certifies the residual MLP injective</td></tr>
 *   <tr><td>u_i, α</td><td>the shift of the target pre-image at x_0; α its size in the construction</td></tr>
 *   <tr><td>s_i</td><td>1/λ_i ∈ [1, ∞), the variable of the exact infimum</td></tr>
 *   <tr><td>c_k</td><td>MLP⁻¹(y_k) − x_k, what the attention must add at position k (spec §3)</td></tr>
 * </table>
 *
 * <p><b>Certificates</b> return a {@link org.ptlab.theory.Certificate} (name, applies, value, unit,
 * reason, positions, details) that {@code ptlab certify --json} prints: {@code shared-token-loss-bound}
 * ({@link org.ptlab.theory.wang2023.SharedTokenLossBound}), {@code prompt-length-bound} (a necessary condition
 * only: {@link org.ptlab.theory.wang2023.PromptLengthNecessaryCondition}), {@code prompt-length-loss-bound}
 * ({@link org.ptlab.theory.wang2023.PromptLengthLossBound}) and {@code exact-lora-update}
 * ({@link org.ptlab.theory.wang2023.ExactLoraUpdate}). {@link org.ptlab.theory.wang2023.SharedTokenConstruction}
 * builds the model and data of {@code ptlab construct shared-token}. Loss values are the paper's sum of squared
 * errors; {@code details.eval_loss} divides by (input positions × d), the units of {@code ptlab eval}.
 *
 * <p>Not here: the Lipschitz and invertibility bounds of the multi-layer result (spec §4), file formats (the CLI
 * writes model folders and data files), and the experiments ({@code ptlab-lab}).
 */
package org.ptlab.theory.wang2023;
