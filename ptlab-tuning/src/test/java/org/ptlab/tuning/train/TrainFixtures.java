package org.ptlab.tuning.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ptlab.io.data.Dataset;
import org.ptlab.io.data.Example;
import org.ptlab.io.data.Target;
import org.ptlab.nn.ConfigJson;
import org.ptlab.nn.ForwardMode;
import org.ptlab.nn.ModelInput;
import org.ptlab.nn.Presets;
import org.ptlab.nn.Transformer;
import org.ptlab.nn.TransformerConfig.Pooling;
import org.ptlab.nn.TransformerConfig;
import org.ptlab.nn.attention.AttentionKernel;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.GradMode;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;
import org.ptlab.tuning.Fixtures;
import org.ptlab.tuning.ModulesToSave;
import org.ptlab.tuning.TunedModel;
import org.ptlab.tuning.lora.Lora;
import org.ptlab.tuning.lora.LoraConfig;
import org.ptlab.tuning.prompt.PromptTuning;
import org.ptlab.tuning.prompt.PromptTuningConfig;

/**
 * Small learnable tasks for the trainer tests. Everything is a function of its arguments, so a child JVM that calls
 * the same method builds the same model, data and settings.
 */
public final class TrainFixtures {
  private TrainFixtures() {}

  /** A model, its methods and what it trains on. */
  public record Run(TunedModel tuned, Task task, TrainerConfig config, Dataset train, Dataset validation) {
    public Trainer trainer() {
      return new Trainer(tuned, task, config, 0);
    }
  }

  /**
   * Prompt tuning on the paper's layer (d = 8, MLP 16): the targets are what the same frozen layer outputs with a
   * hidden "teacher" prompt, so a prompt that fits them exists. Per-position targets, MSE.
   */
  public static Run paperPrompt(TrainerConfig config, int n) {
    Transformer teacherModel = Fixtures.model(Presets.paper(8, 16));
    PromptTuning teacher = PromptTuning.create(new PromptTuningConfig(4, org.ptlab.tuning.prompt.PromptInit.RANDOM,
        1.0, null, null, 0, 0, null), teacherModel, new Rng(99));
    Dataset data = paperData(TunedModel.of(teacherModel, teacher), n, 7);
    Transformer m = Fixtures.model(Presets.paper(8, 16));
    TunedModel student = TunedModel.of(m, PromptTuning.create(PromptTuningConfig.random(4), m, new Rng(2)));
    return new Run(student, Task.SEQUENCE_REGRESSION, config, data, paperData(TunedModel.of(teacherModel, teacher), 8, 8));
  }

  /** n examples X [len, 8] ~ N(0, 1), lengths 2..4, targets = what {@code teacher} outputs. */
  static Dataset paperData(TunedModel teacher, int n, long seed) {
    Rng rng = new Rng(seed);
    List<Example> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int len = 2 + i % 3;
      Tensor x = Tensor.randn(rng, DType.F64, 1.0, 1, len, 8);
      Tensor y;
      try (GradMode.Scope s = GradMode.noGrad()) {
        y = teacher.forward(ModelInput.ofVectors(x), ForwardMode.EVAL);
      }
      double[][] rows = new double[len][8];
      for (int t = 0; t < len; t++) for (int j = 0; j < 8; j++) rows[t][j] = x.getFlat(t * 8 + j);
      out.add(Example.ofInputs(rows, new Target.PerPosition(y.toDoubleArray(), len, 8)));
    }
    return Dataset.of("paper teacher data", out);
  }

  /**
   * 3 classes told apart by which third of the vocabulary a sequence's tokens come from: [CLS]=1, then 2..5 ids from
   * 3 + 15·c + [0, 15).
   */
  public static Dataset classificationData(int n, long seed) {
    Rng rng = new Rng(seed);
    List<Example> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int c = i % 3;
      int[] ids = new int[3 + rng.nextInt(4)];
      ids[0] = 1;
      for (int t = 1; t < ids.length; t++) ids[t] = 3 + 15 * c + rng.nextInt(15);
      out.add(Example.ofTokens(ids, c));
    }
    return Dataset.of("3-class tokens", out);
  }

  public static TransformerConfig classifier(DType dtype, double dropout) {
    return ConfigJson.withOverrides(Fixtures.tinyClassifier(3, Pooling.MEAN),
        Map.of("dtype", dtype.name(), "dropout", Double.toString(dropout)));
  }

  /** LoRA (q, v, r = 4) + head copy on the tiny classifier; LoRA dropout 0.1 when {@code dropout} > 0. */
  public static Run loraClassification(TrainerConfig config, DType dtype, double dropout) {
    Transformer m = Transformer.create(classifier(dtype, dropout), new Rng(Fixtures.MODEL_SEED));
    Lora lora = Lora.create(new LoraConfig(4, 8, dropout, List.of("q", "v"), false), m, new Rng(3));
    return new Run(TunedModel.of(m, lora, ModulesToSave.ofHead(m)), Task.CLASSIFICATION, config,
        classificationData(48, 11), classificationData(12, 12));
  }

  /**
   * LoRA + a soft prompt + the head, on the tiny classifier with dropout: every kind of state a run carries. Runs on
   * {@link ComposedAttention}, and in float32 with ReLU, because the engine's fused attention softmax and its
   * float32 GELU give other bits once C2 has compiled them (see ComposedAttention); the bit-identity tests of the
   * trainer would otherwise test the JIT.
   */
  public static Run composed(TrainerConfig config, DType dtype) {
    return composed(config, dtype, ComposedAttention.INSTANCE);
  }

  /** {@link #composed(TrainerConfig, DType)} on the given attention kernel. */
  public static Run composed(TrainerConfig config, DType dtype, AttentionKernel kernel) {
    TransformerConfig c = classifier(dtype, 0.1);
    if (dtype == DType.F32) c = ConfigJson.withOverrides(c, Map.of("activation", "RELU"));
    Transformer m = Transformer.create(c, new Rng(Fixtures.MODEL_SEED));
    m.setAttentionKernel(kernel);
    Lora lora = Lora.create(new LoraConfig(2, 4, 0.1, List.of("q", "v"), false), m, new Rng(3));
    PromptTuning prompt = PromptTuning.create(PromptTuningConfig.random(3), m, new Rng(4));
    return new Run(TunedModel.of(m, lora, prompt, ModulesToSave.ofHead(m)), Task.CLASSIFICATION, config,
        classificationData(40, 11), classificationData(9, 12));
  }

  /** Counting sequences: from a random start s, the tokens s, s+1, s+2, … (wrapping inside 3..49). */
  public static Dataset countingData(int n, long seed) {
    Rng rng = new Rng(seed);
    List<Example> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int[] ids = new int[4 + rng.nextInt(5)];
      int s = rng.nextInt(47);
      for (int t = 0; t < ids.length; t++) ids[t] = 3 + (s + t) % 47;
      out.add(Example.ofTokens(ids, Target.None.INSTANCE));
    }
    return Dataset.of("counting", out);
  }

  /** The trainable tensors' bytes, by name. */
  public static Map<String, long[]> bits(TunedModel tuned) {
    Map<String, long[]> out = new java.util.LinkedHashMap<>();
    tuned.trainable().forEach((k, v) -> out.put(k, Fixtures.bits(v)));
    return out;
  }
}
