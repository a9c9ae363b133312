/**
 * Experiments of Wang, Chauhan, Wang, Hsieh, <i>Universality and Limitations of Prompt Tuning</i> (NeurIPS 2023).
 * The paper reports no numbers for E1–E5 (spec wang2023.md §5.2); each experiment says so and shows ours, every
 * claim measured next to the certificate of {@code org.ptlab.theory.wang2023} it checks. All of E1–E5 are [D]
 * (the spec's derived versions of the paper's results).
 *
 * <ul>
 *   <li>E1 {@link org.ptlab.lab.wang2023.E1SharedTokenExperiment}: the shared-token dataset; prompt tuning (every
 *       length, init, lr) against {@code SharedTokenLossBound}; the exact ΔW2, a trained rank-2 LoRA on mlp_out and
 *       full fine-tuning fit it.
 *   <li>E2 {@link org.ptlab.lab.wang2023.E2ParameterCountExperiment}: final loss vs trainable parameters (as
 *       counted) for prompts and LoRA on single-token datasets, with the necessary condition m_p ≥ n and the
 *       Eckart–Young loss bound.
 *   <li>E3 {@link org.ptlab.lab.wang2023.E3InvertibilityExperiment}: a causal 3-layer model scaled to a certified
 *       κ > 0; prompt tuning (prompts projected into the certified ball) on a non-injective dataset and a control;
 *       fixed-point inversion error per iteration against its bound ({@code E3Training}, {@code E3Inversion}).
 *   <li>E4 {@link org.ptlab.lab.wang2023.E4LipschitzExperiment}: the Lipschitz bound (spec and tight forms) against
 *       the largest gain {@code ObservedGain} finds, in ‖·‖_{∞,2}, over D and m.
 *   <li>E5 {@link org.ptlab.lab.wang2023.E5PromptNormExperiment}: the prompt's norm while memorizing: a non-injective
 *       target on E3's contractive model ({@code E5Contractive}) and MiniLM on real sentences with random labels
 *       ({@code E5MiniLm}).
 *   <li>E7 {@link org.ptlab.lab.wang2023.E7MetaTransformerExperiment}: the §4 universality construction (the
 *       hardmax meta-transformer at d = m = 1, δ = 1/4): every quantized function reproduced, d_p against Lδ(dm)^{1/p},
 *       and softmax approaching hardmax as the score scale λ grows. Parameters {@code E7Point} (one record per part),
 *       runs {@code E7Runs}, with {@code E7Claims} and {@code E7Figures}.
 *   <li>E10 {@link org.ptlab.lab.wang2023.E10RealModelExperiment}: the paper's §7 comparison on the one real
 *       pretrained transformer and real data reachable offline: all-MiniLM-L6-v2 on the UCI sentiment sentences. Its
 *       run parameters are {@code E10Point}; {@code E10Data} (splits), {@code E10Methods} (what each method trains),
 *       {@code E10Run} (one training run), {@code E10Claims} and
 *       {@code E10Figures}. Its accuracy comparisons are tests only with ≥ 3 seeds per config (else observations).
 * </ul>
 *
 * <p>Shared by E1–E5: {@code ArrayTuning} trains PTLab's tuning methods with PTLab's {@code Trainer} on the
 * plain-array datasets of the theory package (full batch, Adam; losses in the trainer's units, MSE over
 * positions·d, which is what the certificates' {@code eval_loss} uses), {@code WangClaims} and {@code WangFigures}
 * hold the measurement and figure helpers. Each experiment's run parameters are its {@code EkPoint}. Naming: see
 * {@code org.ptlab.lab}.
 */
package org.ptlab.lab.wang2023;
