package org.ptlab.lab.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.ptlab.lab.ClaimResult;
import org.ptlab.lab.Results;
import org.ptlab.lab.RunRecord;

/**
 * D0's claims, each computed from the stored runs. One is the demo's point (a prompt of the teacher's length fits
 * the data); the others check that the construction is what it says (the data are realizable, LoRA starts at the
 * frozen model, parameter counts follow the formulas, training descends).
 */
final class DemoClaims {
  private DemoClaims() {}

  static List<ClaimResult> claims(Results results, int teacherPrompt, double fit) {
    List<ClaimResult> out = new ArrayList<>();
    String fitName = "prompt-fits-at-teacher-length";
    String fitDesc = "Prompt tuning with m_p = m_p* = " + teacherPrompt + " fits the teacher's data: median final MSE "
        + "over seeds (worst d) is at most " + fit + ".";
    out.add(ClaimResult.guarded(fitName, fitDesc, () -> {
      List<RunRecord> runs = results.where(r -> isPrompt(r, teacherPrompt));
      if (runs.isEmpty()) return ClaimResult.skipped(fitName, fitDesc, "<=", fit, "no prompt run with m_p = m_p*");
      double worst = Double.NEGATIVE_INFINITY;
      for (Object d : runs.stream().map(r -> r.config().get("d")).distinct().toList()) {
        List<RunRecord> atD = runs.stream().filter(r -> r.config().get("d").equals(d)).toList();
        worst = Math.max(worst, Results.median(Results.metric(atD, "final_mse")));
      }
      return ClaimResult.check(fitName, fitDesc, worst, "<=", fit, 0);
    }));

    String realName = "teacher-in-student-class";
    String realDesc = "The data are exactly realizable by prompt tuning: the student's MSE at P = P* is 0 (max over "
        + "runs).";
    out.add(maxOverCompleted(results, realName, realDesc, r -> r.metric("teacher_mse"), "==", 0, 1e-15));

    String loraName = "lora-starts-at-frozen-model";
    String loraDesc = "LoRA with B = 0 at initialisation leaves the model unchanged: |initial MSE − frozen-model MSE| "
        + "is 0 (max over LoRA runs).";
    out.add(ClaimResult.guarded(loraName, loraDesc, () -> {
      List<RunRecord> lora = results.where("method", "lora");
      if (lora.isEmpty()) return ClaimResult.skipped(loraName, loraDesc, "==", 0, "no LoRA run");
      double gap = Results.max(lora.stream().mapToDouble(r -> Math.abs(r.metric("initial_mse")
          - r.metric("base_mse"))).toArray());
      return ClaimResult.check(loraName, loraDesc, gap, "==", 0, 1e-15);
    }));

    String countName = "trainable-parameter-counts";
    String countDesc = "Trainable parameters are m_p·d for a prompt and 4·r·d for LoRA on W_q and W_v (A: d×r, "
        + "B: r×d each): max |counted − formula| over runs is 0.";
    out.add(maxOverCompleted(results, countName, countDesc,
        r -> Math.abs(r.metric("trainable_params") - r.metric("expected_params")), "==", 0, 0));

    String descentName = "training-lowers-loss";
    String descentDesc = "Adam lowers the training loss in every run: max over runs of final MSE / initial MSE is at "
        + "most 1.";
    out.add(maxOverCompleted(results, descentName, descentDesc,
        r -> r.metric("final_mse") / r.metric("initial_mse"), "<=", 1, 0));
    return out;
  }

  /** The claim "max over completed runs of {@code value} (relation) bound", skipped when no run completed. */
  private static ClaimResult maxOverCompleted(Results results, String name, String desc,
      ToDoubleFunction<RunRecord> value, String relation, double bound, double tolerance) {
    return ClaimResult.guarded(name, desc, () -> results.done().isEmpty()
        ? ClaimResult.skipped(name, desc, relation, bound, "no completed run")
        : ClaimResult.check(name, desc, Results.max(results.done().stream().mapToDouble(value).toArray()), relation,
            bound, tolerance));
  }

  private static boolean isPrompt(RunRecord r, int m) {
    return "prompt".equals(r.config().get("method")) && r.config().get("m_p") instanceof Number n
        && n.intValue() == m;
  }
}
