package org.ptlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ptlab.tuning.AdapterFiles;
import org.ptlab.tuning.AdapterJson;

/**
 * Issue 16 item 5 through the command line: sizes from flags and files that cannot fit are refused up front (exit 2,
 * one line naming the input and the size), and data that is not a regular file is refused without reading it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SizeLimitsTest {
  private static final String[] TINY = {"--model", "bert", "--set", "vocabSize=40", "--set", "dModel=16",
      "--set", "layers=1", "--set", "heads=2", "--set", "headSize=8", "--set", "mlpHidden=32",
      "--set", "maxPositions=32"};

  @TempDir Path dir;

  private Path data() throws IOException {
    return Files.writeString(dir.resolve("train.jsonl"), "{\"tokens\":[1,2,3],\"label\":0}\n"
        + "{\"tokens\":[4,5],\"label\":1}\n{\"tokens\":[6,7,8],\"label\":0}\n{\"tokens\":[9],\"label\":1}\n");
  }

  private static String[] cat(String[] a, String... b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  /** Runs the CLI, expects exit 2 with one stderr line containing every fragment; returns that line. */
  private static String refused(String[] args, String... fragments) {
    String[] r = MainTest.run(args);
    assertEquals("2", r[0], r[2]);
    String err = r[2].strip();
    assertEquals(1, err.lines().count(), err);
    for (String f : fragments) assertTrue(err.contains(f), "'" + f + "' in: " + err);
    return err;
  }

  @Test
  void aModelBeyondTheHeapIsRefusedWithItsSize() throws IOException {
    String d = data().toString();
    Path out = dir.resolve("run");
    refused(new String[] {"tune", "--model", "bert", "--set", "layers=100000000", "--method", "prompt", "--data", d,
        "--out", out.toString(), "--quiet"}, "--model bert", "parameters", "GB", "PTLAB_HEAP");
    refused(new String[] {"tune", "--model", "bert", "--set", "vocabSize=1000000", "--set", "dModel=2000",
        "--method", "prompt", "--data", d, "--out", out.toString(), "--quiet"}, "--model bert", "parameters", "heap is");
    refused(new String[] {"export", "--model", "paper", "--set", "layers=2000000000", "--out",
        dir.resolve("m").toString()}, "parameters");
    assertFalse(Files.exists(out), "nothing written");
  }

  @Test
  void headOutputsInAnAdapterAreCheckedAgainstItsWeights() throws IOException {
    Path d = data();
    Path run = dir.resolve("run");
    String[] r = MainTest.run(cat(cat(new String[] {"tune"}, TINY), "--method", "prompt", "--prompt-length", "2",
        "--data", d.toString(), "--epochs", "1", "--out", run.toString(), "--quiet"));
    assertEquals("0", r[0], r[2]);
    Path config = run.resolve("adapter").resolve(AdapterFiles.CONFIG);
    ObjectNode c = (ObjectNode) AdapterJson.MAPPER.readTree(config.toFile());
    ((ObjectNode) c.get("ptlab").get("head")).put("outputs", 100_000_000);
    Files.writeString(config, AdapterJson.MAPPER.writeValueAsString(c));
    refused(cat(cat(new String[] {"eval"}, TINY), "--adapter", run.resolve("adapter").toString(), "--data",
        d.toString()), AdapterFiles.WEIGHTS, "100000000");
    c.put("num_virtual_tokens", 100_000_000);
    ((ObjectNode) c.get("ptlab").get("head")).put("outputs", 2);
    Files.writeString(config, AdapterJson.MAPPER.writeValueAsString(c));
    refused(cat(cat(new String[] {"eval"}, TINY), "--adapter", run.resolve("adapter").toString(), "--data",
        d.toString()), "prompt_embeddings", "100000000");
  }

  @Test
  void dataMustBeARegularFile() throws Exception {
    for (String dev : new String[] {"/dev/zero", "/dev/urandom"}) {
      assumeTrue(Files.exists(Path.of(dev)));
      Path link = Files.createSymbolicLink(dir.resolve(dev.substring(5) + ".jsonl"), Path.of(dev));
      refused(cat(cat(new String[] {"tune"}, TINY), "--method", "prompt", "--data", dev, "--out",
          dir.resolve("o").toString(), "--quiet"), dev, "not a regular file");
      refused(cat(cat(new String[] {"eval"}, TINY), "--data", link.toString()), link.toString(), "not a regular file");
      Files.delete(link);
    }
    assertFalse(Files.exists(dir.resolve("o")));
  }

  @Test
  void aFifoIsRefusedWithoutWaitingForAWriter() throws Exception {
    Path fifo = dir.resolve("pipe.csv");
    boolean made;
    try {
      made = new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0;
    } catch (IOException e) {
      made = false;
    }
    assumeTrue(made, "mkfifo is not available");
    refused(cat(cat(new String[] {"eval"}, TINY), "--data", fifo.toString()), fifo.toString(), "not a regular file");
  }
}
