package org.ptlab.lab;

import java.util.Locale;
import java.util.Objects;
import java.util.function.DoubleFunction;
import java.util.function.DoubleSupplier;

/**
 * One claim of an experiment with its verdict: the sentence it checks, where that sentence comes from, what was
 * measured, the bound it is compared with (relation and tolerance), and whether it holds. A failed claim is a
 * result, shown in red; it is never loosened to pass. An {@link Kind#OBSERVATION observation} is a number worth
 * showing next to a sentence that the data cannot decide (one seed where the seed noise is as large as the effect,
 * a quantity that does not measure what the paper's theorem is about): it is shown, never passes and never fails.
 *
 * <p>Built with a fluent builder so that an experiment's claims read like the paper's sentences:
 * <pre>{@code
 * Claim.test("time-slope-exact")
 *     .says("Exact attention time grows quadratically in n: log-log slope over n ≥ 2048 (wall-clock).")
 *     .source(Source.DERIVED)
 *     .equalTo(2).within(0.25)
 *     .measure(() -> largest(results, "time", "slope_exact_large_n"));
 * }</pre>
 * {@link Builder#measure} turns a {@link NoData} thrown by the measurement into {@code skipped} (with its reason)
 * and any other exception into {@code error}, so one broken check never hides the others.
 *
 * @param name short kebab-case identifier, unique within the experiment
 * @param statement what is claimed, in one sentence a reader can check against the paper
 * @param kind a test (decided by the relation) or an observation (shown only)
 * @param source where the sentence comes from: read in the paper, recalled, or derived here (specs' [V]/[R]/[D])
 * @param measured the measured value (NaN when not measured)
 * @param relation how measured compares with bound
 * @param bound the theoretical bound or expected value
 * @param tolerance allowed slack, ≥ 0: see {@link Relation#holds}
 * @param passed true iff status is {@code passed}
 * @param status {@code passed}, {@code failed}, {@code error} (the check could not be computed), {@code skipped} (no
 *     runs to compute it from, e.g. a smoke grid without that config) or {@code observed} (an observation)
 * @param note why it was skipped, errored or is only an observation; else empty
 */
