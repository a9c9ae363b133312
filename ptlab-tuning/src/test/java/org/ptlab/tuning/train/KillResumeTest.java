package org.ptlab.tuning.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ptlab.nn.attention.AttentionKernel;
import org.ptlab.tensor.DType;

/**
 * The crash test of issue 4: a child JVM trains with frequent checkpoints and is killed with SIGKILL part-way; the
 * run resumed here from its last checkpoint ends with exactly the bytes of a run that was never interrupted.
 */
@Tag("slow")
class KillResumeTest {
  /** 40 examples in batches of 8: 5 steps an epoch. */
  static final int EPOCHS = 60;
  static final long TOTAL = EPOCHS * 5L;

  /** AdamW, linear decay after warm-up, clipping, dropout in the model and in LoRA, validation every epoch. */
  static TrainerConfig config() {
    return new TrainerConfig(EPOCHS, 8, 0.01, TrainerConfig.Optimizer.ADAMW, 0.01, TrainerConfig.Schedule.LINEAR, 10,
        1.0, 11L, 10, 0, 0);
  }

  static TrainFixtures.Run run(AttentionKernel kernel) {
    return TrainFixtures.composed(config(), DType.F64, kernel);
  }

  static AttentionKernel kernel(String name) {
    return name.equals("exact") ? AttentionKernel.EXACT : ComposedAttention.INSTANCE;
  }

  @Test
  void killedChildResumesToTheBytesOfAnUninterruptedRun(@TempDir Path dir) throws Exception {
    killAndResume(dir, "composed");
  }

  /**
   * The same on the engine's fused attention. This failed while the fused softmax and the float32 GELU used the
   * Vector API's lanewise(EXP), whose C2-compiled bits differ from the interpreted ones (a cold child JVM and a warm
   * one then disagree); they now use Math.exp, identical interpreted and compiled.
   */
  @Test
  void killedChildResumesToTheSameBytesOnTheEnginesFusedAttention(@TempDir Path dir) throws Exception {
    killAndResume(dir, "exact");
  }

  private static void killAndResume(Path dir, String kernel) throws Exception {
    Path ck = dir.resolve("checkpoints");
    Path log = dir.resolve("child.log");
    Process child = child(ck, kernel, log);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    try {
      while (!Files.exists(ck.resolve(Checkpoints.LATEST))) {
        assertTrue(child.isAlive(), "the child ended before its first checkpoint: " + read(log));
        assertTrue(System.nanoTime() < deadline, "no checkpoint after 60 s: " + read(log));
        Thread.sleep(5);
      }
    } finally {
      child.destroyForcibly(); // SIGKILL: no shutdown hooks, no finally blocks
      assertTrue(child.waitFor(30, TimeUnit.SECONDS));
    }
    String latest = Files.readString(ck.resolve(Checkpoints.LATEST), StandardCharsets.UTF_8).trim();
    long killedAt = Long.parseLong(latest.substring("step-".length()));
    assertTrue(killedAt > 0 && killedAt < TOTAL, "killed mid-run, at " + latest + "; child: " + read(log));

    TrainFixtures.Run whole = run(kernel(kernel));
    TrainResult expected = whole.trainer().fit(whole.train(), whole.validation());
    TrainFixtures.Run resumed = run(kernel(kernel));
    TrainResult rest = resumed.trainer().checkpointTo(ck).fit(resumed.train(), resumed.validation());

    assertEquals(TOTAL, expected.steps());
    assertEquals(TOTAL, rest.steps());
    assertEquals(TOTAL - killedAt, rest.losses().length, "resumed after step " + killedAt);
    Map<String, long[]> want = TrainFixtures.bits(whole.tuned());
    Map<String, long[]> got = TrainFixtures.bits(resumed.tuned());
    assertEquals(want.keySet(), got.keySet());
    want.forEach((k, v) -> assertArrayEquals(v, got.get(k), k + " after resuming from " + latest));
    assertEquals(expected.history(), rest.history(), "epoch records, the child's included");
  }

  /** A JVM like this one (same JDK, class path and Vector API flag) running {@link KillResumeChild}. */
  private static Process child(Path ck, String kernel, Path log) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = List.of(java, "--add-modules=jdk.incubator.vector", "-Xmx512m", "-cp",
        System.getProperty("java.class.path"), KillResumeChild.class.getName(), ck.toString(), kernel);
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  private static String read(Path log) {
    try {
      return Files.exists(log) ? Files.readString(log) : "(no output)";
    } catch (IOException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }
}
