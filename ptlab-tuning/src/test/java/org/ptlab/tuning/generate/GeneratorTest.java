package org.ptlab.tuning.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ptlab.io.data.Dataset;
import org.ptlab.io.data.Example;
import org.ptlab.io.data.Target;
import org.ptlab.nn.DecodeCache;
import org.ptlab.nn.ForwardMode;
import org.ptlab.nn.ModelInput;
import org.ptlab.nn.Transformer;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.GradMode;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;
import org.ptlab.tuning.Fixtures;
import org.ptlab.tuning.TunedModel;
import org.ptlab.tuning.TuningMethod;
import org.ptlab.tuning.lora.Lora;
import org.ptlab.tuning.lora.LoraConfig;
import org.ptlab.tuning.prefix.PrefixTuning;
import org.ptlab.tuning.prefix.PrefixTuningConfig;
import org.ptlab.tuning.prompt.PromptTuning;
import org.ptlab.tuning.prompt.PromptTuningConfig;

/**
 * Generation through the real tuning methods: the cached steps give the full forward pass's logits, the virtual
 * tokens change what greedy decoding says, and the same seed samples the same tokens.
 */
class GeneratorTest {
  private static final int[] PROMPT = {3, 17, 9, 40};

  /** A tiny gpt with one method whose every trainable tensor is random (LoRA's B starts at 0 otherwise). */
  static TunedModel tuned(String method, long seed) {
    Transformer m = Fixtures.model(Fixtures.tinyGpt(DType.F64));
    TuningMethod t = switch (method) {
      case "none" -> null;
      case "prompt" -> PromptTuning.create(PromptTuningConfig.random(3), m, new Rng(seed));
      case "prefix" -> PrefixTuning.create(PrefixTuningConfig.of(3), m, new Rng(seed));
      case "projected-prefix" -> PrefixTuning.create(new PrefixTuningConfig(3, true, 8, false, 1.0), m, new Rng(seed));
      case "lora" -> Lora.create(LoraConfig.of(2), m, new Rng(seed));
      default -> throw new IllegalArgumentException(method);
    };
    if (t != null) {
      long s = seed;
      for (Tensor p : t.trainable().values()) Fixtures.randomize(p, 0.5, s++);
    }
    return TunedModel.of(m, t);
  }

  @ParameterizedTest
  @ValueSource(strings = {"none", "prompt", "prefix", "projected-prefix", "lora"})
  void cachedStepsMatchTheFullForward(String method) {
    TunedModel t = tuned(method, 4);
    int[] ids = Generator.generate(t, PROMPT, GenerationConfig.greedy(6));
    int[] seq = concat(PROMPT, ids);
    DecodeCache cache = t.model().newDecodeCache();
    try (GradMode.Scope s = GradMode.noGrad()) {
      Tensor step = t.decode(new int[][] {PROMPT}, cache);
      double worst = 0;
      for (int n = PROMPT.length; n <= seq.length; n++) {
        if (n > PROMPT.length) step = t.decode(new int[][] {{seq[n - 1]}}, cache);
        Tensor full = t.forward(ModelInput.ofTokens(new int[][] {Arrays.copyOf(seq, n)}), ForwardMode.EVAL);
        Tensor last = full.slice(1, n - 1, n);
        Tensor mine = step.slice(1, step.dim(1) - 1, step.dim(1));
        for (int i = 0; i < last.numel(); i++) worst = Math.max(worst, Math.abs(last.getFlat(i) - mine.getFlat(i)));
      }
      assertTrue(worst < 1e-12, method + ": max |logit difference| " + worst);
    }
  }

  /** The bug PEFT users report most: generation that ignores the virtual tokens. Here they change the output. */
  @ParameterizedTest
  @ValueSource(strings = {"prompt", "prefix", "lora"})
  void greedyOutputChangesWithTheAdapter(String method) {
    int[] base = Generator.generate(tuned("none", 0), PROMPT, GenerationConfig.greedy(12));
    int[] a = Generator.generate(tuned(method, 4), PROMPT, GenerationConfig.greedy(12));
    int[] b = Generator.generate(tuned(method, 11), PROMPT, GenerationConfig.greedy(12));
    assertFalse(Arrays.equals(base, a), method + " changes nothing: " + Arrays.toString(a));
    assertFalse(Arrays.equals(a, b), method + ": two adapters, one output " + Arrays.toString(a));
    assertArrayEquals(a, Generator.generate(tuned(method, 4), PROMPT, GenerationConfig.greedy(12)), "deterministic");
  }

