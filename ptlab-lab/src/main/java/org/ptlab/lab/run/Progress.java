package org.ptlab.lab.run;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress bar per experiment on stderr: runs done/total, errors, elapsed time and ETA. Redrawn in
 * place with {@code \r} at most ten times a second; stdout is never touched, so {@code --json} output stays clean.
 */
public final class Progress {
  private static final int WIDTH = 24;
  private final PrintStream err;
  private final boolean enabled;
  private String id;
  private int total;
  private int done;
  private int errors;
  private int ranHere;
  private long startNanos;
  private long lastDraw;

  /** A bar on {@code err}, or a silent one when {@code enabled} is false ({@code --quiet}). */
  public Progress(PrintStream err, boolean enabled) {
    this.err = err;
    this.enabled = enabled;
  }

  public static Progress quiet() {
    return new Progress(System.err, false);
  }

  /** Starts the bar of {@code experimentId}: {@code alreadyDone} of {@code total} runs are in the store. */
  public void start(String experimentId, int total, int alreadyDone) {
    this.id = experimentId;
    this.total = total;
    this.done = alreadyDone;
    this.errors = 0;
    this.ranHere = 0;
    this.startNanos = System.nanoTime();
    this.lastDraw = 0;
    draw(true);
  }

  /** One run finished (with an error if {@code failed}). */
  public void tick(boolean failed) {
    done++;
    ranHere++;
    if (failed) errors++;
    draw(false);
  }

  /** Ends the bar with a newline. */
  public void finish() {
    draw(true);
    if (enabled) err.println();
  }

  private void draw(boolean force) {
    if (!enabled) return;
    long now = System.nanoTime();
    if (!force && now - lastDraw < 100_000_000L && done < total) return;
    lastDraw = now;
    double elapsed = (now - startNanos) / 1e9;
    int filled = total == 0 ? WIDTH : (int) Math.round(WIDTH * (double) done / total);
    String bar = "#".repeat(filled) + "-".repeat(WIDTH - filled);
    String eta = ranHere == 0 || done >= total ? "" : "  ETA " + clock(elapsed / ranHere * (total - done));
    String errs = errors == 0 ? "" : "  " + errors + " error" + (errors == 1 ? "" : "s");
    err.print(String.format(Locale.ROOT, "\r%-4s [%s] %d/%d runs  %s%s%s   ", id, bar, done, total, clock(elapsed),
        eta, errs));
    err.flush();
  }

  static String clock(double seconds) {
    long s = Math.round(seconds);
    return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }
}
