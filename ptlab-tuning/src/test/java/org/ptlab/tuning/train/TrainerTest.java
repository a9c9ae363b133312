package org.ptlab.tuning.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ptlab.io.data.Dataset;
import org.ptlab.io.data.Example;
import org.ptlab.io.safetensors.SafetensorsFile;
import org.ptlab.nn.Transformer;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;
import org.ptlab.tuning.Fixtures;
import org.ptlab.tuning.ModulesToSave;
import org.ptlab.tuning.TunedModel;
import org.ptlab.tuning.batch.BatchConfig;
import org.ptlab.tuning.batch.Batcher;
import org.ptlab.tuning.full.FullFineTuning;
import org.ptlab.tuning.lora.Lora;
import org.ptlab.tuning.lora.LoraConfig;

/** The trainer learns, is deterministic, stops early, and stops on NaN keeping the last good checkpoint. */
class TrainerTest {
  static TrainerConfig config(double lr, int epochs, int batch) {
    return TrainerConfig.defaults().withLr(lr).withEpochs(epochs).withBatch(batch);
  }

  static Metrics eval(TrainFixtures.Run r, Dataset data) {
    return Evaluator.evaluate(r.tuned(), data, r.task(), 8, 0);
  }

  @Test
  void promptTuningFitsATeachersPromptOnThePapersLayer() throws IOException {
    TrainFixtures.Run r = TrainFixtures.paperPrompt(config(0.05, 20, 8), 32);
    double before = eval(r, r.train()).loss();
    TrainResult res = r.trainer().fit(r.train(), r.validation());
    double after = eval(r, r.train()).loss();
    assertTrue(after < 0.1 * before, before + " -> " + after);
    assertEquals("completed", res.stopReason());
    assertEquals(20 * 4, res.steps());
    assertEquals(80, res.losses().length);
    assertEquals(20, res.history().size());
    assertTrue(res.history().get(19).trainLoss() < res.history().get(0).trainLoss());
    assertTrue(Double.isNaN(res.history().get(19).validation().accuracy()), "regression has no accuracy");
    assertTrue(res.history().get(19).validation().loss() < res.history().get(0).validation().loss());
  }

  @Test
  void loraLearnsATinyClassification() throws IOException {
    TrainFixtures.Run lora = TrainFixtures.loraClassification(config(0.01, 10, 8), DType.F64, 0.0);
    Metrics before = eval(lora, lora.train());
    lora.trainer().fit(lora.train(), null);
    Metrics after = eval(lora, lora.train());
    assertTrue(after.loss() < 0.7 * before.loss(), before + " -> " + after);
    assertTrue(after.accuracy() > before.accuracy() + 0.2, before + " -> " + after);
  }

  @Test
  void fullFineTuningLearnsATinyClassification() throws IOException {
    Transformer m = Transformer.create(TrainFixtures.classifier(DType.F64, 0.0), new Rng(Fixtures.MODEL_SEED));
    TrainFixtures.Run full = new TrainFixtures.Run(TunedModel.of(m, new FullFineTuning(m)), Task.CLASSIFICATION,
        config(3e-3, 10, 8), TrainFixtures.classificationData(48, 11), null);
    Metrics before = eval(full, full.train());
    full.trainer().fit(full.train(), null);
    Metrics fullAfter = eval(full, full.train());
    assertTrue(fullAfter.loss() < 0.2 * before.loss(), before + " -> " + fullAfter);
    assertEquals(1.0, fullAfter.accuracy());
  }

  @Test
  void languageModelNextTokenLossDecreases() throws IOException {
    Transformer gpt = Fixtures.model(Fixtures.tinyGpt(DType.F32));
    Dataset data = TrainFixtures.countingData(32, 3);
    assertEquals(Task.LANGUAGE_MODELLING, Task.of(gpt.config().head(), data));
    TrainFixtures.Run r = new TrainFixtures.Run(TunedModel.of(gpt, new FullFineTuning(gpt)), Task.LANGUAGE_MODELLING,
        config(1e-2, 10, 8), data, null);
    Metrics before = eval(r, data);
    TrainResult res = r.trainer().fit(data, null);
    Metrics after = eval(r, data);
    assertTrue(after.loss() < 0.3 * before.loss(), before + " -> " + after);
    assertTrue(after.accuracy() > 0.8, after.toString());
    assertTrue(res.losses()[res.losses().length - 1] < res.losses()[0]);
  }

