/**
 * Hu, Wang, Gilani, Li, Song, Liu, "Fundamental Limits of Prompt Tuning Transformers: Universality, Capacity and
 * Efficiency" (ICLR 2025, arXiv 2411.16525): §3 of the paper / §4 of {@code spec/hu2025.md}, the efficiency side
 * (prompt-tuning attention runs in almost linear time exactly when the soft-prompt-induced keys and queries are
 * small, B = o(√log n)), and §2 of the paper / §2–3 of the spec, universality and memorization by prompt tuning,
 * built as ordinary PTLab transformers.
 *
 * <p><b>Convention.</b> Tokens are rows (PTLab's tensors are [batch, seq, dim]); the paper writes tokens as
 * columns, X ∈ R^{d×L}. So the paper's K_p = W_K X_p ∈ R^{s×n} is {@code K = X_p·W_K} [n, s] here, and its
 * column-wise softmax is a row-wise one. Everything is float64.
 *
 * <p><b>What lives here.</b>
 * <ul>
 *   <li>{@link org.ptlab.theory.hu2025.PolynomialAttention}: the Alman–Song polynomial method, its plan
 *       ({@link org.ptlab.theory.hu2025.PolyPlan}: R, ε, degree) and result with the certified bound
 *       ({@link org.ptlab.theory.hu2025.PolyResult}); {@link org.ptlab.theory.hu2025.ExpApprox} (Taylor/Chebyshev
 *       approximations of e^t with certificates), {@link org.ptlab.theory.hu2025.Monomials} (the tight feature map),
 *       {@link org.ptlab.theory.hu2025.ValueBox} (V's box and ‖V‖_max for the plan and the guard).
 *   <li>{@link org.ptlab.theory.hu2025.FastAttentionGradient}: the almost-linear backward (§4.5) with
 *       {@link org.ptlab.theory.hu2025.RowKronecker}; certified in {@link org.ptlab.theory.hu2025.AttentionGradient}.
 *   <li>{@link org.ptlab.theory.hu2025.PolynomialAttentionKernel} ("polynomial") and
 *       {@link org.ptlab.theory.hu2025.AutoAttentionKernel} ("auto"): {@code ptlab-nn}'s AttentionKernel, with
 *       observable {@link org.ptlab.theory.hu2025.KernelDecision}s and a {@link org.ptlab.theory.hu2025.CostModel}.
 *   <li>{@link org.ptlab.theory.hu2025.Regime}: the regime classifier; {@link org.ptlab.theory.hu2025.PromptAttentionLayer}:
 *       the frozen block τ of §1.2 under prompt tuning (the APTI instance);
 *       {@link org.ptlab.theory.hu2025.RandomFeatureAttention}: the FAVOR+ baseline;
 *       {@link org.ptlab.theory.hu2025.ExactAttention}: the exact reference.
 *   <li>{@link org.ptlab.theory.hu2025.PromptNormConstraint}: norm-constrained prompt tuning, keeping the layer-1
 *       prompt-involved exponent range R ≤ R_max by a projection after every optimizer step (a trainer
 *       {@code StepConstraint}).
 *   <li>Universality (§2.2, all [D]): {@link org.ptlab.theory.hu2025.UniversalConstruction} builds one
 *       {@code Transformer} (positions, an attention-free quantizer block, one head of size 1, a lookup MLP) and one
 *       prompt per member of a {@link org.ptlab.theory.hu2025.QuantizedFamily}, verified on every grid cell
 *       ({@link org.ptlab.theory.hu2025.UniversalResult}; {@code forTarget} builds for one target,
 *       {@link org.ptlab.theory.hu2025.UniversalBuild}). Its parts: {@link org.ptlab.theory.hu2025.StaircaseQuantizer}
 *       (FF_1), {@link org.ptlab.theory.hu2025.BoltzmannContextualMapping} (rank 1 only: the paper's any-rank
 *       statement was not recovered), {@link org.ptlab.theory.hu2025.InterpolationLookup} (FF_2),
 *       {@link org.ptlab.theory.hu2025.TokenSeparation} (U5), {@link org.ptlab.theory.hu2025.FeedForwardWeights};
 *       sizes that do not fit are refused up front. {@link org.ptlab.theory.hu2025.LipschitzTargets} draws the
 *       random C-Lipschitz targets the error-vs-δ checks (U2, E6) use.
 * </ul>
 * Not here: the experiment E9 ({@code org.ptlab.lab.hu2025}), the benchmark ({@code ptlab bench attention} in
 * ptlab-bench), Wang et al.'s hardmax meta-transformer ({@code org.ptlab.theory.wang2023}).
 *
 * <p><b>Status of the formulas.</b> The spec tags items [V] read, [C] from the same group's companion paper,
 * [R] recalled, [D] derived and checked numerically. The following are [D] and are the implementation spec, not the
 * paper's wording: the tight feature map and its count C(s+g, g); the degree rules (Taylor tail ≤ ε·e^{−R},
 * Chebyshev remainder) and the float64 rounding allowance; the output bound 2ε/(1−ε)·‖V‖_max; the prompt gradient
 * formulas of §4.5 and their error bound; the regime labels; the E1 reduction layer; the prompt-range certificate
 * R̂ and its projection; the whole universality construction (quantizer with the residual cancelled, rank-1
 * contextual map and its (u, β) search, the interpolation lookup, integer positional shifts, the counting L_p).
 *
 * <p><b>Notation</b> (paper symbol → code):
 * <table>
 *   <caption>Symbols of spec hu2025.md §1, §4 and their names in this package</caption>
 *   <tr><th>paper</th><th>code</th><th>meaning</th></tr>
 *   <tr><td>d</td><td>{@code d}</td><td>token (embedding) dimension</td></tr>
 *   <tr><td>s</td><td>{@code s}</td><td>head size: columns of Q and K (AS23 write d for it)</td></tr>
 *   <tr><td>L, L_p, n = L_p + L</td><td>{@code L}, {@code Lp}, {@code n}/{@code nk}</td><td>input length, prompt
 *       length, attention length (keys)</td></tr>
 *   <tr><td>nq</td><td>{@code nq}</td><td>query rows: L (prediction rows only) or n</td></tr>
 *   <tr><td>P, X, X_p = [P, X]</td><td>{@code p} [L_p, d], {@code x} [L, d], {@code inputs(p, x)} [n, d]</td>
 *       <td>soft prompt, input, prompted input (rows)</td></tr>
 *   <tr><td>W_K, W_Q, W_V, W_O</td><td>{@code wk}, {@code wq}, {@code wv} [d, s], {@code wo} [s, d]</td>
 *       <td>frozen attention weights (transposed: rows act on tokens)</td></tr>
 *   <tr><td>K_p, Q_p, V_p</td><td>{@code k} [n, s], {@code q} [nq, s], {@code v} [n, dv]</td><td>soft-prompt-induced
 *       keys, queries, values</td></tr>
 *   <tr><td>B, B_K, B_Q</td><td>{@code bK}, {@code bQ}</td><td>‖K‖_max, ‖Q‖_max</td></tr>
 *   <tr><td>R</td><td>{@code range}</td><td>exponent range: bound on max |scale·q_i·k_j|</td></tr>
 *   <tr><td>A = exp(QKᵀ), D, Att</td><td>{@link org.ptlab.theory.hu2025.ExactAttention}</td><td>kernel matrix, row
 *       sums, D⁻¹AV</td></tr>
 *   <tr><td>g, P(t) = Σ a_j t^j</td><td>{@code degree}, {@code coeffs}</td><td>polynomial approximation of e^t</td></tr>
 *   <tr><td>ε</td><td>{@code eps}</td><td>target relative error of Ã against A</td></tr>
 *   <tr><td>ε_g</td><td>{@code relError()}</td><td>certified relative error of the chosen degree</td></tr>
 *   <tr><td>r, U_1, U_2</td><td>{@code rank}, rows φ(q_i), ψ(k_j)</td><td>features: Ã = U_1U_2ᵀ</td></tr>
 *   <tr><td>α, c_α</td><td>{@link org.ptlab.theory.hu2025.Monomials}</td><td>multi-index, weight a_{|α|}|α|!/α!</td></tr>
 *   <tr><td>w̃ = D̃1</td><td>{@code denominators}</td><td>approximate row sums U_1(U_2ᵀ1)</td></tr>
 *   <tr><td>T</td><td>{@code out}</td><td>the approximate attention D̃⁻¹ÃV</td></tr>
 *   <tr><td>δ_F</td><td>{@code tolerance}</td><td>max-norm output error asked for</td></tr>
 *   <tr><td>⊘</td><td>{@link org.ptlab.theory.hu2025.RowKronecker}</td><td>row-wise Kronecker product</td></tr>
 *   <tr><td>G = ∂ℓ/∂O, ρ</td><td>{@code g}, {@code rho}</td><td>output gradient, ρ_i = G_i·O_i</td></tr>
 *   <tr><td>δ, δ_out, δ_P</td><td>{@code delta()}, {@code deltaOut()}, {@code deltaP()} (1/{@code levels},
 *       1/{@code outLevels}, 1/{@code promptLevels})</td><td>input grid, output grid, prompt grid (§2.2)</td></tr>
 *   <tr><td>M, F̄, |F̄|</td><td>{@code cells()}, {@code member(i)}, {@code familySize()}</td><td>grid cells, the
 *       quantized family, its size (1/δ_out)^{dL·M}</td></tr>
 *   <tr><td>P_f̄</td><td>{@code promptCode(i)} [L_p, d]</td><td>a member's prompt: the digits of its index</td></tr>
 *   <tr><td>u, β, a_j = u·z_j, t_k</td><td>{@code u}, {@code beta}, ids</td><td>rank-1 contextual map and context
 *       ids t_k = a_k + boltz_{βa_k}(a)</td></tr>
 *   <tr><td>η</td><td>{@code ETA_FRACTION}·δ</td><td>width of each quantizer step's ramp</td></tr>
 * </table>
 */
package org.ptlab.theory.hu2025;
