package org.ptlab.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ptlab.io.Json;
import org.ptlab.io.data.Dataset;
import org.ptlab.io.data.Example;
import org.ptlab.io.data.InputKind;
import org.ptlab.io.data.Target;
import org.ptlab.io.data.TargetKind;
import org.ptlab.nn.Transformer;
import org.ptlab.theory.Certificate;
import org.ptlab.theory.wang2023.ExactLoraUpdate;
import org.ptlab.theory.wang2023.PromptLengthLossBound;
import org.ptlab.theory.wang2023.PromptLengthNecessaryCondition;
import org.ptlab.theory.wang2023.SharedTokenLossBound;

/**
 * The single-layer certificates of Wang et al. §2.2 and §3 on a dataset of vector sequences with per-position
 * targets: {@code shared-token-loss-bound}, {@code prompt-length-bound} (a necessary condition only),
 * {@code prompt-length-loss-bound} [D] and {@code exact-lora-update}. A dataset of another shape gets each
 * certificate refused with the reason, never an error.
 */
final class SharedTokenFamily {
  private SharedTokenFamily() {}

  static List<Certificate> certify(Transformer model, String modelName, Dataset ds, int promptLength, Path loraOut)
      throws IOException {
    String shape = shapeProblem(model, ds);
    List<Certificate> out = new ArrayList<>();
    if (shape != null) {
      out.add(Certificate.refuses(SharedTokenLossBound.NAME, SharedTokenLossBound.UNIT, shape, Map.of()));
      out.add(Certificate.refuses(PromptLengthNecessaryCondition.NAME, PromptLengthNecessaryCondition.UNIT, shape,
          Map.of()));
      out.add(Certificate.refuses(ExactLoraUpdate.NAME, ExactLoraUpdate.UNIT, shape, Map.of()));
      if (loraOut != null) throw new UserError("--lora-out: no exact LoRA update: " + shape);
      return out;
    }
    double[][][] x = inputs(ds);
    double[][][] y = targets(ds);
    out.add(SharedTokenLossBound.certify(model, x, y));
    out.add(PromptLengthNecessaryCondition.certify(model, x, y));
    if (promptLength > 0) out.add(PromptLengthLossBound.certify(model, x, y, promptLength));
    ExactLoraUpdate lora = ExactLoraUpdate.fit(model, x, y);
    out.add(lora.certificate());
    if (loraOut != null) {
      if (!lora.certificate().applies()) {
        throw new UserError("--lora-out: no exact LoRA update: " + lora.certificate().reason());
      }
      ObjectNode provenance = Json.MAPPER.createObjectNode().put("source", "ptlab certify: exact-lora-update");
      lora.write(model, loraOut, modelName, provenance);
    }
    return out;
  }

  /** Why the data cannot be read as [n][m][d] → [n][m][d], or null. */
  private static String shapeProblem(Transformer model, Dataset ds) {
    int d = model.config().dModel();
    if (ds.inputKind() != InputKind.VECTORS) return "the data holds token ids; these certificates need vector inputs";
    if (ds.targetKind() != TargetKind.PER_POSITION || ds.targetDim() != d) {
      return "the data needs a per-position \"target\" of width d = " + d + " (the model's hidden states)";
    }
    return null;
  }

  private static double[][][] inputs(Dataset ds) {
    double[][][] x = new double[ds.size()][][];
    for (int i = 0; i < ds.size(); i++) x[i] = ds.get(i).inputs();
    return x;
  }

  private static double[][][] targets(Dataset ds) {
    double[][][] y = new double[ds.size()][][];
    for (int i = 0; i < ds.size(); i++) {
      Example ex = ds.get(i);
      Target.PerPosition t = (Target.PerPosition) ex.target();
      y[i] = new double[ex.length()][ds.targetDim()];
      for (int p = 0; p < ex.length(); p++) {
        for (int j = 0; j < ds.targetDim(); j++) y[i][p][j] = t.at(p, j);
      }
    }
    return y;
  }
}
