package org.ptlab.tuning.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress bar on stderr: step, loss, steps/s and ETA, redrawn at most four times a second, then a
 * newline at the end. Silent when {@code out} is null.
 */
final class TrainProgress {
  private static final long REDRAW_NANOS = 250_000_000L;
  private final PrintStream out;
  private final long total;
  private final long firstStep;
  private final long start = System.nanoTime();
  private long lastDraw;

  TrainProgress(PrintStream out, long firstStep, long total) {
    this.out = out;
    this.firstStep = firstStep;
    this.total = total;
  }

  void update(long step, double loss, boolean force) {
    if (out == null) return;
    long now = System.nanoTime();
    if (!force && now - lastDraw < REDRAW_NANOS) return;
    lastDraw = now;
    double seconds = (now - start) / 1e9;
    double rate = seconds > 0 ? (step - firstStep) / seconds : 0;
    long eta = rate > 0 ? Math.round((total - step) / rate) : -1;
    int width = 24;
    int filled = total == 0 ? width : (int) (width * step / total);
    String bar = "#".repeat(filled) + ".".repeat(width - filled);
    out.printf(Locale.ROOT, "\rstep %d/%d [%s] loss %.4f  %.1f steps/s  ETA %s ", step, total, bar, loss, rate,
        eta < 0 ? "?" : String.format(Locale.ROOT, "%d:%02d", eta / 60, eta % 60));
    out.flush();
  }

  void finish() {
    if (out != null) {
      out.println();
      out.flush();
    }
  }
}
