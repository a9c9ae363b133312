package org.ptlab.lab.demo;

import static org.ptlab.lab.Claim.Source.DERIVED;

import java.util.List;
import java.util.function.ToDoubleFunction;
import org.ptlab.lab.Claim;
import org.ptlab.lab.Results;
import org.ptlab.lab.RunRecord;

/**
 * D0's claims, each computed from the stored runs. One is the demo's point (a prompt of the teacher's length fits
 * the data); the others check that the construction is what it says (the data are realizable, LoRA starts at the
 * frozen model, parameter counts follow the formulas, training descends). All are [D]: a demo, not a paper result.
 */
final class D0Claims {
  private D0Claims() {}

  static List<Claim> claims(Results results, int teacherPrompt, double fit) {
    return List.of(
        Claim.test("prompt-fits-at-teacher-length").source(DERIVED)
            .says("Prompt tuning with m_p = m_p* = " + teacherPrompt + " fits the teacher's data: median final MSE "
                + "over seeds (worst d) is at most " + fit + ".")
            .atMost(fit).measure(() -> worstMedianFit(results, teacherPrompt)),
        Claim.test("teacher-in-student-class").source(DERIVED)
            .says("The data are exactly realizable by prompt tuning: the student's MSE at P = P* is 0 (max over runs).")
            .equalTo(0).within(1e-15).measure(() -> maxOverCompleted(results, r -> r.metric("teacher_mse"))),
        Claim.test("lora-starts-at-frozen-model").source(DERIVED)
            .says("LoRA with B = 0 at initialisation leaves the model unchanged: |initial MSE − frozen-model MSE| is 0 "
                + "(max over LoRA runs).")
            .equalTo(0).within(1e-15).measure(() -> {
              List<RunRecord> lora = results.where("method", "lora");
              if (lora.isEmpty()) throw Claim.noData("no LoRA run");
              return Results.max(lora.stream().mapToDouble(r -> Math.abs(r.metric("initial_mse")
                  - r.metric("base_mse"))).toArray());
            }),
        Claim.test("trainable-parameter-counts").source(DERIVED)
            .says("Trainable parameters are m_p·d for a prompt and 4·r·d for LoRA on W_q and W_v (A: d×r, B: r×d "
                + "each): max |counted − formula| over runs is 0.")
            .equalTo(0).measure(() -> maxOverCompleted(results,
                r -> Math.abs(r.metric("trainable_params") - r.metric("expected_params")))),
        Claim.test("training-lowers-loss").source(DERIVED)
            .says("Adam lowers the training loss in every run: max over runs of final MSE / initial MSE is at most 1.")
            .atMost(1).measure(() -> maxOverCompleted(results, r -> r.metric("final_mse") / r.metric("initial_mse"))));
  }

  /** The largest, over d, of the median final MSE of the prompt runs at the teacher's length. */
  private static double worstMedianFit(Results results, int teacherPrompt) {
    List<RunRecord> runs = results.where(r -> isPrompt(r, teacherPrompt));
    if (runs.isEmpty()) throw Claim.noData("no prompt run with m_p = m_p*");
    double worst = Double.NEGATIVE_INFINITY;
    for (Object d : runs.stream().map(r -> r.config().get("d")).distinct().toList()) {
      List<RunRecord> atD = runs.stream().filter(r -> r.config().get("d").equals(d)).toList();
      worst = Math.max(worst, Results.median(Results.metric(atD, "final_mse")));
    }
    return worst;
  }

  /** Max over completed runs of {@code value}. */
  private static double maxOverCompleted(Results results, ToDoubleFunction<RunRecord> value) {
    if (results.done().isEmpty()) throw Claim.noData("no completed run");
    return Results.max(results.done().stream().mapToDouble(value).toArray());
  }

  private static boolean isPrompt(RunRecord r, int m) {
    return "prompt".equals(r.config().get("method")) && r.config().get("m_p") instanceof Number n
        && n.intValue() == m;
  }
}