public record Claim(String name, String statement, Kind kind, Source source, double measured, Relation relation,
    double bound, double tolerance, boolean passed, String status, String note) {

  public static final String PASSED = "passed";
  public static final String FAILED = "failed";
  public static final String ERROR = "error";
  public static final String SKIPPED = "skipped";
  public static final String OBSERVED = "observed";

  public Claim {
    Objects.requireNonNull(name, "claim name");
    statement = statement == null ? "" : statement;
    note = note == null ? "" : note;
    if (!(tolerance >= 0)) throw new IllegalArgumentException("claim " + name + ": tolerance must be >= 0, got "
        + tolerance);
    if (passed != PASSED.equals(status)) throw new IllegalArgumentException("claim " + name + ": passed=" + passed
        + " but status " + status);
  }

  /** How the measurement is compared with the bound. */
  public enum Relation {
    AT_MOST("≤", "<="), AT_LEAST("≥", ">="), EQUAL("=", "==");

    private final String symbol;
    private final String ascii;

    Relation(String symbol, String ascii) {
      this.symbol = symbol;
      this.ascii = ascii;
    }

    /** ≤, ≥ or = (for people). */
    public String symbol() {
      return symbol;
    }

    /** {@code <=}, {@code >=} or {@code ==} (the JSON exports' field, unchanged since the first report). */
    public String ascii() {
      return ascii;
    }

    /**
     * {@code measured ≤ bound + tol}, {@code measured ≥ bound − tol} or {@code |measured − bound| ≤ tol}; NaN never
     * holds (a missing number is never a pass).
     */
    public boolean holds(double measured, double bound, double tol) {
      return switch (this) {
        case AT_MOST -> measured <= bound + tol;
        case AT_LEAST -> measured >= bound - tol;
        case EQUAL -> Math.abs(measured - bound) <= tol;
      };
    }
  }

  /** Where the claim's sentence comes from, with the specs' markers; the report shows the marker. */
  public enum Source {
    /** Read in the paper ([V]). */
    PAPER("V"),
    /** Recalled from the paper or a cited one, not re-checked against the full text ([R]). */
    RECALLED("R"),
    /** Derived here (a consequence, a construction's own check, a target of an issue); an implementation spec ([D]). */
    DERIVED("D");

    private final String marker;

    Source(String marker) {
      this.marker = marker;
    }

    /** "V", "R" or "D". */
    public String marker() {
      return marker;
    }
  }

  /** A test is decided by its relation; an observation is only shown. */
  public enum Kind {
    TEST, OBSERVATION;

    /** "test" or "observation" (the JSON field). */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Thrown by a measurement that has no runs to measure; {@link Builder#measure} reports the claim as skipped. */
  public static final class NoData extends RuntimeException {
    public NoData(String why) {
      super(why, null, false, false);
    }
  }

  /** A {@link NoData} to throw from a measurement, e.g. {@code throw Claim.noData("no completed 'time' run")}. */
  public static NoData noData(String why) {
    return new NoData(why);
  }

  /** Starts a claim that the measurement decides. */
  public static Builder test(String name) {
    return new Builder(name, Kind.TEST);
  }

  /** Starts an observation: shown with its expected relation, never passed or failed. */
  public static Builder observation(String name) {
    return new Builder(name, Kind.OBSERVATION);
  }

  /** A claim that could not be computed at all (e.g. the experiment's claims threw). */
  public static Claim error(String name, String statement, String message) {
    return new Claim(name, statement, Kind.TEST, Source.DERIVED, Double.NaN, Relation.EQUAL, Double.NaN, 0, false,
        ERROR, message);
  }

  /** True for a test (a claim that can pass or fail). */
  public boolean isTest() {
    return kind == Kind.TEST;
  }

  /**
   * The bound as people read it, with its relation and tolerance: "≤ 1", "= 2 ± 0.25", "≤ 0 + 1e-15", "≥ 1 − 0.1";
   * numbers formatted by {@code num}.
   */
  public String boundText(DoubleFunction<String> num) {
    String s = relation.symbol() + " " + num.apply(bound);
    if (tolerance == 0) return s;
    String sign = switch (relation) {
      case AT_MOST -> " + ";
      case AT_LEAST -> " − ";
      case EQUAL -> " ± ";
    };
    return s + sign + num.apply(tolerance);
  }

  /** Fluent construction; every claim names its sentence, source, relation and bound before it is measured. */
  public static final class Builder {
    private final String name;
    private Kind kind;
    private String statement = "";
    private Source source;
    private Relation relation;
    private double bound = Double.NaN;
    private double tolerance;
    private String observationNote = "";

    private Builder(String name, Kind kind) {
      if (name == null || !name.matches("[a-z0-9][^\\s]*")) {
        throw new IllegalArgumentException("claim name must be kebab-case (no spaces), got '" + name + "'");
      }
      this.name = name;
      this.kind = kind;
    }

    /** The sentence, as a reader would check it against the paper. */
    public Builder says(String statement) {
      this.statement = statement;
      return this;
    }

    /** Where the sentence comes from. */
    public Builder source(Source source) {
      this.source = source;
      return this;
    }

    /** measured ≤ bound (+ tolerance). */
    public Builder atMost(double bound) {
      return relation(Relation.AT_MOST, bound);
    }

    /** measured ≥ bound (− tolerance). */
    public Builder atLeast(double bound) {
      return relation(Relation.AT_LEAST, bound);
    }

    /** measured = bound (± tolerance). */
    public Builder equalTo(double bound) {
      return relation(Relation.EQUAL, bound);
    }

    public Builder relation(Relation relation, double bound) {
      this.relation = relation;
      this.bound = bound;
      return this;
    }

    /** The slack the relation allows (shown in the report next to the bound). */
    public Builder within(double tolerance) {
      this.tolerance = tolerance;
      return this;
    }

    /**
     * Makes this claim an observation when {@code condition} holds, saying {@code why} (e.g. "one seed; the seed
     * noise is ±3 points"): for claims that are tests only where the data can decide them.
     */
    public Builder observationIf(boolean condition, String why) {
      return condition ? asObservation(why) : this;
    }

    /** Makes this claim an observation, saying why it is not a test. */
    public Builder asObservation(String why) {
      kind = Kind.OBSERVATION;
      observationNote = why;
      return this;
    }

    /** The verdict on {@code measured}; a NaN measurement fails (an observation of NaN is still observed). */
    public Claim measured(double measured) {
      check();
      if (kind == Kind.OBSERVATION) {
        return new Claim(name, statement, kind, source, measured, relation, bound, tolerance, false, OBSERVED,
            observationNote);
      }
      boolean ok = relation.holds(measured, bound, tolerance);
      return new Claim(name, statement, kind, source, measured, relation, bound, tolerance, ok, ok ? PASSED : FAILED,
          Double.isNaN(measured) ? "measurement is NaN" : "");
    }

    /**
     * The verdict on what {@code measurement} returns; {@link NoData} makes the claim {@code skipped}, any other
     * exception {@code error}, each with the message as its note.
     */
    public Claim measure(DoubleSupplier measurement) {
      check();
      double m;
      try {
        m = measurement.getAsDouble();
      } catch (NoData e) {
        return skipped(e.getMessage());
      } catch (RuntimeException e) {
        return new Claim(name, statement, kind, source, Double.NaN, relation, bound, tolerance, false, ERROR,
            String.valueOf(e));
      }
      return measured(m);
    }

    /** A claim with no data to decide it. */
    public Claim skipped(String why) {
      check();
      return new Claim(name, statement, kind, source, Double.NaN, relation, bound, tolerance, false, SKIPPED, why);
    }

    private void check() {
      if (statement.isBlank()) throw new IllegalStateException("claim " + name + ": says(...) is missing");
      if (source == null) throw new IllegalStateException("claim " + name + ": source(...) is missing");
      if (relation == null) throw new IllegalStateException("claim " + name + ": no relation (atMost, atLeast, "
          + "equalTo)");
    }
  }
}
