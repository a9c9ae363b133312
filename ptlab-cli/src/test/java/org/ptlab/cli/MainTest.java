package org.ptlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

class MainTest {
  /** Runs the CLI capturing stdout and stderr; returns {exit, out, err}. */
  static String[] run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true));
      System.setErr(new PrintStream(e, true));
      int code = Main.run(args);
      return new String[] {Integer.toString(code), o.toString(), e.toString()};
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  @Test
  void helpAndVersion() {
    String[] help = run("--help");
    assertEquals("0", help[0]);
    assertTrue(help[1].contains("bench"), help[1]);
    String[] version = run("--version");
    assertEquals("0", version[0]);
    assertTrue(version[1].startsWith("ptlab "), version[1]);
    String[] benchHelp = run("bench", "--help");
    assertEquals("0", benchHelp[0]);
    assertTrue(benchHelp[1].contains("--json"), benchHelp[1]);
  }

  @Test
  void badInputExitsTwoWithOneLine() {
    String[] unknown = run("--no-such-option");
    assertEquals("2", unknown[0]);
    String[] threads = run("bench", "engine", "--threads", "0");
    assertEquals("2", threads[0]);
    assertEquals(1, threads[2].strip().lines().count(), threads[2]);
    assertTrue(threads[2].contains("--threads"), threads[2]);
  }

  @Test
  void benchWithoutTheBenchModuleSaysHowToGetIt() {
    String[] r = run("bench", "engine");
    assertEquals("2", r[0]);
    assertTrue(r[2].contains("ptlab-bench"), r[2]);
  }
}
