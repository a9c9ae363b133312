/**
 * Experiments of Wang, Chauhan, Wang, Hsieh, <i>Universality and Limitations of Prompt Tuning</i> (NeurIPS 2023).
 * E10 ({@link org.ptlab.lab.wang2023.E10RealModelExperiment}) runs the paper's §7 comparison on the one real
 * pretrained transformer and real data reachable offline: all-MiniLM-L6-v2 on the UCI sentiment sentences. Its run
 * parameters are {@code E10Point}; {@code E10Data} (splits), {@code E10Methods} (what each method trains),
 * {@code E10Run} (one training run), {@code SpectralNorm} (the prompt's norm), {@code E10Claims} and
 * {@code E10Figures}. Its accuracy comparisons are tests only with ≥ 3 seeds per config (else observations).
 * Naming: see {@code org.ptlab.lab}.
 */
package org.ptlab.lab.wang2023;
