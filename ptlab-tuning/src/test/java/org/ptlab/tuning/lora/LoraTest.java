package org.ptlab.tuning.lora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ptlab.tuning.Fixtures.assertBitEqual;
import static org.ptlab.tuning.Fixtures.maxAbsDiff;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ptlab.nn.ForwardHooks;
import org.ptlab.nn.ForwardMode;
import org.ptlab.nn.Transformer;
import org.ptlab.nn.TransformerConfig.Pooling;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;
import org.ptlab.tuning.Fixtures;
import org.ptlab.tuning.TunedModel;

/** LoRA: zero init is the base model, merge = unmerged, unmerge restores, scaling α/r or α/√r, PEFT's shapes. */
class LoraTest {
  static final List<String> ALL = List.of("q", "k", "v", "o", "mlp_in", "mlp_out");

  static Lora lora(Transformer m, int r, double alpha, boolean rs, List<String> targets) {
    return Lora.create(new LoraConfig(r, alpha, 0.0, targets, rs), m, new Rng(3));
  }

  static void randomizeB(Lora lora, double std) {
    long seed = 100;
    for (Map.Entry<String, Tensor> e : lora.trainable().entrySet()) {
      if (e.getKey().endsWith(".lora_B.weight")) Fixtures.randomize(e.getValue(), std, seed++);
    }
  }

  @Test
  void zeroInitialisedLoraIsTheBaseModelExactly() {
    Transformer m = Fixtures.model(Fixtures.tinyClassifier(3, Pooling.MEAN));
    Tensor base = m.forward(Fixtures.paddedTokenInput(), ForwardHooks.NONE, ForwardMode.EVAL);
    Lora lora = lora(m, 4, 8, false, ALL);
    for (Map.Entry<String, Tensor> e : lora.trainable().entrySet()) {
      double norm = e.getValue().square().sum().item();
      if (e.getKey().endsWith("lora_B.weight")) assertEquals(0.0, norm, e.getKey());
      else assertTrue(norm > 0, "A starts random: " + e.getKey());
    }
    TunedModel t = TunedModel.of(m, lora);
    assertBitEqual(base, t.forward(Fixtures.paddedTokenInput(), ForwardMode.EVAL), "B = 0");
    randomizeB(lora, 0.1);
    assertTrue(maxAbsDiff(base, t.forward(Fixtures.paddedTokenInput(), ForwardMode.EVAL)) > 1e-4, "B ≠ 0 changes the output");
  }

  @Test
  void mergedEqualsUnmergedAndUnmergeRestoresTheWeights() {
    Transformer m = Fixtures.model(Fixtures.tinyClassifier(3, Pooling.MEAN));
    Map<String, Tensor> frozen = Fixtures.snapshot(m.parameters().all());
    Lora lora = lora(m, 3, 5, false, ALL);
    randomizeB(lora, 0.3);
    TunedModel t = TunedModel.of(m, lora);
    Tensor unmerged = t.forward(Fixtures.paddedTokenInput(), ForwardMode.EVAL);
    lora.merge();
    double moved = maxAbsDiff(frozen.get("encoder.layer.0.attention.self.query.weight"),
        m.parameters().get("encoder.layer.0.attention.self.query.weight"));
    assertTrue(moved > 1e-3, "merge writes into the frozen weight");
    Tensor merged = t.forward(Fixtures.paddedTokenInput(), ForwardMode.EVAL);
    assertTrue(maxAbsDiff(unmerged, merged) < 1e-12, "merged vs unmerged: " + maxAbsDiff(unmerged, merged));
    lora.merge(); // idempotent: the update is not added twice
    assertTrue(maxAbsDiff(unmerged, t.forward(Fixtures.paddedTokenInput(), ForwardMode.EVAL)) < 1e-12);
    lora.unmerge();
    for (Map.Entry<String, Tensor> e : frozen.entrySet()) {
      assertTrue(maxAbsDiff(e.getValue(), m.parameters().get(e.getKey())) < 1e-12, e.getKey());
    }
    assertTrue(maxAbsDiff(unmerged, t.forward(Fixtures.paddedTokenInput(), ForwardMode.EVAL)) < 1e-12);
  }

  /** PEFT unmerges before running a disabled adapter; otherwise the merged update would leak into the base. */
  @Test
  void disablingAMergedLoraGivesTheBaseModel() {
    Transformer m = Fixtures.model(Fixtures.tinyClassifier(3, Pooling.MEAN));
    Tensor base = m.forward(Fixtures.paddedTokenInput(), ForwardHooks.NONE, ForwardMode.EVAL);
    Lora lora = lora(m, 2, 4, false, List.of("q", "v"));
    randomizeB(lora, 0.3);
    TunedModel t = TunedModel.of(m, lora);
    Tensor adapted = t.forward(Fixtures.paddedTokenInput(), ForwardMode.EVAL);
    lora.merge();
    t.disableAdapters();
    assertTrue(maxAbsDiff(base, t.forward(Fixtures.paddedTokenInput(), ForwardMode.EVAL)) < 1e-12, "disabled after merge");
    t.enableAdapters();
    assertTrue(maxAbsDiff(adapted, t.forward(Fixtures.paddedTokenInput(), ForwardMode.EVAL)) < 1e-12, "enabled again");
  }

