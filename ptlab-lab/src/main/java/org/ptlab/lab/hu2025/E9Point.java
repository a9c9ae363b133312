package org.ptlab.lab.hu2025;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.ptlab.lab.GridPoint;
import org.ptlab.lab.GridSize;
import org.ptlab.lab.RunContext;
import org.ptlab.lab.RunOutput;
import org.ptlab.tensor.random.Rng;

/**
 * One E9 run: which part ({@link Part}, each a record of its own parameters) at which grid size (the size sets the
 * timing budget, so it is part of the config). The config map keeps the keys and value types E9 has always
 * written ({@code part}, the part's keys, {@code size}; lists of numbers as one comma-separated string), so the run
 * store's hashes and seeds are those of earlier run stores.
 */
record E9Point(Part part, GridSize size) implements GridPoint {

  /** A part of E9: its name in the config, its own keys, and how it runs. */
  sealed interface Part permits Degree, Time, Transition, Gradient, RandomFeatures, Constrained {
    String name();

    /** The part's keys and values, in display order. */
    Map<String, Object> fields();

    RunOutput run(Rng rng, Budget budget);
  }

  /** (i) Error vs degree g at n keys and exponent range R. */
  record Degree(int n, double range) implements Part {
    public String name() {
      return "degree";
    }

    public Map<String, Object> fields() {
      return GridPoint.config("n", n, "R", range);
    }

    public RunOutput run(Rng rng, Budget b) {
      return E9Accuracy.errorVsDegree(rng, n, range);
    }
  }

  /** (ii) Time vs n from nMin to nMax (exact attention only up to exactMax). */
  record Time(int nMin, int nMax, int exactMax) implements Part {
    public String name() {
      return "time";
    }

    public Map<String, Object> fields() {
      return GridPoint.config("n_min", nMin, "n_max", nMax, "exact_max", exactMax);
    }

    public RunOutput run(Rng rng, Budget b) {
      return E9Scaling.timeVsN(rng, nMin, nMax, exactMax, b.minRuns(), b.minSeconds());
    }
  }

  /** (iii) The B sweep across √ln n, B = fraction·√ln n. */
  record Transition(int n, double[] fractions) implements Part {
    public String name() {
      return "transition";
    }

    public Map<String, Object> fields() {
      return GridPoint.config("n", n, "fractions", list(fractions));
    }

    public RunOutput run(Rng rng, Budget b) {
      return E9Transition.phaseTransition(rng, n, fractions, b.maxFastMs(), b.minRuns(), b.minSeconds());
    }
  }

  /** (iv) The gradient: B sweep at n, and time vs n from sweepMin to sweepMax. */
  record Gradient(int n, int sweepMin, int sweepMax, double[] fractions) implements Part {
    public String name() {
      return "gradient";
    }

    public Map<String, Object> fields() {
      return GridPoint.config("n", n, "sweep_min", sweepMin, "sweep_max", sweepMax, "fractions", list(fractions));
    }

    public RunOutput run(Rng rng, Budget b) {
      return E9Gradient.gradient(rng, n, fractions, sweepMin, sweepMax, b.maxFastMs(), b.minRuns(), b.minSeconds());
    }
  }

  /** (v) FAVOR+ at the polynomial method's rank, over exponent ranges, averaged over seeds. */
  record RandomFeatures(int n, double[] ranges, int seeds) implements Part {
    public String name() {
      return "random-features";
    }

    public Map<String, Object> fields() {
      return GridPoint.config("n", n, "ranges", list(ranges), "seeds", seeds);
    }

    public RunOutput run(Rng rng, Budget b) {
      return E9Accuracy.randomFeatures(rng, n, ranges, seeds);
    }
  }

  /** (vi) Norm-constrained prompt tuning ({@link E9Constrained}); R_max = fraction·ln n. */
  record Constrained(int length, int prompt, int examples, int epochs, double[] fractions, double teacher,
      double sigma) implements Part {
    public String name() {
      return "constrained";
    }

    public Map<String, Object> fields() {
      return GridPoint.config("length", length, "prompt", prompt, "examples", examples, "epochs", epochs,
          "fractions", list(fractions), "teacher", teacher, "sigma", sigma);
    }

    public RunOutput run(Rng rng, Budget b) {
      return E9Constrained.constrainedTuning(rng, length, prompt, examples, epochs, fractions, teacher, sigma);
    }
  }

  /**
   * How long a timing may take: at least {@code minRuns} repetitions and {@code minSeconds}, and no fast-path point
   * predicted above {@code maxFastMs} (reported as "not run" instead).
   */
  record Budget(int minRuns, double minSeconds, double maxFastMs) {
    static Budget of(GridSize size) {
      return switch (size) {
        case SMOKE -> new Budget(2, 0, 50);
        case QUICK -> new Budget(5, 0.2, 200);
        case FULL -> new Budget(10, 1.0, 3000);
      };
    }
  }

  @Override
  public Map<String, Object> toConfig() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("part", part.name());
    c.putAll(part.fields());
    c.put("size", size.label()); // timing budgets differ by size
    return c;
  }

  /** The point of a run's config; an unknown part names the key and the parts. */
  static E9Point of(RunContext ctx) {
    return new E9Point(part(ctx), GridSize.parse(ctx.stringParam("size")));
  }

  private static Part part(RunContext c) {
    String part = c.stringParam("part");
    return switch (part) {
      case "degree" -> new Degree(c.intParam("n"), c.doubleParam("R"));
      case "time" -> new Time(c.intParam("n_min"), c.intParam("n_max"), c.intParam("exact_max"));
      case "transition" -> new Transition(c.intParam("n"), c.doublesParam("fractions"));
      case "gradient" -> new Gradient(c.intParam("n"), c.intParam("sweep_min"), c.intParam("sweep_max"),
          c.doublesParam("fractions"));
      case "random-features" -> new RandomFeatures(c.intParam("n"), c.doublesParam("ranges"), c.intParam("seeds"));
      case "constrained" -> new Constrained(c.intParam("length"), c.intParam("prompt"), c.intParam("examples"),
          c.intParam("epochs"), c.doublesParam("fractions"), c.doubleParam("teacher"), c.doubleParam("sigma"));
      default -> throw new IllegalArgumentException("E9: config key 'part' must be degree, time, transition, "
          + "gradient, random-features or constrained, got " + part);
    };
  }

  /** "0.25,0.5,1": integers without ".0", as the grids have always been written (part of the config hash). */
  static String list(double[] xs) {
    return Arrays.stream(xs).mapToObj(x -> x == Math.rint(x) && Math.abs(x) < 1e15 ? Long.toString((long) x)
        : Double.toString(x)).collect(Collectors.joining(","));
  }
}
