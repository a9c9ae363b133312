package org.ptlab.tensor.ops;

import org.ptlab.tensor.Shape;

/**
 * How an input of shape {@code in} sits inside a broadcast output of shape {@code out} (numpy rules: shapes are
 * aligned at the last axis, a dim of 1 repeats). Three layouts, from fastest to general:
 * <ul>
 *   <li>{@link #FULL}: same number of elements as the output, read in order;
 *   <li>{@link #SUFFIX}: the input equals the trailing dims of the output (a bias [N] in [B,T,N]), repeated;
 *   <li>{@link #GENERAL}: anything else, through an index map.
 * </ul>
 */
final class Broadcast {
  static final int FULL = 0;
  static final int SUFFIX = 1;
  static final int GENERAL = 2;

  private Broadcast() {}

  /** The layout of {@code in} ({@code inNumel} elements) inside {@code out} ({@code outNumel}). */
  static int layout(int[] in, int inNumel, int[] out, int outNumel) {
    if (inNumel == outNumel) return FULL;
    // strip leading 1s, then the rest must equal the trailing dims of out
    int lead = 0;
    while (lead < in.length && in[lead] == 1) lead++;
    int k = in.length - lead;
    if (k == 0) return GENERAL; // a scalar: rare on hot paths, which use add(double)/mul(double)
    if (k > out.length) return GENERAL;
    for (int i = 0; i < k; i++) {
      if (in[lead + i] != out[out.length - k + i]) return GENERAL;
    }
    return SUFFIX;
  }

  /** For each output element, the flat index of the input element it reads. */
  static int[] indexMap(int[] in, int[] out) {
    int[] strides = Shape.broadcastStrides(in, out);
    int total = Shape.numel(out);
    int[] map = new int[total];
    int rank = out.length;
    int[] idx = new int[rank];
    int pos = 0;
    for (int i = 0; i < total; i++) {
      map[i] = pos;
      for (int ax = rank - 1; ax >= 0; ax--) {
        idx[ax]++;
        pos += strides[ax];
        if (idx[ax] < out[ax]) break;
        pos -= strides[ax] * out[ax];
        idx[ax] = 0;
      }
    }
    return map;
  }
}
