package org.ptlab.tuning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ptlab.tuning.Fixtures.assertBitEqual;
import static org.ptlab.tuning.Fixtures.maxAbsDiff;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ptlab.nn.ForwardHooks;
import org.ptlab.nn.ForwardMode;
import org.ptlab.nn.ModelInput;
import org.ptlab.nn.Presets;
import org.ptlab.nn.Transformer;
import org.ptlab.nn.TransformerConfig.Head;
import org.ptlab.nn.TransformerConfig.Pooling;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;
import org.ptlab.tuning.lora.Lora;
import org.ptlab.tuning.lora.LoraConfig;
import org.ptlab.tuning.prefix.PrefixTuning;
import org.ptlab.tuning.prefix.PrefixTuningConfig;
import org.ptlab.tuning.prompt.PromptInit;
import org.ptlab.tuning.prompt.PromptTuning;
import org.ptlab.tuning.prompt.PromptTuningConfig;

/** The must-hold list of issue 4 for every method: output length, masks, disabled adapters, the summary line. */
class TunedModelTest {
  static PromptTuning prompt(Transformer m, int length, int position) {
    return PromptTuning.create(new PromptTuningConfig(length, PromptInit.RANDOM, 0.5, null, null, 0, position, null),
        m, new Rng(2));
  }

  static Lora loraWithUpdate(Transformer m, List<String> targets) {
    Lora lora = Lora.create(new LoraConfig(2, 4, 0.0, targets, false), m, new Rng(3));
    long seed = 10;
    for (Map.Entry<String, Tensor> e : lora.trainable().entrySet()) {
      if (e.getKey().endsWith("lora_B.weight")) Fixtures.randomize(e.getValue(), 0.5, seed++);
    }
    return lora;
  }

  @Test
  void outputLengthEqualsInputLengthWithAnyPrompt() {
    Transformer m = Fixtures.model(Fixtures.tinyBert()); // head NONE: hidden states [B, m, d]
    ModelInput in = Fixtures.paddedTokenInput();
    List<TunedModel> tuned = List.of(
        TunedModel.of(m, prompt(m, 5, 0)),
        TunedModel.of(m, prompt(m, 5, 1)),
        TunedModel.of(m, PrefixTuning.create(PrefixTuningConfig.of(7), m, new Rng(2))),
        TunedModel.of(m, PrefixTuning.create(new PrefixTuningConfig(3, true, 8, false, 1.0), m, new Rng(2))),
        TunedModel.of(m, loraWithUpdate(m, List.of("q", "v")), prompt(m, 4, 0)));
    Tensor base = m.forward(in, ForwardHooks.NONE, ForwardMode.EVAL);
    for (TunedModel t : tuned) {
      Tensor out = t.forward(in, ForwardMode.EVAL);
      assertArrayEquals(new int[] {2, 6, 16}, out.shape(), t.methods().toString());
      assertTrue(maxAbsDiff(base, out) > 1e-3, "the method changes the output: " + t.methods());
    }
    // per-position heads keep the input length too
    for (Head head : new Head[] {Head.REGRESS, Head.LM}) {
      Transformer h = Fixtures.model(Fixtures.tinyBert().withHead(head, Pooling.MEAN, 3));
      int width = head == Head.LM ? 50 : 3;
      assertArrayEquals(new int[] {2, 6, width}, TunedModel.of(h, prompt(h, 9, 0)).forward(in, ForwardMode.EVAL).shape());
    }
    // the paper's layer reads vectors; a prompt of any length leaves [B, m, d]
    Transformer paper = Fixtures.model(Presets.paper(8, 16));
    for (int mp : new int[] {1, 3, 17}) {
      Tensor y = TunedModel.of(paper, prompt(paper, mp, 0)).forward(Fixtures.vectorInput(3, 4, 8, 5), ForwardMode.EVAL);
      assertArrayEquals(new int[] {3, 4, 8}, y.shape());
    }
  }

  /** Masks grow with the prompt: a padded row gives what the same row gives unpadded, prompt or prefix attached. */
  @Test
  void paddedRowsMatchUnpaddedRowsWithPromptAndPrefix() {
    Transformer m = Fixtures.model(Fixtures.tinyBert());
    int[][] shortRow = {{1, 40, 3, 3}};
    for (TunedModel t : List.of(TunedModel.of(m, prompt(m, 3, 0)), TunedModel.of(m, prompt(m, 3, 1)),
        TunedModel.of(m, PrefixTuning.create(PrefixTuningConfig.of(2), m, new Rng(4))))) {
      Tensor padded = t.forward(Fixtures.paddedTokenInput(), ForwardMode.EVAL); // [2, 6, d], row 1 real up to 4
      Tensor alone = t.forward(ModelInput.ofTokens(shortRow), ForwardMode.EVAL); // [1, 4, d]
      Tensor realPart = padded.slice(0, 1, 2).slice(1, 0, 4);
      assertTrue(maxAbsDiff(alone, realPart) < 1e-12, t.methods() + ": " + maxAbsDiff(alone, realPart));
    }
  }

