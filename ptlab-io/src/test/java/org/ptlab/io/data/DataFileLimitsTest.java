package org.ptlab.io.data;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Issue 16 item 5: data files must be regular files of bounded size, refused up front naming the path. */
class DataFileLimitsTest {
  @TempDir Path dir;

  private static void refused(Path file, String fragment) {
    for (boolean csv : new boolean[] {false, true}) {
      DataException e = assertThrows(DataException.class,
          () -> { if (csv) CsvDataset.read(file, null); else TextDatasets.read(file, null); });
      assertTrue(e.getMessage().startsWith(file.toString() + ": "), e.getMessage());
      assertTrue(e.getMessage().contains(fragment), e.getMessage());
      assertTrue(e.getMessage().lines().count() == 1, e.getMessage());
    }
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void devicesAreRefusedWithoutReading() throws Exception {
    for (String dev : new String[] {"/dev/zero", "/dev/urandom"}) {
      assumeTrue(Files.exists(Path.of(dev)));
      refused(Path.of(dev), "not a regular file");
      Path link = Files.createSymbolicLink(dir.resolve(dev.substring(5) + ".jsonl"), Path.of(dev));
      refused(link, "not a regular file");
      Files.delete(link); // JUnit warns when it has to delete a link that leaves the temp folder
    }
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void aFifoIsRefusedWithoutBlocking() throws Exception {
    Path fifo = dir.resolve("pipe.jsonl");
    boolean made;
    try {
      made = new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0;
    } catch (java.io.IOException e) {
      made = false;
    }
    assumeTrue(made, "mkfifo is not available");
    refused(fifo, "not a regular file");
  }

  @Test
  void aFolderIsRefused() {
    refused(dir, "not a regular file");
  }

  @Test
  void aFileOverTheLimitIsRefusedBeforeReading() throws Exception {
    Path big = dir.resolve("big.jsonl");
    try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
      f.setLength(DataFile.maxBytes() + 1); // sparse: no disk is used and nothing is read
    }
    refused(big, "MB a data file may have");
  }
}
