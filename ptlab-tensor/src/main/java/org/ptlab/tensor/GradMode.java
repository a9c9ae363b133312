package org.ptlab.tensor;

/**
 * Per-thread autograd switches, used as try-with-resources scopes.
 *
 * <pre>{@code
 * try (var s = GradMode.noGrad()) { y = model.forward(x); }        // records no graph
 * try (var s = GradMode.detectAnomalies()) { loss.backward(); }   // NaN/inf in a gradient throws, naming the op
 * }</pre>
 *
 * The state is thread-confined (not global), so independent training runs on different threads never see each
 * other's scopes.
 */
public final class GradMode {
  private static final ThreadLocal<int[]> STATE = ThreadLocal.withInitial(() -> new int[2]);
  private static final int NO_GRAD = 0;
  private static final int ANOMALY = 1;

  private GradMode() {}

  /** Whether ops on this thread record a graph. */
  public static boolean enabled() {
    return STATE.get()[NO_GRAD] == 0;
  }

  /** Whether backward on this thread checks every gradient for NaN/inf. */
  public static boolean anomalyDetection() {
    return STATE.get()[ANOMALY] > 0;
  }

  /** Opens a scope in which no graph is recorded. */
  public static Scope noGrad() {
    return enter(NO_GRAD);
  }

  /** Opens a scope in which backward checks each gradient for NaN/inf and throws {@link AnomalyException}. */
  public static Scope detectAnomalies() {
    return enter(ANOMALY);
  }

  private static Scope enter(int slot) {
    int[] s = STATE.get();
    s[slot]++;
    return () -> s[slot]--;
  }

  /** A scope that restores the previous mode when closed. */
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }
}
