/**
 * Constructions and certificates of both papers, one package per paper: {@code hu2025} (the polynomial-method
 * prompt attention and its kernels, the prompt norm constraint; the universality construction) and
 * {@code wang2023} (the limitation certificates and the meta-transformer). Each claim is one class with a numeric
 * test; the experiments that plot them live in {@code ptlab-lab}. Shared by both: {@link org.ptlab.theory.Certificate}
 * (what every certificate returns, in the shape {@code ptlab certify --json} prints) and
 * {@link org.ptlab.theory.SpectralNorms} (spectral norms, singular values and symmetric eigendecompositions by
 * EJML: the one place for them).
 */
package org.ptlab.theory;
