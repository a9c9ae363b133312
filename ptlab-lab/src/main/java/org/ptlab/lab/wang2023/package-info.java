/**
 * Experiments of Wang, Chauhan, Wang, Hsieh, <i>Universality and Limitations of Prompt Tuning</i> (NeurIPS 2023).
 * E10 ({@link org.ptlab.lab.wang2023.E10RealModelExperiment}) runs the paper's §7 comparison on the one real
 * pretrained transformer and real data reachable offline: all-MiniLM-L6-v2 on the UCI sentiment sentences. Its run
 * parameters are {@code E10Point}; {@code E10Data} (splits), {@code E10Methods} (what each method trains),
 * {@code E10Run} (one training run), {@code SpectralNorm} (the prompt's norm), {@code E10Claims} and
 * {@code E10Figures}. Its accuracy comparisons are tests only with ≥ 3 seeds per config (else observations).
 * E7 ({@link org.ptlab.lab.wang2023.E7MetaTransformerExperiment}) measures the §4 universality construction, the
 * hardmax meta-transformer of {@code org.ptlab.theory.wang2023.MetaTransformerConstruction} at d = m = 1, δ = 1/4
 * (check C7, [D]): every quantized function reproduced off cell boundaries, d_2 to Lipschitz targets, softmax vs
 * hardmax as the score scale λ grows. Its parameters are {@code E7Point} (one record per part), its runs
 * {@code E7Runs}, with {@code E7Claims} and {@code E7Figures}.
 * Naming: see {@code org.ptlab.lab}.
 */
package org.ptlab.lab.wang2023;