  /** Shuffling, dropout (model and LoRA), init: all from the seed, so two runs end with the same bytes. */
  @Test
  void sameSeedGivesBitIdenticalTrainedTensors() throws IOException {
    TrainerConfig c = config(0.01, 3, 8).withSeed(5);
    TrainFixtures.Run a = TrainFixtures.composed(c, DType.F64);
    TrainFixtures.Run b = TrainFixtures.composed(c, DType.F64);
    TrainResult ra = a.trainer().fit(a.train(), a.validation());
    TrainResult rb = b.trainer().fit(b.train(), b.validation());
    assertArrayEquals(ra.losses(), rb.losses());
    Map<String, long[]> bitsA = TrainFixtures.bits(a.tuned());
    Map<String, long[]> bitsB = TrainFixtures.bits(b.tuned());
    bitsA.forEach((k, v) -> assertArrayEquals(v, bitsB.get(k), k));
    TrainFixtures.Run other = TrainFixtures.composed(c.withSeed(6), DType.F64);
    other.trainer().fit(other.train(), other.validation());
    assertFalse(java.util.Arrays.equals(bitsA.get("prompt_embeddings"),
        TrainFixtures.bits(other.tuned()).get("prompt_embeddings")), "another seed, another run");
  }

  /** Validation labels that contradict the training labels get worse as training goes on. */
  @Test
  void earlyStoppingStopsWhenValidationLossStopsImproving() throws IOException {
    List<Example> flipped = new ArrayList<>();
    for (Example e : TrainFixtures.classificationData(12, 12).examples()) {
      flipped.add(Example.ofTokens(e.tokens(), (e.label() + 1) % 3));
    }
    Dataset validation = Dataset.of("flipped", flipped);
    TrainFixtures.Run r = TrainFixtures.loraClassification(config(0.01, 20, 8).withPatience(2), DType.F64, 0.0);
    TrainResult res = r.trainer().fit(r.train(), validation);
    assertEquals("early_stopping", res.stopReason());
    assertEquals(3, res.history().size(), "epoch 0 sets the best loss, epochs 1 and 2 do not improve it");
    assertEquals(3 * 6, res.steps());
    List<EpochRecord> h = res.history();
    assertTrue(h.get(1).validation().loss() >= h.get(0).validation().loss());
    assertTrue(h.get(2).validation().loss() >= h.get(0).validation().loss());
    // patience 0 never stops early
    TrainFixtures.Run never = TrainFixtures.loraClassification(config(0.01, 4, 8), DType.F64, 0.0);
    TrainResult all = never.trainer().fit(never.train(), validation);
    assertEquals("completed", all.stopReason());
    assertEquals(4, all.history().size());
  }

