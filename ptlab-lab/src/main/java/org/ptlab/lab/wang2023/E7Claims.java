package org.ptlab.lab.wang2023;

import static org.ptlab.lab.Claim.Source.DERIVED;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.ptlab.lab.Claim;
import org.ptlab.lab.Results;
import org.ptlab.lab.RunRecord;

/**
 * E7's claims (spec wang2023.md check C7). The construction and every check here are [D]: the paper states
 * universality only qualitatively, and the meta-transformer is our implementation of its proof sketch. Exact parts are
 * tests on the deterministic runs; the d_p bound uses the worst 3σ upper confidence bound over random targets; the
 * λ at which softmax matches hardmax and the ratio to Lδ(dm)^{1/p} are observations (no bound to compare with).
 */
final class E7Claims {
  /** Softmax "matches" hardmax when every output differs by at most this. */
  static final double MATCH = 1e-8;

  private E7Claims() {}

  static List<Claim> claims(Results r) {
    List<Claim> out = new ArrayList<>();
    out.add(Claim.test("c7-reproduces-every-quantized-function").source(DERIVED)
        .says("C7: at d = m = 1, δ = δ_out = δ_P = 1/4 the hardmax meta-transformer reproduces all 256 members of F̄ "
            + "through their prompts at points off the cell boundaries: max |τ([P_f̄, x]) − f̄(x)| ≤ 1e-7 (float64: "
            + "ids reach 1.5e7, so the id interpolation leaves ~1e-8 of rounding; exact hardmax arithmetic otherwise).")
        .atMost(E7Runs.TOLERANCE).measure(() -> reproduce(r).metric("max_error")));
    out.add(Claim.test("c7-one-id-per-function-and-cell").source(DERIVED)
        .says("C7: the selective-shift layers give every (member, cell) pair its own id (256 × 4 = 1,024): distinct "
            + "ids − members·cells = 0.")
        .equalTo(0).measure(() -> reproduce(r).metric("distinct_ids") - reproduce(r).metric("expected_ids")));
    out.add(Claim.test("c7-prompt-length-from-counting").source(DERIVED)
        .says("C7: m_p is the counting bound m·δ^{−dm}·log(1/δ_out)/log(1/δ_P) rounded up (= 4 at δ = 1/4): "
            + "|m_p − formula| = 0.")
        .equalTo(0).measure(() -> Math.abs(reproduce(r).metric("prompt_length")
            - reproduce(r).metric("counting_prompt_length"))));
    out.add(Claim.test("c7-distance-within-bound").source(DERIVED)
        .says("C7: for random 1-Lipschitz targets f, the 3σ upper confidence bound of the Monte-Carlo d_2(τ([P_f̄,·]), f) "
            + "is at most (Lδ + δ_out)(dm)^{1/p} + FF_1's ramp term: max over targets of (ucb − bound) ≤ 0.")
        .atMost(0).measure(() -> {
          double worst = Double.NEGATIVE_INFINITY;
          for (RunRecord x : nonEmpty(part(r, "distance"), "no distance run")) {
            worst = Math.max(worst, x.metric("d_p_ucb") - x.metric("bound"));
          }
          return worst;
        }));
    out.add(Claim.observation("c7-distance-vs-lipschitz-term").source(DERIVED)
        .says("C7: the measured d_2 next to Lδ(dm)^{1/p} = 0.25 (median over targets of d_2 / Lδ(dm)^{1/p}); f̄ also "
            + "rounds outputs down to δ_out, so the ratio may exceed 1 by up to δ_out/(Lδ).")
        .atMost(1).measure(() -> Results.median(ratio(nonEmpty(part(r, "distance"), "no distance run")))));
    out.add(Claim.observation("c7-spec-eps-is-vacuous").source(DERIVED)
        .says("The spec's ε at δ = 1/4 (δ = ε/(6L(dm)^{1/p}), so ε = 1.5 for L = 1) is at least 1, the largest d_2 two "
            + "[0,1]-valued functions can have: at this scale the ε-statement says nothing; the measured d_2 and "
            + "Lδ(dm)^{1/p} are what to read.")
        .atLeast(1).measure(() -> nonEmpty(part(r, "distance"), "no distance run").get(0).metric("spec_eps")));
    out.add(Claim.test("c7-softmax-approaches-hardmax").source(DERIVED)
        .says("Yun et al.'s replacement of hardmax by softmax with growing temperature: at the largest λ swept, max "
            + "|softmax − hardmax| over all members and points ≤ 1e-8.")
        .atMost(MATCH).measure(() -> nonEmpty(part(r, "softmax"), "no softmax run").stream()
            .max(Comparator.comparingDouble(E7Figures::lambda)).orElseThrow().metric("max_diff_hardmax")));
    out.add(Claim.observation("c7-lambda-where-softmax-matches").source(DERIVED)
        .says("The score scale λ at which softmax attention reproduces the hardmax network to 1e-8 on every member and "
            + "point (bisection in log λ; expected within the swept range).")
        .atMost(largestLambda(r)).measure(() -> {
          RunRecord m = nonEmpty(part(r, "match"), "no match run").get(0);
          if (m.metric("bracketed") != 1) throw Claim.noData("softmax did not cross 1e-8 inside [lo, hi]");
          return m.metric("lambda_match");
        }));
    return out;
  }

  private static double[] ratio(List<RunRecord> runs) {
    return runs.stream().mapToDouble(x -> x.metric("d_p") / x.metric("lipschitz_term")).toArray();
  }

  private static double largestLambda(Results r) {
    return part(r, "match").stream().mapToDouble(x -> ((Number) x.config().get("hi")).doubleValue()).max()
        .orElse(Double.NaN);
  }

  static RunRecord reproduce(Results r) {
    return nonEmpty(part(r, "reproduce"), "no reproduce run").get(0);
  }

  static List<RunRecord> nonEmpty(List<RunRecord> runs, String why) {
    if (runs.isEmpty()) throw Claim.noData(why);
    return runs;
  }

  static List<RunRecord> part(Results results, String part) {
    return results.where(x -> x.done() && part.equals(x.config().get("part")));
  }
}
