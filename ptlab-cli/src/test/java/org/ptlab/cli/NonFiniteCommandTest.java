package org.ptlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ptlab.io.FiniteValues;
import org.ptlab.io.safetensors.SafetensorsFile;
import org.ptlab.io.safetensors.SafetensorsWriter;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;

/**
 * The repros of issue 16 item 1: no checkpoint, adapter, model or metrics file holds NaN/inf; a diverged run exits 1
 * naming the step, the tensor and the checkpoint it keeps (only if there is one); a non-finite checkpoint is not
 * resumed; data that a float32 model cannot hold is refused naming FILE:LINE.
 */
class NonFiniteCommandTest {
  /** bert's shape at toy size; with vocabSize=0 it reads 16-wide "inputs". */
  private static final String[] BERT = {"--model", "bert", "--set", "dModel=16", "--set", "layers=1",
      "--set", "heads=2", "--set", "headSize=8", "--set", "mlpHidden=32", "--set", "maxPositions=32"};

  @TempDir Path dir;

  private Path tokens() throws IOException {
    Rng rng = new Rng(1);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      StringBuilder sb = new StringBuilder("{\"tokens\":[");
      for (int j = 0; j < 5; j++) sb.append(j == 0 ? "" : ",").append(1 + rng.nextInt(39));
      lines.add(sb.append("],\"label\":").append(i % 2).append('}').toString());
    }
    return Files.write(dir.resolve("tokens.jsonl"), lines);
  }

  /** {@code n} lines of [3, d] vectors with per-position targets; line {@code bad} (1-based) gets {@code value}. */
  private Path vectors(String name, int d, int n, int bad, double value) throws IOException {
    Rng rng = new Rng(2);
    List<String> lines = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      StringBuilder in = new StringBuilder();
      StringBuilder out = new StringBuilder();
      for (int r = 0; r < 3; r++) {
        in.append(r == 0 ? "[" : ",[");
        out.append(r == 0 ? "[" : ",[");
        for (int c = 0; c < d; c++) {
          double v = i == bad && r == 1 && c == 3 ? value : rng.nextDouble() - 0.5;
          in.append(c == 0 ? "" : ",").append(String.format(Locale.ROOT, "%s", v));
          out.append(c == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.3f", rng.nextDouble()));
        }
        in.append(']');
        out.append(']');
      }
      lines.add("{\"inputs\":[" + in + "],\"target\":[" + out + "]}");
    }
    return Files.write(dir.resolve(name), lines);
  }

  private static String[] tune(String[] model, String... rest) {
    List<String> a = new ArrayList<>(List.of("tune"));
    a.addAll(List.of(model));
    a.addAll(List.of(rest));
    a.add("--quiet");
    return a.toArray(String[]::new);
  }

  private static String oneLine(String[] r) {
    String err = r[2].strip();
    assertFalse(err.contains("\n"), "one line: " + err);
    return err;
  }

  private static String[] bert(String... more) {
    List<String> a = new ArrayList<>(List.of(BERT));
    a.addAll(List.of(more));
    return a.toArray(String[]::new);
  }

  /** Was: stopped at step 2 "keeping the last checkpoint", whose tensors were all infinite. */
  @Test
  void lr1e38OverflowsTheWeightsAtStep1AndNoCheckpointIsKept() throws IOException {
    Path out = dir.resolve("run");
    String[] r = MainTest.run(tune(bert("--set", "vocabSize=40"), "--method", "prompt", "--prompt-length", "4",
        "--data", tokens().toString(), "--lr", "1e38", "--batch", "4", "--checkpoint-every", "1", "--out",
        out.toString()));
    assertEquals("1", r[0], r[2]);
    assertTrue(oneLine(r).matches("ptlab tune: step 1: tensor '[^']+' holds (-?Infinity|NaN) at \\[[0-9, ]+\\] "
        + "after the optimizer step; no checkpoint was written before it \\(try a lower --lr or --clip\\)"), r[2]);
    assertFalse(Files.exists(out.resolve("checkpoints").resolve("latest")));
    assertFalse(Files.exists(out.resolve("adapter")));
    assertFalse(Files.exists(out.resolve("metrics.json")));
  }

  /** Was: exit 0 with "train loss NaN" and a model folder. Finite 1e30 weights overflow the forward pass. */
  @Test
  void fullSgdAtLr1e30EndsWithExit1AndKeepsAFiniteCheckpoint() throws IOException {
    Path out = dir.resolve("run");
    String[] r = MainTest.run(tune(bert("--set", "vocabSize=40"), "--method", "full", "--optimizer", "SGD", "--lr",
        "1e30", "--max-steps", "1", "--data", tokens().toString(), "--out", out.toString()));
    assertEquals("1", r[0], r[2]);
    Path kept = out.resolve("checkpoints").resolve("step-000000001");
    assertEquals("ptlab tune: after step 1: the trained model's loss on the training data is NaN; nothing saved; kept "
        + "the last finite checkpoint " + kept + " (try a lower --lr or --clip)", oneLine(r));
    assertFalse(Files.exists(out.resolve("model")));
    assertFalse(Files.exists(out.resolve("metrics.json")));
    assertNull(FiniteValues.firstProblem(read(kept.resolve("trainable.safetensors"))), "the kept one is finite");
  }

  /** Was: a NaN checkpoint resumed saved a NaN adapter with exit 0. */
  @Test
  void aNonFiniteCheckpointIsNotResumed() throws IOException {
    Path out = dir.resolve("run");
    String[] first = MainTest.run(tune(bert("--set", "vocabSize=40"), "--method", "prompt", "--prompt-length", "4",
        "--data", tokens().toString(), "--batch", "4", "--checkpoint-every", "2", "--max-steps", "2", "--out",
        out.toString()));
    assertEquals("0", first[0], first[2]);
    deleteTree(out.resolve("adapter")); // as if killed after the checkpoint
    Files.delete(out.resolve("metrics.json"));
    Path file = out.resolve("checkpoints").resolve("step-000000002").resolve("trainable.safetensors");
    Map<String, Tensor> t = read(file);
    t.get("prompt_embeddings").setFlat(3, Double.NaN);
    SafetensorsWriter.write(file, t, Map.of());
    String[] r = MainTest.run("tune", "--resume", out.toString(), "--quiet");
    assertEquals("2", r[0], r[2]);
    assertEquals("ptlab tune: --resume: " + file + ": tensor 'prompt_embeddings' holds NaN at [0, 3]; a checkpoint "
        + "must be finite to continue from (start a new --out folder, or resume an earlier copy)", oneLine(r));
    assertFalse(Files.exists(out.resolve("adapter")));
  }

  /** Was: "the last checkpoint is kept" when none existed. 1e300 is a float64, but the paper layer overflows. */
  @Test
  void inputsOf1e300DivergeAtStep1AndSayNoCheckpointExists() throws IOException {
    Path out = dir.resolve("run");
    Path data = vectors("big.jsonl", 8, 8, 1, 1e300);
    String[] r = MainTest.run(tune(new String[] {"--model", "paper"}, "--method", "prompt", "--data",
        data.toString(), "--out", out.toString()));
    assertEquals("1", r[0], r[2]);
    assertTrue(oneLine(r).matches("ptlab tune: step 1: loss is (NaN|Infinity); no checkpoint was written before it "
        + "\\(try a lower --lr or --clip\\)"), r[2]);
    assertFalse(Files.exists(out.resolve("checkpoints")));
    assertFalse(Files.exists(out.resolve("adapter")));
  }

  /** Was: eval printed "loss NaN" with exit 0: 1e39 is a float64 but infinite in a float32 model. */
  @Test
  void evalRefusesAValueBeyondFloat32NamingFileAndLine() throws IOException {
    Path data = vectors("f32.jsonl", 16, 4, 3, 1e39);
    List<String> eval = new ArrayList<>(List.of("eval"));
    eval.addAll(List.of(bert("--set", "vocabSize=0", "--data", data.toString())));
    String[] r = MainTest.run(eval.toArray(String[]::new));
    assertEquals("2", r[0], r[2]);
    assertEquals("ptlab eval: " + data + ":3: \"inputs\"[1][3] is 1.0E39, beyond the range of the model's float32 "
        + "(|x| <= 3.4028235E38)", oneLine(r));
    assertEquals("", r[1]);
  }

  @Test
  void tuneRefusesItTooBeforeWritingAnything() throws IOException {
    Path data = vectors("f32.jsonl", 16, 4, 2, -1e39);
    Path out = dir.resolve("run");
    String[] r = MainTest.run(tune(bert("--set", "vocabSize=0"), "--method", "prompt", "--data", data.toString(),
        "--out", out.toString()));
    assertEquals("2", r[0], r[2]);
    assertTrue(oneLine(r).startsWith("ptlab tune: " + data + ":2: \"inputs\"[1][3] is -1.0E39, beyond"), r[2]);
    assertFalse(Files.exists(out));
  }

  private static Map<String, Tensor> read(Path file) throws IOException {
    Map<String, Tensor> out = new LinkedHashMap<>();
    try (SafetensorsFile f = SafetensorsFile.open(file)) {
      for (String name : f.names()) out.put(name, f.tensor(name, org.ptlab.tensor.DType.F32));
    }
    return out;
  }

  private static void deleteTree(Path p) throws IOException {
    try (var walk = Files.walk(p)) {
      for (Path q : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(q);
    }
  }
}
