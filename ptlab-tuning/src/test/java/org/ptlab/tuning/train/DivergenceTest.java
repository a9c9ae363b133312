package org.ptlab.tuning.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ptlab.io.NonFiniteValueException;
import org.ptlab.io.data.Dataset;
import org.ptlab.io.data.Example;
import org.ptlab.io.safetensors.SafetensorsWriter;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.Tensor;

/**
 * No checkpoint holds a NaN or infinity: the trainer checks the trained tensors after every optimizer step (not only
 * the loss and gradients), names the step, the tensor and the checkpoint it keeps, and a non-finite checkpoint is
 * neither written nor resumed.
 */
class DivergenceTest {
  /** lr 1e38 in float32: loss and gradients are finite, the first update overflows the weights. */
  @Test
  void weightsThatOverflowInTheOptimizerStepStopTheRunWithNoCheckpoint(@TempDir Path dir) {
    TrainFixtures.Run r = TrainFixtures.loraClassification(TrainerTest.config(1e38, 2, 8).withCheckpointEvery(1),
        DType.F32, 0.0);
    TrainingDiverged e = assertThrows(TrainingDiverged.class, () -> r.trainer().checkpointTo(dir).fit(r.train(), null));
    assertTrue(e.getMessage().matches("step 1: tensor '[^']+' holds (-?Infinity|NaN) at \\[[0-9, ]+\\] after the "
        + "optimizer step; no checkpoint was written before it"), e.getMessage());
    assertNull(e.kept());
    assertFalse(Files.exists(dir.resolve(Checkpoints.LATEST)));
  }

  /** A tensor that turns infinite after step 3 (standing in for an overflowing update): checkpoint 2 is kept. */
  @Test
  void theCheckpointKeptIsTheLastFiniteOneAndTheMessageNamesIt(@TempDir Path dir) throws IOException {
    TrainFixtures.Run r = TrainFixtures.paperPrompt(TrainerTest.config(0.05, 3, 4).withCheckpointEvery(1), 16);
    int[] calls = {0};
    StepConstraint overflowAtStep3 = new StepConstraint() {
      @Override
      public void project(Map<String, Tensor> trainable) {
        if (calls[0]++ == 3) trainable.get("prompt_embeddings").setFlat(5, Double.POSITIVE_INFINITY); // call 0: start
      }

      @Override
      public String describe() {
        return "overflow at step 3";
      }
    };
    Trainer t = r.trainer().checkpointTo(dir).constrainWith(overflowAtStep3);
    TrainingDiverged e = assertThrows(TrainingDiverged.class, () -> t.fit(r.train(), null));
    Path kept = dir.resolve("step-000000002");
    assertEquals("step 3: tensor 'prompt_embeddings' holds Infinity at [0, 5] after the optimizer step; kept the "
        + "last finite checkpoint " + kept, e.getMessage());
    assertEquals(kept, e.kept());
    assertEquals("step-000000002", Files.readString(dir.resolve(Checkpoints.LATEST)).trim());
  }

  /** Validation inputs of 1e300 overflow the forward pass: the epoch end names the step instead of recording NaN. */
  @Test
  void aNonFiniteValidationLossStopsTheRun() {
    TrainFixtures.Run r = TrainFixtures.paperPrompt(TrainerTest.config(0.05, 2, 4), 16);
    List<Example> huge = new ArrayList<>();
    for (Example ex : r.validation().examples()) {
      double[][] rows = new double[ex.inputs().length][];
      for (int i = 0; i < rows.length; i++) rows[i] = ex.inputs()[i].clone();
      rows[0][0] = 1e300;
      huge.add(Example.ofInputs(rows, ex.target()));
    }
    Dataset validation = Dataset.of("huge validation", huge);
    TrainingDiverged e = assertThrows(TrainingDiverged.class, () -> r.trainer().fit(r.train(), validation));
    assertTrue(e.getMessage().matches("step 4: validation loss is (NaN|Infinity) at the end of epoch 1"),
        e.getMessage());
  }

  @Test
  void aCheckpointWithANonFiniteTensorIsNotWritten(@TempDir Path dir) throws IOException {
    Checkpoints.State s = stoppedAt(2, dir.resolve("a"));
    s.trainable().get("prompt_embeddings").setFlat(1, Double.NaN);
    NonFiniteValueException e = assertThrows(NonFiniteValueException.class,
        () -> Checkpoints.save(dir.resolve("b"), s));
    assertEquals(dir.resolve("b").resolve("step-000000002").resolve("trainable.safetensors")
        + ": tensor 'prompt_embeddings' holds NaN at [0, 1]; PTLab writes only finite values, so the file was not "
        + "written", e.getMessage());
    assertFalse(Files.exists(dir.resolve("b")), "nothing written, not even a temp folder");
  }

  /** A checkpoint damaged (or written before PTLab checked) to hold NaN: resuming it is refused as bad input. */
  @Test
  void resumingANonFiniteCheckpointIsRefusedNamingTheFileAndTensor(@TempDir Path dir) throws IOException {
    Checkpoints.State s = stoppedAt(2, dir);
    Path file = dir.resolve("step-000000002").resolve("trainable.safetensors");
    Map<String, Tensor> poisoned = new LinkedHashMap<>(s.trainable());
    Tensor prompt = poisoned.get("prompt_embeddings").copy();
    prompt.setFlat(9, Double.NaN);
    poisoned.put("prompt_embeddings", prompt);
    SafetensorsWriter.write(file, poisoned, Map.of());
    TrainFixtures.Run again = TrainFixtures.paperPrompt(TrainerTest.config(0.05, 3, 4), 16);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> again.trainer().checkpointTo(dir).fit(again.train(), null));
    assertEquals("--resume: " + file + ": tensor 'prompt_embeddings' holds NaN at [1, 1]; a checkpoint must be finite"
        + " to continue from (start a new --out folder, or resume an earlier copy)", e.getMessage());

    Path opt = dir.resolve("step-000000002").resolve("optimizer.safetensors");
    SafetensorsWriter.write(file, s.trainable(), Map.of()); // the tensors are fine again, an Adam buffer is not
    Map<String, Tensor> buffers = Checkpoints.optimizerTensors(s.optimizer().buffers());
    buffers.get("p00000.b1").setFlat(0, Double.POSITIVE_INFINITY);
    SafetensorsWriter.write(opt, buffers, Map.of());
    TrainFixtures.Run third = TrainFixtures.paperPrompt(TrainerTest.config(0.05, 3, 4), 16);
    e = assertThrows(IllegalArgumentException.class, () -> third.trainer().checkpointTo(dir).fit(third.train(), null));
    assertTrue(e.getMessage().startsWith("--resume: " + opt + ": tensor 'p00000.b1' holds Infinity at [0, 0]"),
        e.getMessage());
  }

  /** The state a prompt-tuning run leaves in {@code dir} after {@code steps} steps, as resume reads it. */
  private static Checkpoints.State stoppedAt(int steps, Path dir) throws IOException {
    TrainFixtures.Run r = TrainFixtures.paperPrompt(TrainerTest.config(0.05, 3, 4).withMaxSteps(steps), 16);
    r.trainer().checkpointTo(dir).fit(r.train(), null);
    String fingerprint = new ObjectMapper().readTree(dir.resolve(String.format("step-%09d", steps))
        .resolve("state.json").toFile()).get("fingerprint").asText();
    return Checkpoints.load(dir, r.tuned().trainable(), fingerprint);
  }
}
