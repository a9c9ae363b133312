/**
 * The attention-kernel interface the transformer calls ({@link org.ptlab.nn.attention.AttentionKernel}) and the
 * exact kernel. Fast kernels that live higher up (polynomial-method attention in {@code ptlab-theory}) implement
 * it; the model never depends on them.
 */
package org.ptlab.nn.attention;
