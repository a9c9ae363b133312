package org.ptlab.lab.wang2023;

import java.util.LinkedHashMap;
import java.util.Map;
import org.ptlab.lab.GridPoint;
import org.ptlab.lab.RunContext;
import org.ptlab.lab.RunOutput;

/**
 * One E7 run: which part ({@link Part}, each a record of its own parameters) of the meta-transformer at δ = 1/levels.
 * Config keys: {@code part}, {@code levels}, then the part's own keys.
 */
record E7Point(Part part, int levels) implements GridPoint {

  /** A part of E7: its name in the config, its own keys, and how it runs. */
  sealed interface Part permits Reproduce, Distance, Softmax, Match {
    String name();

    /** The part's keys and values, in display order. */
    Map<String, Object> fields();

    RunOutput run(RunContext ctx, int levels);
  }

  /** Every member of F̄ on {@code perCell} off-boundary points of every cell, hardmax attention. */
  record Reproduce(int perCell) implements Part {
    public String name() {
      return "reproduce";
    }

    public Map<String, Object> fields() {
      return GridPoint.config("per_cell", perCell);
    }

    public RunOutput run(RunContext ctx, int levels) {
      return E7Runs.reproduce(levels, perCell);
    }
  }

  /** Monte-Carlo d_2 between τ([P_f̄, ·]) and a random Lipschitz f (trial = which f). */
  record Distance(int trial, int samples) implements Part {
    public String name() {
      return "distance";
    }

    public Map<String, Object> fields() {
      return GridPoint.config("trial", trial, "samples", samples);
    }

    public RunOutput run(RunContext ctx, int levels) {
      return E7Runs.distance(ctx, levels, samples);
    }
  }

  /** Softmax attention with scores × λ against the hardmax network, at one λ. */
  record Softmax(double lambda) implements Part {
    public String name() {
      return "softmax";
    }

    public Map<String, Object> fields() {
      return GridPoint.config("lambda", lambda);
    }

    public RunOutput run(RunContext ctx, int levels) {
      return E7Runs.softmax(levels, lambda);
    }
  }

  /** The smallest λ in [lo, hi] at which softmax matches hardmax to {@code target}, by bisection in log λ. */
  record Match(double lo, double hi, double target, int iterations) implements Part {
    public String name() {
      return "match";
    }

    public Map<String, Object> fields() {
      return GridPoint.config("lo", lo, "hi", hi, "target", target, "iterations", iterations);
    }

    public RunOutput run(RunContext ctx, int levels) {
      return E7Runs.match(levels, lo, hi, target, iterations);
    }
  }

  @Override
  public Map<String, Object> toConfig() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("part", part.name());
    c.put("levels", levels);
    c.putAll(part.fields());
    return c;
  }

  /** The point of a run's config; an unknown part names the key and the parts. */
  static E7Point of(RunContext c) {
    String name = c.stringParam("part");
    Part part = switch (name) {
      case "reproduce" -> new Reproduce(c.intParam("per_cell"));
      case "distance" -> new Distance(c.intParam("trial"), c.intParam("samples"));
      case "softmax" -> new Softmax(c.doubleParam("lambda"));
      case "match" -> new Match(c.doubleParam("lo"), c.doubleParam("hi"), c.doubleParam("target"),
          c.intParam("iterations"));
      default -> throw new IllegalArgumentException("E7: config key 'part' must be reproduce, distance, softmax or "
          + "match, got " + name);
    };
    return new E7Point(part, c.intParam("levels"));
  }

  RunOutput run(RunContext ctx) {
    return part.run(ctx, levels);
  }
}
