package org.ptlab.theory.hu2025;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.ptlab.nn.attention.AttentionKernel;

/**
 * An attention kernel whose every call produces a {@link KernelDecision}: which path ran, why, and the certified
 * bound. Observable three ways: {@link #addListener}, {@link #lastDecision()}, and the {@code System.Logger}
 * "org.ptlab.theory.hu2025.attention" (DEBUG for every call, INFO for the first call of this kernel on each path, so
 * a run logs at most two lines, not one per call or per change of path).
 */
public abstract class ObservedAttentionKernel implements AttentionKernel {
  private static final System.Logger LOG = System.getLogger("org.ptlab.theory.hu2025.attention");

  private final List<Consumer<KernelDecision>> listeners = new CopyOnWriteArrayList<>();
  private volatile KernelDecision last;
  private final Set<String> kinds = ConcurrentHashMap.newKeySet();

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
    last = d;
    boolean fresh = kinds.add(d.path());
    LOG.log(fresh ? Level.INFO : Level.DEBUG, d::toString);
    for (Consumer<KernelDecision> l : listeners) l.accept(d);
  }
}