  @Test
  void disabledAdaptersGiveTheBaseModelBitExact() {
    Transformer pristine = Fixtures.model(Fixtures.tinyClassifier(3, Pooling.MEAN));
    Tensor expected = pristine.forward(Fixtures.paddedTokenInput(), ForwardHooks.NONE, ForwardMode.EVAL);
    Transformer m = Fixtures.model(Fixtures.tinyClassifier(3, Pooling.MEAN));
    ModulesToSave head = ModulesToSave.ofHead(m);
    Fixtures.randomize(head.trainable().get("base_model.model.classifier.weight"), 1.0, 8); // a trained head
    List<TunedModel> all = List.of(
        TunedModel.of(m, prompt(m, 4, 0), head),
        TunedModel.of(m, prompt(m, 4, 1), ModulesToSave.ofHead(m)),
        TunedModel.of(m, PrefixTuning.create(PrefixTuningConfig.of(3), m, new Rng(5))),
        TunedModel.of(m, loraWithUpdate(m, List.of("q", "k", "v", "o", "mlp_in", "mlp_out"))),
        TunedModel.of(m, loraWithUpdate(m, List.of("q", "v")), prompt(m, 2, 0), head));
    for (TunedModel t : all) {
      assertTrue(maxAbsDiff(expected, t.forward(Fixtures.paddedTokenInput(), ForwardMode.EVAL)) > 1e-6, t.methods().toString());
      t.disableAdapters();
      assertFalse(t.adaptersEnabled());
      assertBitEqual(expected, t.forward(Fixtures.paddedTokenInput(), ForwardMode.EVAL), "disabled " + t.methods());
      t.enableAdapters();
      assertTrue(maxAbsDiff(expected, t.forward(Fixtures.paddedTokenInput(), ForwardMode.EVAL)) > 1e-6);
    }
  }

  @Test
  void attachingFreezesTheBaseAndTrainsOnlyTheMethod() {
    Transformer m = Fixtures.model(Fixtures.tinyClassifier(3, Pooling.MEAN));
    TunedModel t = TunedModel.of(m, prompt(m, 4, 0), ModulesToSave.ofHead(m));
    for (Tensor w : m.parameters().all().values()) assertFalse(w.requiresGrad());
    assertEquals(List.of("prompt_embeddings", "base_model.model.classifier.weight", "base_model.model.classifier.bias"),
        List.copyOf(t.trainable().keySet()));
    for (Tensor w : t.trainable().values()) assertTrue(w.requiresGrad() && w.isLeaf());
    assertEquals(PeftMethod.PROMPT, t.method(PeftMethod.PROMPT).kind());
    assertEquals(null, t.method(PeftMethod.LORA));
  }

  @Test
  void twoPromptsOrTwoPrefixesCannotCompose() {
    Transformer m = Fixtures.model(Fixtures.tinyBert());
    TunedModel twoPrompts = TunedModel.of(m, prompt(m, 2, 0), prompt(m, 3, 0));
    Exception e = assertThrows(IllegalArgumentException.class, () -> twoPrompts.forward(Fixtures.tokenInput(), ForwardMode.EVAL));
    assertTrue(e.getMessage().contains("prompt"), e.getMessage());
    TunedModel twoPrefixes = TunedModel.of(m, PrefixTuning.create(PrefixTuningConfig.of(2), m, new Rng(1)),
        PrefixTuning.create(PrefixTuningConfig.of(2), m, new Rng(2)));
    e = assertThrows(IllegalArgumentException.class, () -> twoPrefixes.forward(Fixtures.tokenInput(), ForwardMode.EVAL));
    assertTrue(e.getMessage().contains("prefix"), e.getMessage());
  }

  /** PEFT's print_trainable_parameters: "trainable params: 99 || all params: 6,486 || trainable%: 1.5264". */
  @Test
  void summaryLineCountsLikePeft() {
    Transformer m = Fixtures.model(Fixtures.tinyClassifier(3, Pooling.MEAN));
    long base = m.parameters().count();
    assertEquals(6387, base); // embeddings 1,888 + 2 blocks × 2,224 + classifier 51
    TunedModel t = TunedModel.of(m, prompt(m, 3, 0), ModulesToSave.ofHead(m));
    assertEquals(3 * 16 + 16 * 3 + 3, t.trainableCount());
    assertEquals(base + 99, t.totalCount());
    assertEquals("trainable params: 99 || all params: 6,486 || trainable%: 1.5264", t.summary());

    Transformer big = Transformer.create(Presets.bert(), null); // zeros: only the sizes matter here
    TunedModel lora = TunedModel.of(big, Lora.create(LoraConfig.of(8), big, new Rng(1)));
    // 6 layers × (q, v) × (A [8, 384] + B [384, 8])
    assertEquals(6 * 2 * 2 * 8 * 384, lora.trainableCount());
    assertTrue(lora.summary().matches("trainable params: 73,728 \\|\\| all params: [0-9,]+ \\|\\| trainable%: 0\\.32\\d\\d"),
        lora.summary());
    assertNotEquals(t.summary(), lora.summary());
  }
}
