package org.ptlab.theory.wang2023;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ptlab.nn.ForwardMode;
import org.ptlab.nn.ModelInput;
import org.ptlab.nn.Transformer;
import org.ptlab.tensor.GradMode;
import org.ptlab.tensor.Tensor;
import org.ptlab.tuning.AdapterFiles;
import org.ptlab.tuning.TunedModel;

/** Check C2 of spec §7: ΔW2 = R·H⁺ fits the shared-token dataset exactly, on the real Transformer and as LoRA. */
class ExactLoraUpdateTest {
  private static final SharedTokenConstruction C = SharedTokenConstructionTest.EXAMPLE;

  /** A fresh copy of the construct model (its weights), so that tests do not share frozen/merged state. */
  private static Transformer copy(double[][] addToW2) {
    Map<String, Tensor> w = new LinkedHashMap<>();
    for (var e : C.model().parameters().all().entrySet()) w.put(e.getKey(), e.getValue().copy());
    if (addToW2 != null) {
      Tensor w2 = w.get(PaperLayer.mlpOutModule() + ".weight");
      for (int i = 0; i < addToW2.length; i++) {
        for (int j = 0; j < addToW2[0].length; j++) w2.setFlat(i * addToW2[0].length + j, w2.get(i, j) + addToW2[i][j]);
      }
    }
    return Transformer.withWeights(C.config(), w, "construct example");
  }

  private static double sse(TunedModel tuned) {
    double s = 0;
    try (GradMode.Scope g = GradMode.noGrad()) {
      for (int i = 0; i < C.inputs().length; i++) {
        double[][] y = PromptModels.rows(tuned.forward(ModelInput.ofVectors(PromptModels.tensor(C.inputs()[i])), ForwardMode.EVAL));
        for (int j = 0; j < y.length; j++) s += LinAlg.dist2(y[j], C.targets()[i][j]);
      }
    }
    return s;
  }

  @Test
  void updatedW2FitsTheDatasetOnTheRealTransformer() {
    ExactLoraUpdate up = ExactLoraUpdate.fit(C.model(), C.inputs(), C.targets());
    assertTrue(up.certificate().applies(), up.certificate().reason());
    assertEquals(2, up.rank(), "two constrained positions carry a residual");
    assertEquals(2L * (6 + 12), up.parameters());
    assertEquals(up.parameters(), up.certificate().details().get("parameters"));
    double before = PromptModels.sse(C.model(), null, C.inputs(), C.targets());
    double after = PromptModels.sse(copy(up.deltaW2()), null, C.inputs(), C.targets());
    assertTrue(after <= 1e-20, "W2 + ΔW2: SSE " + after);
    // scaling·B·A = ΔW2 (scaling 1)
    for (int i = 0; i < 6; i++) {
      for (int j = 0; j < 12; j++) {
        double ba = 0;
        for (int c = 0; c < up.rank(); c++) ba += up.loraB()[i][c] * up.loraA()[c][j];
        assertEquals(up.deltaW2()[i][j], ba, 1e-13, "B·A entry " + i + "," + j);
      }
    }
    System.out.printf("exact update: rank %d, %d parameters, SSE %.3g -> %.3g (W2 + ΔW2)%n", up.rank(),
        up.parameters(), before, after);
  }

  @Test
  void asLoraOnMlpOutAndThroughPtlabsAdapterFiles(@TempDir Path dir) throws Exception {
    ExactLoraUpdate up = ExactLoraUpdate.fit(C.model(), C.inputs(), C.targets());
    Transformer model = copy(null);
    double viaHooks = sse(TunedModel.of(model, up.toLora(model)));
    assertTrue(viaHooks <= 1e-20, "LoRA hooks: SSE " + viaHooks);
    Path out = dir.resolve("exact-lora");
    up.write(copy(null), out, "paper-test-model", null);
    assertTrue(Files.isRegularFile(out.resolve(AdapterFiles.CONFIG)));
    String config = Files.readString(out.resolve(AdapterFiles.CONFIG));
    assertTrue(config.contains("encoder.layer.0.output.dense") && config.contains("\"r\" : 2"), config);
    assertTrue(config.contains("\"base_model_name_or_path\" : \"paper-test-model\""), config);
    double loaded = sse(AdapterFiles.load(out, copy(null)));
    assertTrue(loaded <= 1e-20, "adapter written and read back by PTLab: SSE " + loaded);
  }

  @Test
  void refusesWhenIdenticalInputsAskForDifferentOutputs() {
    double[][][] x = {C.inputs()[0], C.inputs()[0]};
    double[][][] y = {C.targets()[0], C.targets()[1]}; // same hidden activations, other targets
    ExactLoraUpdate up = ExactLoraUpdate.fit(C.model(), x, y);
    assertFalse(up.certificate().applies());
    assertTrue(up.certificate().reason().contains("no solution"), up.certificate().reason());
  }
}
