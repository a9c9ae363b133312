/**
 * Constructions and certificates of both papers, one package per paper ({@code wang2023}, {@code hu2025}).
 */
package org.ptlab.theory;
