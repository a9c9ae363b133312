package org.ptlab.tensor.optim;

/**
 * Learning rate as a function of the step about to be taken (0-based). Apply with
 * {@code opt.lr(schedule.lr(opt.steps()))} before each {@code opt.step()}.
 */
@FunctionalInterface
public interface LrSchedule {
  double lr(long step);

  static LrSchedule constant(double lr) {
    return step -> lr;
  }

  /** Linear warm-up from lr/warmup to lr over {@code warmup} steps, then constant. */
  static LrSchedule linearWarmup(double lr, long warmup) {
    if (warmup < 0) throw new IllegalArgumentException("warmup must be >= 0, got " + warmup);
    return step -> step < warmup ? lr * (step + 1) / warmup : lr;
  }

  /** Linear warm-up, then linear decay to 0 at {@code total} (Hugging Face's linear schedule). */
  static LrSchedule linear(double lr, long warmup, long total) {
    check(warmup, total);
    return step -> step < warmup ? lr * (step + 1) / warmup : lr * Math.max(0.0, (double) (total - step) / (total - warmup));
  }

  /** Linear warm-up, then half a cosine from lr down to {@code minLr} at {@code total}. */
  static LrSchedule cosine(double lr, double minLr, long warmup, long total) {
    check(warmup, total);
    return step -> {
      if (step < warmup) return lr * (step + 1) / warmup;
      double progress = Math.min(1.0, (double) (step - warmup) / (total - warmup));
      return minLr + 0.5 * (lr - minLr) * (1 + Math.cos(Math.PI * progress));
    };
  }

  private static void check(long warmup, long total) {
    if (warmup < 0 || total <= warmup) {
      throw new IllegalArgumentException("schedule needs 0 <= warmup < total, got warmup " + warmup + ", total " + total);
    }
  }
}
