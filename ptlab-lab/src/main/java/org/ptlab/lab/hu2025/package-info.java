/**
 * Experiments of Hu et al. 2025 (spec {@code hu2025.md}). E9 ({@link org.ptlab.lab.hu2025.E9FastPromptAttentionExperiment}):
 * fast prompt attention by the polynomial method and its phase transition in the norm of the prompt-induced keys
 * and queries. Its parts live in {@code E9Accuracy} (error vs degree, random features), {@code E9Scaling} (time vs n),
 * {@code E9Transition} (the B sweep), {@code E9Gradient} (the same for the gradient), with {@code E9Claims} and
 * {@code E9Figures}. The algorithms are in {@code org.ptlab.theory.hu2025}; this package only measures and draws.
 */
package org.ptlab.lab.hu2025;