  /** A NaN in one example's input: the step that meets it stops the run; the checkpoint before it stays. */
  @Test
  void aPoisonedInputStopsTheRunNamingTheStepAndKeepsTheLastCheckpoint(@TempDir Path dir) throws IOException {
    TrainerConfig c = config(0.05, 3, 4).withCheckpointEvery(1);
    TrainFixtures.Run clean = TrainFixtures.paperPrompt(c, 16);
    List<Example> examples = new ArrayList<>(clean.train().examples());
    int poisoned = 5;
    double[][] rows = examples.get(poisoned).inputs().clone();
    rows[1] = rows[1].clone();
    rows[1][3] = Double.NaN;
    examples.set(poisoned, Example.ofInputs(rows, examples.get(poisoned).target()));
    Dataset data = Dataset.of("poisoned", examples);
    int badStep = stepThatMeets(data, c, poisoned);
    assertTrue(badStep > 1, "the poisoned example comes after a good step");

    TrainFixtures.Run r = TrainFixtures.paperPrompt(c, 16);
    Path ck = dir.resolve("run");
    TrainingDiverged e = assertThrows(TrainingDiverged.class, () -> r.trainer().checkpointTo(ck).fit(data, null));
    String last = String.format("step-%09d", badStep - 1);
    assertEquals("step " + badStep + ": loss is NaN; kept the last finite checkpoint " + ck.resolve(last),
        e.getMessage());
    assertEquals(ck.resolve(last), e.kept());
    assertEquals(last, Files.readString(ck.resolve(Checkpoints.LATEST)).trim());
    // the checkpoint holds what a run stopped just before the bad step holds; so does the model
    TrainFixtures.Run good = TrainFixtures.paperPrompt(c.withMaxSteps(badStep - 1), 16);
    good.trainer().fit(data, null);
    Tensor expected = good.tuned().trainable().get("prompt_embeddings");
    try (SafetensorsFile f = SafetensorsFile.open(ck.resolve(last).resolve("trainable.safetensors"))) {
      Fixtures.assertBitEqual(expected, f.tensor("prompt_embeddings", DType.F64), "checkpoint");
    }
    Fixtures.assertBitEqual(expected, r.tuned().trainable().get("prompt_embeddings"), "the bad step is not applied");
  }

  /** 1-based number of the step whose batch holds example {@code index}. */
  static int stepThatMeets(Dataset data, TrainerConfig c, int index) {
    Batcher b = new Batcher(data, BatchConfig.shuffled(c.batchSize(), c.seed()));
    int[] order = b.order(0);
    for (int i = 0; i < order.length; i++) if (order[i] == index) return i / c.batchSize() + 1;
    throw new AssertionError();
  }

  /** A learning rate of 1e300 blows up the second step's gradients before its loss: the message names the tensor. */
  @Test
  void aNonFiniteGradientNamesTheStepAndTheTensor(@TempDir Path dir) throws IOException {
    Transformer m = Transformer.create(TrainFixtures.classifier(DType.F64, 0.0), new Rng(Fixtures.MODEL_SEED));
    TunedModel tuned = TunedModel.of(m, Lora.create(LoraConfig.of(2), m, new Rng(2)), ModulesToSave.ofHead(m));
    Dataset data = TrainFixtures.classificationData(24, 5);
    TrainerConfig c = config(1e300, 5, 4).withCheckpointEvery(1);
    Trainer t = new Trainer(tuned, Task.CLASSIFICATION, c, 0).checkpointTo(dir);
    TrainingDiverged e = assertThrows(TrainingDiverged.class, () -> t.fit(data, null));
    assertTrue(e.getMessage().matches("step 2: gradient of '(.+)' is not finite; kept the last finite checkpoint .+"),
        e.getMessage());
    String name = e.getMessage().replaceAll("^step 2: gradient of '([^']+)'.*$", "$1");
    assertTrue(tuned.trainable().containsKey(name), name);
    assertEquals("step-000000001", Files.readString(dir.resolve(Checkpoints.LATEST)).trim());
    // full fine-tuning at 1e100 overflows the loss instead
    Transformer f = Transformer.create(TrainFixtures.classifier(DType.F64, 0.0), new Rng(Fixtures.MODEL_SEED));
    Trainer full = new Trainer(TunedModel.of(f, new FullFineTuning(f)), Task.CLASSIFICATION, config(1e100, 5, 4), 0);
    assertEquals("step 2: loss is NaN", assertThrows(TrainingDiverged.class, () -> full.fit(data, null)).getMessage());
  }

  @Test
  void configRejectsBadValuesNamingTheOption() {
    TrainerConfig d = TrainerConfig.defaults();
    assertTrue(assertThrows(IllegalArgumentException.class, () -> d.withEpochs(0)).getMessage().contains("--epochs"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> d.withBatch(0)).getMessage().contains("--batch"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> d.withLr(Double.NaN)).getMessage().contains("--lr"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> d.withLr(Double.POSITIVE_INFINITY)).getMessage()
        .contains("--lr"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> d.withMaxSteps(-1)).getMessage()
        .contains("--max-steps"));
  }
}
