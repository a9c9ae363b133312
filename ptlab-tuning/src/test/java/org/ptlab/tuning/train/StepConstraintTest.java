package org.ptlab.tuning.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ptlab.tensor.Tensor;

/** The trainer's after-step projection: applied at the start and after every step, resume-safe, fingerprinted. */
class StepConstraintTest {
  /** Clips every entry of every trainable tensor to [−c, c], and records the largest entry it saw after clipping. */
  static final class Clip implements StepConstraint {
    final double c;
    final List<Double> seen = new ArrayList<>();

    Clip(double c) {
      this.c = c;
    }

    @Override
    public void project(Map<String, Tensor> trainable) {
      double max = 0;
      for (Tensor t : trainable.values()) {
        for (int i = 0; i < t.numel(); i++) {
          t.setFlat(i, Math.max(-c, Math.min(c, t.getFlat(i))));
          max = Math.max(max, Math.abs(t.getFlat(i)));
        }
      }
      seen.add(max);
    }

    @Override
    public String describe() {
      return "clip " + c;
    }
  }

  static TrainerConfig config() {
    return TrainerConfig.defaults().withLr(0.05).withEpochs(3).withBatch(8).withSeed(3);
  }

  @Test
  void appliedBeforeTheFirstStepAndAfterEveryStep() throws IOException {
    TrainFixtures.Run r = TrainFixtures.paperPrompt(config(), 24);
    Clip clip = new Clip(0.3);
    TrainResult res = r.trainer().constrainWith(clip).fit(r.train(), r.validation());
    assertEquals(res.steps() + 1, clip.seen.size());
    for (double m : clip.seen) assertTrue(m <= 0.3, "entry " + m);
    for (Tensor t : r.tuned().trainable().values()) {
      for (int i = 0; i < t.numel(); i++) assertTrue(Math.abs(t.getFlat(i)) <= 0.3);
    }
    assertTrue(res.losses()[res.losses().length - 1] < res.losses()[0], "still learns under the constraint");
  }

  @Test
  void resumeUnderAConstraintEndsWithTheSameBytesAndAnotherConstraintIsRefused(@TempDir Path dir)
      throws IOException {
    TrainFixtures.Run whole = TrainFixtures.paperPrompt(config(), 24);
    whole.trainer().constrainWith(new Clip(0.3)).fit(whole.train(), whole.validation());
    TrainFixtures.Run first = TrainFixtures.paperPrompt(config().withMaxSteps(4), 24);
    first.trainer().constrainWith(new Clip(0.3)).checkpointTo(dir).fit(first.train(), first.validation());
    TrainFixtures.Run other = TrainFixtures.paperPrompt(config(), 24);
    assertThrows(IllegalArgumentException.class,
        () -> other.trainer().constrainWith(new Clip(0.2)).checkpointTo(dir).fit(other.train(), other.validation()));
    TrainFixtures.Run second = TrainFixtures.paperPrompt(config(), 24);
    second.trainer().constrainWith(new Clip(0.3)).checkpointTo(dir).fit(second.train(), second.validation());
    Map<String, long[]> a = TrainFixtures.bits(whole.tuned());
    Map<String, long[]> b = TrainFixtures.bits(second.tuned());
    a.forEach((k, v) -> assertArrayEquals(v, b.get(k), k));
  }
}
