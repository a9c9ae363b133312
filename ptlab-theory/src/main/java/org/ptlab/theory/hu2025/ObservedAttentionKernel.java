package org.ptlab.theory.hu2025;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.ptlab.nn.attention.AttentionKernel;

/**
 * An attention kernel whose every call produces a {@link KernelDecision}: which path ran, why, and the certified
 * bound. Observable three ways: {@link #addListener}, {@link #lastDecision()}, and the {@code System.Logger}
 * "org.ptlab.theory.hu2025.attention" (DEBUG for every call, INFO when the path changes).
 */
public abstract class ObservedAttentionKernel implements AttentionKernel {
  private static final System.Logger LOG = System.getLogger("org.ptlab.theory.hu2025.attention");

  private final List<Consumer<KernelDecision>> listeners = new CopyOnWriteArrayList<>();
  private volatile KernelDecision last;

  /** Calls {@code listener} with the decision of every later call (from the calling thread). Returns this. */
  public ObservedAttentionKernel addListener(Consumer<KernelDecision> listener) {
    listeners.add(listener);
    return this;
  }

  /** The decision of the most recent call on any thread, or null before the first. */
  public KernelDecision lastDecision() {
    return last;
  }

  protected void publish(KernelDecision d) {
    KernelDecision previous = last;
    last = d;
    boolean changed = previous == null || !previous.path().equals(d.path());
    LOG.log(changed ? Level.INFO : Level.DEBUG, d::toString);
    for (Consumer<KernelDecision> l : listeners) l.accept(d);
  }
}
