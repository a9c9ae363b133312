package org.ptlab.nn;

import java.util.Locale;

/**
 * What a {@link TransformerConfig} will allocate, computed from the config alone, so that a size from a flag or a
 * file ({@code --set layers=100000000}, a config.json) is refused before the first tensor exists instead of ending
 * in an out-of-memory error or minutes of GC.
 */
public final class ModelSize {
  /** Java's largest array, a little under 2^31 elements: one tensor cannot hold more. */
  static final long MAX_TENSOR = Integer.MAX_VALUE - 8;

  private ModelSize() {}

  /**
   * The model's parameter count, exactly as {@link Transformer#create} allocates it; {@link Long#MAX_VALUE} when it
   * does not even fit a long (sizes from a hostile file).
   */
  public static long parameters(TransformerConfig c) {
    try {
      return count(c);
    } catch (ArithmeticException overflow) {
      return Long.MAX_VALUE;
    }
  }

  private static long count(TransformerConfig c) {
    long d = c.dModel();
    long n = (long) c.vocabSize() * d + (long) c.typeVocabSize() * d + (c.embeddingNorm() ? 2 * d : 0);
    if (c.positional() == TransformerConfig.Positional.LEARNED) n += (long) c.maxPositions() * d;
    if (c.blocks().isEmpty()) {
      n += Math.multiplyExact(c.layers(), block(c, 0)); // every block alike: no loop over a huge layer count
    } else {
      for (int l = 0; l < c.layers(); l++) n = Math.addExact(n, block(c, l));
    }
    if (c.norm() == TransformerConfig.NormPlacement.PRE) n += 2 * d;
    return Math.addExact(n, switch (c.head()) {
      case CLASSIFY, REGRESS -> d * c.outputs() + c.outputs();
      case LM -> d * c.vocabSize() + c.vocabSize();
      case NONE -> 0L;
    });
  }

  /** Block {@code l}'s parameters: attention (Q, K, V, O) and MLP, each with its layer norm if the config has them. */
  private static long block(TransformerConfig c, int l) {
    long d = c.dModel();
    boolean norms = c.norm() != TransformerConfig.NormPlacement.NONE;
    long n = 0;
    if (c.blockKind(l) != TransformerConfig.BlockKind.MLP) {
      long w = (long) c.heads(l) * c.headSize();
      n += Math.multiplyExact(4 * d, w) + (c.attentionBias() ? 3 * w + d : 0) + (norms ? 2 * d : 0);
    }
    if (c.blockKind(l) != TransformerConfig.BlockKind.ATTENTION) {
      long r = c.mlpHidden(l);
      n += Math.multiplyExact(2 * d, r) + r + d + (norms ? 2 * d : 0);
    }
    return n;
  }

  /** The largest single weight matrix, in elements (it must fit one Java array). */
  static long largestTensor(TransformerConfig c) {
    long d = c.dModel();
    long max = Math.max((long) c.vocabSize() * d, (long) c.maxPositions() * d);
    max = Math.max(max, (long) c.outputs() * d);
    for (int l = 0; l < (c.blocks().isEmpty() ? 1 : c.layers()); l++) {
      max = Math.max(max, Math.max((long) c.heads(l) * c.headSize(), (long) c.mlpHidden(l)) * d); // see parameters
    }
    return max;
  }

  /**
   * Refuses, in one line naming {@code what} and the size it would need, a model whose parameters would take more
   * than half of {@code heapBytes}: the other half is for activations, gradients and the copies a run makes
   * (checkpoints, a trainable head), so a model past it would end in an out-of-memory error mid-run.
   */
  public static void requireFits(TransformerConfig c, long heapBytes, String what) {
    long params = parameters(c);
    long bytes = params > Long.MAX_VALUE / 16 ? -1 : params * c.dtype().bytes(); // -1: beyond any machine
    if (bytes < 0 || bytes > heapBytes / 2) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "%s: the model has %s parameters (%s as %s); "
          + "with working memory it needs about %s, the heap is %s (set PTLAB_HEAP, or choose a smaller model)",
          what, params == Long.MAX_VALUE ? "over 9e18" : String.format(Locale.ROOT, "%,d", params), human(bytes), c.dtype(), human(bytes < 0 ? -1 : 2 * bytes), human(heapBytes)));
    }
    long largest = largestTensor(c);
    if (largest > MAX_TENSOR) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "%s: one weight matrix would have %,d elements; "
          + "a tensor holds at most %,d", what, largest, MAX_TENSOR));
    }
  }

  private static String human(long bytes) {
    if (bytes < 0) return "more than 8 EB";
    return bytes >= 1L << 30 ? String.format(Locale.ROOT, "%.1f GB", bytes / (double) (1L << 30))
        : String.format(Locale.ROOT, "%.1f MB", bytes / (double) (1L << 20));
  }
}
