/**
 * Experiments of Hu et al. 2025 (spec {@code hu2025.md}). E9
 * ({@link org.ptlab.lab.hu2025.E9FastPromptAttentionExperiment}): fast prompt attention by the polynomial method and its phase transition in the norm of the prompt-induced keys
 * and queries. Its run parameters are {@code E9Point} (one record per part); the parts live in {@code E9Accuracy}
 * (error vs degree, random features), {@code E9Scaling} and {@code E9Timing} (time vs n), {@code E9Transition}
 * (the B sweep), {@code E9Gradient} (the same for the gradient), {@code E9Constrained} with {@code E9PlantedHead}
 * (norm-constrained prompt tuning) and {@code E9Data}, with {@code E9Claims} and {@code E9Figures}. The experiment
 * runs at constant head size, so above the threshold it shows the polynomial method's own blow-up, not the SETH
 * lower bound (which needs d = Θ(log n)). E6 ({@link org.ptlab.lab.hu2025.E6UniversalityExperiment}): the
 * one-layer, one-head universality construction of §2, built and verified — {@code E6Runs} (exact memorization,
 * d_p vs δ, the size table vs Wang et al.'s orders), {@code E6Precision} (E6b, the float64 limit, "not run" points
 * with their predicted cost), {@code E6Training} (E6c, prompt tuning from random prompts on the constructed model),
 * {@code E6Claims}, {@code E6Report} (figures); its parameters are
 * still config maps with a {@code part} key (no {@code E6Point} yet). E8
 * ({@link org.ptlab.lab.hu2025.E8CapacityExperiment}): memorization capacity by training (§2, Thm 2.3) on random
 * one-layer models as the prompt grows — {@code E8Point} (its parameters), {@code E8Capacity} (data with random
 * labels, the doubling-then-bisection search, the Adam fits, the quantized-prompt check), {@code E8Claims},
 * {@code E8Figures}; the counting bound it is compared with holds only for prompts on a δ_P grid. The algorithms are in {@code org.ptlab.theory.hu2025}; this package only
 * measures and draws. Naming: see {@code org.ptlab.lab}.
 */
package org.ptlab.lab.hu2025;
