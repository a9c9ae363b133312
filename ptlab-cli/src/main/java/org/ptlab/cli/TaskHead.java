package org.ptlab.cli;

import org.ptlab.io.data.Dataset;
import org.ptlab.io.data.TargetKind;
import org.ptlab.nn.TransformerConfig.Head;
import org.ptlab.nn.TransformerConfig;

/** Chooses the model's head from the data, as a PEFT user would configure it by hand. */
final class TaskHead {
  private TaskHead() {}

  /**
   * Labels → a classification head with as many classes as the data (kept if the model already has one that
   * fits); per-position targets of width d on a head-less model → the hidden states themselves (the paper's
   * setting), of another width → a per-position regression head; no target, or per-token labels, on an LM → the
   * LM head.
   */
  /** "label", or "per-position target of width 3": what a file's examples are trained to predict. */
  static String describe(Dataset.Meta m) {
    String kind = m.targetKind().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    return m.targetDim() > 0 ? kind + " target of width " + m.targetDim() : kind;
  }

  static TransformerConfig fit(TransformerConfig c, Dataset data) {
    TargetKind t = data.targetKind();
    if (t == TargetKind.LABEL) {
      int classes = data.numClasses();
      if (c.head() == Head.CLASSIFY && c.outputs() >= classes) return c;
      return c.withHead(Head.CLASSIFY, c.pooling(), Math.max(classes, 2));
    }
    if (t == TargetKind.PER_POSITION) {
      int k = data.targetDim();
      if (c.head() == Head.NONE && k == c.dModel()) return c;
      return c.withHead(Head.REGRESS, c.pooling(), k);
    }
    if ((t == TargetKind.NONE || t == TargetKind.TOKEN_LABELS) && c.head() == Head.LM) return c;
    if (t == TargetKind.TOKEN_LABELS) {
      throw new UserError(data.source() + ": per-token \"labels\" and \"prompt\"/\"completion\" lines train a "
          + "language model, and this model has no LM head (use a causal model such as --model gpt)");
    }
    throw new UserError(data.source() + ": a " + t.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')
        + " target does not fit this model (use \"label\", per-position \"target\" rows, or token-only lines on an "
        + "LM such as --model gpt)");
  }
}
