/**
 * Constructions and certificates of both papers, one package per paper: {@code hu2025} (the polynomial-method
 * prompt attention and its kernels, the prompt norm constraint; the universality construction) and
 * {@code wang2023} (the limitation certificates and the meta-transformer). Each claim is one class with a numeric
 * test; the experiments that plot them live in {@code ptlab-lab}.
 */
package org.ptlab.theory;
