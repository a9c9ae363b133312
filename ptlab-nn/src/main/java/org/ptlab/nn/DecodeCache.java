package org.ptlab.nn;

import org.ptlab.tensor.Tensor;

/**
 * What a causal model keeps between decoding steps ({@link Transformer#decode}): every layer's keys and values so
 * far, [B, T_c, h·s] after projection (a prefix adapter's keys and values first), and how many positions the
 * sequence has used (soft-prompt rows included, prefix keys not: they have no position). Made empty by
 * {@link Transformer#newDecodeCache}; the first {@code decode} call fills it with the prefix and the prompt.
 *
 * <p>Not thread-safe, and tied to one model and one set of hooks: start a new cache for another adapter.
 */
public final class DecodeCache {
  private final Tensor[] keys;
  private final Tensor[] values;
  private int positions;
  private boolean started;

  DecodeCache(int layers) {
    this.keys = new Tensor[layers];
    this.values = new Tensor[layers];
  }

  /** Positions used so far: the soft prompt's rows and every token read, not prefix keys. */
  public int positions() {
    return positions;
  }

  /** Whether the first {@code decode} call (the one that places the prefix and the soft prompt) has run. */
  public boolean started() {
    return started;
  }

  /** Starts the sequence: layer l begins with the prefix keys and values of {@code hooks} (expanded to B rows). */
  void start(ForwardHooks hooks, int batch) {
    for (int l = 0; l < keys.length; l++) {
      Tensor[] kv = hooks.prefix(l);
      if (kv == null) continue;
      int mp = kv[0].dim(0);
      keys[l] = kv[0].expand(batch, mp, kv[0].dim(1)).copy(); // [B, m_p, h·s]
      values[l] = kv[1].expand(batch, mp, kv[1].dim(1)).copy();
    }
    started = true;
  }

  /** Appends the new keys and values of {@code layer} ([B, t, h·s]) and returns all of them, [B, T_c + t, h·s]. */
  Tensor[] append(int layer, Tensor k, Tensor v) {
    keys[layer] = keys[layer] == null ? k : Tensor.concat(1, keys[layer], k);
    values[layer] = values[layer] == null ? v : Tensor.concat(1, values[layer], v);
    return new Tensor[] {keys[layer], values[layer]};
  }

  /** Records that {@code t} more positions were read. */
  void advance(int t) {
    positions += t;
  }
}
