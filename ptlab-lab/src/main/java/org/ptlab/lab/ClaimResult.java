package org.ptlab.lab;

import java.util.function.Supplier;

/**
 * The verdict of one claim of an experiment: what was measured, the theoretical value or bound it is checked
 * against, and whether it holds. A failed claim is a result, shown in red; it is never loosened to pass.
 *
 * @param name short kebab-case identifier, unique within the experiment
 * @param description what is claimed, in one sentence a reader can check against the paper
 * @param measured the measured value (NaN when not measured)
 * @param bound the theoretical bound or expected value
 * @param relation how measured compares with bound: {@code <=}, {@code >=} or {@code ==} (within tolerance)
 * @param tolerance allowed slack: for {@code <=} passes iff measured ≤ bound + tolerance, and so on
 * @param passed true iff status is {@code passed}
 * @param status {@code passed}, {@code failed}, {@code error} (the check could not be computed) or
 *     {@code skipped} (no runs to compute it from, e.g. a smoke grid without that config)
 * @param note why it was skipped or errored, else empty
 */
public record ClaimResult(String name, String description, double measured, double bound, String relation,
    double tolerance, boolean passed, String status, String note) {

  public static final String PASSED = "passed";
  public static final String FAILED = "failed";
  public static final String ERROR = "error";
  public static final String SKIPPED = "skipped";

  /** Checks {@code measured relation bound} within {@code tolerance}; a NaN measurement fails. */
  public static ClaimResult check(String name, String description, double measured, String relation, double bound,
      double tolerance) {
    boolean ok = switch (relation) {
      case "<=" -> measured <= bound + tolerance;
      case ">=" -> measured >= bound - tolerance;
      case "==" -> Math.abs(measured - bound) <= tolerance;
      default -> throw new IllegalArgumentException("claim " + name + ": relation must be <=, >= or ==, got "
          + relation);
    };
    return new ClaimResult(name, description, measured, bound, relation, tolerance, ok, ok ? PASSED : FAILED,
        Double.isNaN(measured) ? "measurement is NaN" : "");
  }

  /** A claim with no data to decide it. */
  public static ClaimResult skipped(String name, String description, String relation, double bound, String why) {
    return new ClaimResult(name, description, Double.NaN, bound, relation, 0, false, SKIPPED, why);
  }

  /**
   * Evaluates {@code check}; if it throws, the claim is reported as {@code error} with the message, so one broken
   * check never hides the others.
   */
  public static ClaimResult guarded(String name, String description, Supplier<ClaimResult> check) {
    try {
      return check.get();
    } catch (RuntimeException e) {
      return new ClaimResult(name, description, Double.NaN, Double.NaN, "", 0, false, ERROR, String.valueOf(e));
    }
  }
}
