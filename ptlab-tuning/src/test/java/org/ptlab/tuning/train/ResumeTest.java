package org.ptlab.tuning.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ptlab.tensor.DType;
import org.ptlab.tuning.Fixtures;

/**
 * Resume, in process: a run stopped at a checkpoint and continued ends with the bytes of a run never stopped. The
 * child-JVM kill is {@link KillResumeTest}.
 */
class ResumeTest {
  /** 40 examples in batches of 8: 5 steps an epoch, 15 in all; linear decay after warm-up, clipping, dropout. */
  static TrainerConfig config() {
    return new TrainerConfig(3, 8, 0.02, TrainerConfig.Optimizer.ADAMW, 0.01, TrainerConfig.Schedule.LINEAR, 2, 1.0,
        7L, 0, 5, 0);
  }

  static void assertSameBits(Map<String, long[]> expected, Map<String, long[]> actual) {
    assertEquals(expected.keySet(), actual.keySet());
    expected.forEach((k, v) -> assertArrayEquals(v, actual.get(k), k));
  }

  static void assertSameHistory(TrainResult expected, TrainResult actual) {
    assertEquals(expected.history(), actual.history()); // records: train loss and validation metrics, exactly
    assertEquals(expected.steps(), actual.steps());
  }

  /** Runs {@code make}'s run uninterrupted, then stopped at {@code stopAt} and resumed; both must end equal. */
  static void stopAndResume(Function<TrainerConfig, TrainFixtures.Run> make, TrainerConfig c, int stopAt, Path dir)
      throws IOException {
    TrainFixtures.Run whole = make.apply(c);
    TrainResult expected = whole.trainer().fit(whole.train(), whole.validation());

    TrainFixtures.Run first = make.apply(c.withMaxSteps(stopAt));
    TrainResult part = first.trainer().checkpointTo(dir).fit(first.train(), first.validation());
    assertEquals("max_steps", part.stopReason());
    assertEquals(stopAt, part.steps());
    assertEquals(String.format("step-%09d", stopAt), Files.readString(dir.resolve(Checkpoints.LATEST)).trim());

    TrainFixtures.Run second = make.apply(c); // fresh weights: everything must come from the checkpoint
    TrainResult rest = second.trainer().checkpointTo(dir).fit(second.train(), second.validation());
    assertEquals("completed", rest.stopReason());
    assertEquals(expected.steps() - stopAt, rest.losses().length);
    double[] tail = java.util.Arrays.copyOfRange(expected.losses(), stopAt, expected.losses().length);
    assertArrayEquals(tail, rest.losses(), "the same losses after the resume");
    assertSameHistory(expected, rest);
    assertSameBits(TrainFixtures.bits(whole.tuned()), TrainFixtures.bits(second.tuned()));
  }

  @Test
  void resumeFromAMidEpochCheckpointEndsWithTheSameBytes(@TempDir Path dir) throws IOException {
    // step 7 = epoch 1, batch 2: Adam moments, dropout RNG, the schedule's step and an epoch record all carry over
    stopAndResume(c -> TrainFixtures.composed(c, DType.F64), config(), 7, dir);
  }

  @Test
  void resumeInFloat32EndsWithTheSameBytes(@TempDir Path dir) throws IOException {
    stopAndResume(c -> TrainFixtures.composed(c, DType.F32), config(), 3, dir);
  }

  /** A regression run: validation accuracy is NaN and, with patience 0, the best loss stays +∞ in state.json. */
  @Test
  void resumeAfterAnEpochEndWithRegressionMetrics(@TempDir Path dir) throws IOException {
    TrainerConfig c = TrainerConfig.defaults().withLr(0.05).withEpochs(3).withBatch(8).withSeed(3);
    stopAndResume(cfg -> TrainFixtures.paperPrompt(cfg, 20), c, 6, dir); // 3 steps an epoch: stop at an epoch end
  }

  @Test
  void checkpointsEveryNStepsKeepOnlyTheLatest(@TempDir Path dir) throws IOException {
    TrainFixtures.Run r = TrainFixtures.composed(config().withCheckpointEvery(4), DType.F64);
    r.trainer().checkpointTo(dir).fit(r.train(), r.validation());
    assertEquals("step-000000015", Files.readString(dir.resolve(Checkpoints.LATEST)).trim());
    try (var list = Files.list(dir)) {
      assertEquals(java.util.List.of("latest", "step-000000015"),
          list.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList());
    }
    // resuming a finished run trains nothing and keeps the bytes
    Map<String, long[]> done = TrainFixtures.bits(r.tuned());
    TrainFixtures.Run again = TrainFixtures.composed(config().withCheckpointEvery(4), DType.F64);
    TrainResult res = again.trainer().checkpointTo(dir).fit(again.train(), again.validation());
    assertEquals(0, res.losses().length);
    assertEquals(15, res.steps());
    assertSameBits(done, TrainFixtures.bits(again.tuned()));
  }

  @Test
  void resumingWithOtherSettingsDataOrMethodIsRefused(@TempDir Path dir) throws IOException {
    TrainFixtures.Run first = TrainFixtures.composed(config().withMaxSteps(4), DType.F64);
    first.trainer().checkpointTo(dir).fit(first.train(), first.validation());
    Map<String, TrainFixtures.Run> others = new java.util.LinkedHashMap<>();
    others.put("lr", TrainFixtures.composed(config().withLr(0.03), DType.F64));
    others.put("seed", TrainFixtures.composed(config().withSeed(8), DType.F64));
    others.put("batch", TrainFixtures.composed(config().withBatch(4), DType.F64));
    others.put("epochs", TrainFixtures.composed(config().withEpochs(5), DType.F64));
    TrainFixtures.Run lora = TrainFixtures.loraClassification(config(), DType.F64, 0.1);
    others.put("method", lora);
    for (Map.Entry<String, TrainFixtures.Run> e : others.entrySet()) {
      TrainFixtures.Run r = e.getValue();
      IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
          () -> r.trainer().checkpointTo(dir).fit(r.train(), r.validation()), e.getKey());
      Fixtures.assertOneLine(ex.getMessage());
      assertTrue(ex.getMessage().startsWith("--resume: the checkpoint belongs to a run with other data, settings or "
          + "method"), e.getKey() + ": " + ex.getMessage());
    }
    TrainFixtures.Run data = TrainFixtures.composed(config(), DType.F64);
    IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
        () -> data.trainer().checkpointTo(dir).fit(TrainFixtures.classificationData(41, 11), null));
    assertTrue(ex.getMessage().startsWith("--resume:"), ex.getMessage());
    // how often checkpoints are written is not part of the run
    TrainFixtures.Run ok = TrainFixtures.composed(config().withCheckpointEvery(2), DType.F64);
    assertEquals(15, ok.trainer().checkpointTo(dir).fit(ok.train(), ok.validation()).steps());
  }
}
