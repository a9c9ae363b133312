/**
 * Experiments of Hu et al. 2025 (spec {@code hu2025.md}). E9
 * ({@link org.ptlab.lab.hu2025.E9FastPromptAttentionExperiment}): fast prompt attention by the polynomial method and its phase transition in the norm of the prompt-induced keys
 * and queries. Its run parameters are {@code E9Point} (one record per part); the parts live in {@code E9Accuracy}
 * (error vs degree, random features), {@code E9Scaling} and {@code E9Timing} (time vs n), {@code E9Transition}
 * (the B sweep), {@code E9Gradient} (the same for the gradient), {@code E9Constrained} with {@code E9PlantedHead}
 * (norm-constrained prompt tuning) and {@code E9Data}, with {@code E9Claims} and {@code E9Figures}. The experiment
 * runs at constant head size, so above the threshold it shows the polynomial method's own blow-up, not the SETH
 * lower bound (which needs d = Θ(log n)). The algorithms are in {@code org.ptlab.theory.hu2025}; this package only
 * measures and draws. Naming: see {@code org.ptlab.lab}.
 */
package org.ptlab.lab.hu2025;
