package org.ptlab.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.ptlab.nn.Transformer;
import org.ptlab.tensor.Tensor;
import org.ptlab.tuning.AdapterFiles;
import org.ptlab.tuning.PeftMethod;
import org.ptlab.tuning.TunedModel;
import org.ptlab.tuning.TuningMethod;
import org.ptlab.tuning.prompt.PromptTuning;

/** The soft prompt P [m_p, d] of an adapter folder, for commands that reason about a given prompt. */
final class AdapterPrompt {
  private AdapterPrompt() {}

  /** @throws UserError when the folder holds no prompt-tuning adapter */
  static Tensor read(Path adapter, Transformer base) throws IOException {
    TunedModel tuned = AdapterFiles.load(adapter, base);
    for (TuningMethod m : tuned.methods()) {
      if (m.kind() == PeftMethod.PROMPT) return ((PromptTuning) m).prompt().detach();
    }
    throw new UserError("--adapter: " + adapter + " holds no prompt-tuning adapter (the certificates speak about a "
        + "soft prompt)");
  }
}
