package org.ptlab.tuning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.ptlab.tuning.Fixtures.assertBitEqual;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ptlab.io.AtomicFiles;
import org.ptlab.io.safetensors.SafetensorsWriter;
import org.ptlab.nn.ForwardMode;
import org.ptlab.nn.ModelInput;
import org.ptlab.nn.Transformer;
import org.ptlab.nn.TransformerConfig.Pooling;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;
import org.ptlab.tuning.prompt.PromptTuning;
import org.ptlab.tuning.prompt.PromptTuningConfig;

/**
 * Adapters as PTLab wrote them before format 2 still load with their meaning: a head beside a prompt under
 * {@code base_model.model.} (PEFT's key is {@code base_model.}), a head alone as an adapter_config.json with a null
 * peft_type; and the head rule follows PEFT: a classifier trains beside a method, a language model's lm_head only
 * when asked.
 */
class OldAdapterFilesTest {
  static final ModelInput IN = Fixtures.paddedTokenInput();

  static Transformer classifier() {
    return Fixtures.model(Fixtures.tinyClassifier(3, Pooling.MEAN));
  }

  static Map<String, Tensor> head(long seed) {
    Map<String, Tensor> t = new LinkedHashMap<>();
    t.put("base_model.model.classifier.weight", Tensor.randn(new Rng(seed), DType.F64, 0.5, 3, 16));
    t.put("base_model.model.classifier.bias", Tensor.randn(new Rng(seed + 1), DType.F64, 0.5, 3));
    return t;
  }

  @Test
  void aFormatOnePromptAdapterWithItsHeadUnderBaseModelModelLoads(@TempDir Path dir) throws IOException {
    Map<String, Tensor> file = new LinkedHashMap<>(head(7));
    Tensor prompt = Tensor.randn(new Rng(9), DType.F64, 0.5, 3, 16);
    file.put("prompt_embeddings", prompt);
    SafetensorsWriter.write(dir.resolve(AdapterFiles.WEIGHTS), file, Map.of("format", "pt"));
    AtomicFiles.write(dir.resolve(AdapterFiles.CONFIG), """
        {"peft_type": "PROMPT_TUNING", "num_virtual_tokens": 3, "token_dim": 16, "modules_to_save": ["classifier"],
         "task_type": "SEQ_CLS", "base_model_name_or_path": null,
         "ptlab": {"format_version": 1, "method": "prompt", "prompt_position": 0}}
        """);
    TunedModel loaded = AdapterFiles.load(dir, classifier());
    Transformer m = classifier();
    PromptTuning pt = PromptTuning.create(PromptTuningConfig.random(3), m, new Rng(1));
    ModulesToSave h = ModulesToSave.ofHead(m);
    try (var s = org.ptlab.tensor.GradMode.noGrad()) {
      pt.prompt().copyFrom(prompt);
      h.trainable().forEach((k, v) -> v.copyFrom(file.get(k)));
    }
    assertBitEqual(TunedModel.of(m, pt, h).forward(IN, ForwardMode.EVAL), loaded.forward(IN, ForwardMode.EVAL),
        "format-1 prompt + head");
  }

  @Test
  void aFormatOneHeadOnlyAdapterLoads(@TempDir Path dir) throws IOException {
    Map<String, Tensor> file = head(11);
    SafetensorsWriter.write(dir.resolve(AdapterFiles.WEIGHTS), file, Map.of("format", "pt"));
    AtomicFiles.write(dir.resolve(AdapterFiles.CONFIG), """
        {"peft_type": null, "modules_to_save": ["classifier"], "task_type": "SEQ_CLS",
         "ptlab": {"format_version": 1, "method": "head"}}
        """);
    TunedModel loaded = AdapterFiles.load(dir, classifier());
    assertEquals(List.of(PeftMethod.HEAD), loaded.methods().stream().map(TuningMethod::kind).toList());
    Transformer m = classifier();
    ModulesToSave h = ModulesToSave.ofHead(m);
    try (var s = org.ptlab.tensor.GradMode.noGrad()) {
      h.trainable().forEach((k, v) -> v.copyFrom(file.get(k)));
    }
    assertBitEqual(TunedModel.of(m, h).forward(IN, ForwardMode.EVAL), loaded.forward(IN, ForwardMode.EVAL), "head");
  }

  /** PEFT's CAUSAL_LM trains no lm_head (1,650 of 1,746 parameters in the gpt run); ALL opts in. */
  @Test
  void theHeadRuleTrainsAClassifierButNotLmHeadUnlessAsked() {
    MethodConfigs configs = new MethodConfigs() {
      @Override
      public PromptTuningConfig prompt() {
        return PromptTuningConfig.random(2);
      }
    };
    Transformer gpt = Fixtures.model(Fixtures.tinyGpt(DType.F64));
    List<PeftMethod> prompt = List.of(PeftMethod.PROMPT);
    assertEquals(List.of(PeftMethod.PROMPT), kinds(PeftMethod.build(prompt, configs, gpt, new Rng(1), true)));
    assertEquals(List.of(PeftMethod.PROMPT, PeftMethod.HEAD),
        kinds(PeftMethod.build(prompt, configs, gpt, new Rng(1), PeftMethod.HeadRule.ALL)));
    assertEquals(List.of(PeftMethod.PROMPT, PeftMethod.HEAD),
        kinds(PeftMethod.build(prompt, configs, classifier(), new Rng(1), PeftMethod.HeadRule.PEFT)));
    assertEquals(List.of(PeftMethod.PROMPT),
        kinds(PeftMethod.build(prompt, configs, classifier(), new Rng(1), PeftMethod.HeadRule.NONE)));
    TunedModel lm = TunedModel.of(gpt, PeftMethod.build(prompt, configs, gpt, new Rng(1), true).toArray(TuningMethod[]::new));
    assertEquals(2 * 16, lm.trainableCount(), "the prompt alone");
  }

  private static List<PeftMethod> kinds(List<TuningMethod> methods) {
    return methods.stream().map(TuningMethod::kind).toList();
  }
}
