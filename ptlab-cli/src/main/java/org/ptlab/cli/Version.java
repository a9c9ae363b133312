package org.ptlab.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** Version from the build, plus the git commit and JVM the launcher passes in. */
public final class Version implements IVersionProvider {
  /** The project version, e.g. 0.1.0. */
  public static String version() {
    Properties p = new Properties();
    try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
      if (in != null) p.load(in);
    } catch (IOException e) {
      return "unknown";
    }
    return p.getProperty("version", "unknown");
  }

  /** The git commit the launcher found, or "unknown". */
  public static String commit() {
    return System.getProperty("ptlab.commit", "unknown");
  }

  @Override
  public String[] getVersion() {
    return new String[] {
      "ptlab " + version() + " (commit " + commit() + ")",
      "JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
    };
  }
}