  /** y + scaling·x·Aᵀ·Bᵀ with scaling α/r, or α/√r with rsLoRA (Kalajdzievski 2023). */
  @Test
  void scalingIsAlphaOverROrAlphaOverRootR() {
    assertEquals(16.0 / 4, new LoraConfig(4, 16, 0, List.of("q"), false).scaling(), 0);
    assertEquals(16.0 / 2, new LoraConfig(4, 16, 0, List.of("q"), true).scaling(), 0);
    assertEquals(6.0 / Math.sqrt(3), new LoraConfig(3, 6, 0, List.of("q"), true).scaling(), 1e-15);
    Transformer m = Fixtures.model(Fixtures.tinyBert());
    String module = "encoder.layer.1.intermediate.dense";
    Tensor x = Tensor.randn(new Rng(9), DType.F64, 1.0, 2, 5, 16);
    Tensor y = Tensor.randn(new Rng(10), DType.F64, 1.0, 2, 5, 32);
    for (boolean rs : new boolean[] {false, true}) {
      Lora lora = lora(m, 4, 6, rs, List.of("mlp_in"));
      randomizeB(lora, 1.0);
      Tensor a = lora.trainable().get(Lora.key(module, "lora_A"));
      Tensor b = lora.trainable().get(Lora.key(module, "lora_B"));
      double scaling = rs ? 6 / Math.sqrt(4) : 6.0 / 4;
      Tensor expected = y.add(x.matmul(a, false, true).matmul(b, false, true).mul(scaling));
      Tensor got = lora.hooks().linear(module, x, y, ForwardMode.EVAL);
      assertTrue(maxAbsDiff(expected, got) < 1e-12, "rsLora " + rs);
      assertBitEqual(y, lora.hooks().linear("encoder.layer.1.output.dense", y, y, ForwardMode.EVAL), "untargeted module");
    }
  }

  /** PEFT's keys and layouts: lora_A [r, in], lora_B [out, r]. */
  @Test
  void keysAndShapesFollowPeft() {
    Transformer m = Fixtures.model(Fixtures.tinyBert());
    Lora lora = lora(m, 3, 6, false, List.of("q", "mlp_in", "mlp_out"));
    assertEquals(List.of("encoder.layer.0.attention.self.query", "encoder.layer.0.intermediate.dense",
        "encoder.layer.0.output.dense", "encoder.layer.1.attention.self.query", "encoder.layer.1.intermediate.dense",
        "encoder.layer.1.output.dense"), lora.modules());
    Map<String, Tensor> t = lora.trainable();
    assertEquals(12, t.size());
    assertArrayEquals(new int[] {3, 16}, t.get("base_model.model.encoder.layer.0.attention.self.query.lora_A.weight").shape());
    assertArrayEquals(new int[] {16, 3}, t.get("base_model.model.encoder.layer.0.attention.self.query.lora_B.weight").shape());
    assertArrayEquals(new int[] {3, 16}, t.get("base_model.model.encoder.layer.1.intermediate.dense.lora_A.weight").shape());
    assertArrayEquals(new int[] {32, 3}, t.get("base_model.model.encoder.layer.1.intermediate.dense.lora_B.weight").shape());
    assertArrayEquals(new int[] {3, 32}, t.get("base_model.model.encoder.layer.1.output.dense.lora_A.weight").shape());
    assertArrayEquals(new int[] {16, 3}, t.get("base_model.model.encoder.layer.1.output.dense.lora_B.weight").shape());
    // A ~ U(−1/√in, 1/√in), as PEFT's kaiming_uniform_(a=√5)
    Tensor a = t.get("base_model.model.encoder.layer.1.output.dense.lora_A.weight");
    for (int i = 0; i < a.numel(); i++) assertTrue(Math.abs(a.getFlat(i)) <= 1 / Math.sqrt(32));
  }

  @Test
  void badConfigsAreRejectedNamingTheOption() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new LoraConfig(0, 1, 0, List.of("q"), false))
        .getMessage().contains("--rank"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new LoraConfig(2, 0, 0, List.of("q"), false))
        .getMessage().contains("--alpha"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new LoraConfig(2, 1, 1.0, List.of("q"), false))
        .getMessage().contains("--lora-dropout"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new LoraConfig(2, 1, 0, List.of(), false))
        .getMessage().contains("--targets"));
  }
}