  @Test
  void theSameSeedSamplesTheSameTokens() {
    TunedModel t = tuned("prompt", 4);
    GenerationConfig c = new GenerationConfig(20, 1.5, 10, 7);
    int[] first = Generator.generate(t, PROMPT, c);
    assertArrayEquals(first, Generator.generate(t, PROMPT, c));
    assertFalse(Arrays.equals(first, Generator.generate(t, PROMPT, new GenerationConfig(20, 1.5, 10, 8))));
    int[] topOne = Generator.generate(t, PROMPT, new GenerationConfig(20, 1.5, 1, 7));
    assertArrayEquals(Generator.generate(t, PROMPT, GenerationConfig.greedy(20)), topOne, "top-k 1 is greedy");
  }

  /** A stop token ends the text where it is first picked and is not returned; −1 never stops. */
  @Test
  void theStopTokenEndsGeneration() {
    TunedModel t = tuned("prompt", 4);
    int[] all = Generator.generate(t, PROMPT, GenerationConfig.greedy(20));
    int stop = all[5];
    int first = 0;
    while (all[first] != stop) first++;
    int[] stopped = Generator.generate(t, PROMPT, GenerationConfig.greedy(20).stoppingAt(stop));
    assertArrayEquals(Arrays.copyOf(all, first), stopped);
    assertArrayEquals(all, Generator.generate(t, PROMPT, GenerationConfig.greedy(20).stoppingAt(-1)));
  }

  @Test
  void topKDrawsOnlyFromTheKMostLikely() {
    double[] logits = {0.1, 3.0, 2.0, -1.0, 2.5};
    Rng rng = new Rng(1);
    GenerationConfig c = new GenerationConfig(1, 1.0, 2, 0);
    int[] counts = new int[5];
    for (int i = 0; i < 4000; i++) counts[Generator.pick(logits, c, rng)]++;
    assertEquals(0, counts[0] + counts[2] + counts[3]);
    double p1 = 1 / (1 + Math.exp(-0.5)); // softmax over {3.0, 2.5}
    assertEquals(p1, counts[1] / 4000.0, 0.03); // 4 standard errors
  }

  @Test
  void exactMatchComparesGreedyGenerationWithTheAnswer() {
    TunedModel t = tuned("prompt", 4);
    int[] said = Generator.generate(t, PROMPT, GenerationConfig.greedy(3));
    List<Example> ex = new ArrayList<>();
    ex.add(lmExample(PROMPT, said)); // what the model says: a match
    int[] wrong = said.clone();
    wrong[2] = (wrong[2] + 1) % 50;
    ex.add(lmExample(PROMPT, wrong)); // last token off: no match
    assertEquals(0.5, ExactMatch.of(t, Dataset.of("em", ex)));
  }

  @Test
  void modelsThatCannotGenerateSaySo() {
    Transformer bert = Fixtures.model(Fixtures.tinyClassifier(2, org.ptlab.nn.TransformerConfig.Pooling.MEAN));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Generator.generate(TunedModel.of(bert), PROMPT, GenerationConfig.greedy(2)));
    assertTrue(e.getMessage().contains("it has no LM head (head classify)"), e.getMessage());
    IllegalArgumentException room = assertThrows(IllegalArgumentException.class,
        () -> Generator.generate(tuned("prompt", 4), PROMPT, GenerationConfig.greedy(60)));
    assertTrue(room.getMessage().contains("the prompt's 4 tokens and 3 virtual tokens with 60 new tokens need 66 "
        + "positions; the model has 64"), room.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new GenerationConfig(0, 0, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new GenerationConfig(1, -1, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new GenerationConfig(1, 1, -1, 0));
  }

  private static Example lmExample(int[] prompt, int[] answer) {
    int[] tokens = concat(prompt, answer);
    int[] labels = tokens.clone();
    Arrays.fill(labels, 0, prompt.length, Target.TokenLabels.IGNORED);
    return Example.ofTokens(tokens, new Target.TokenLabels(labels));
  }

  private static int[] concat(int[] a, int[] b) {
    int[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
