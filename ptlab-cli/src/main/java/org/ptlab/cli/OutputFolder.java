package org.ptlab.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks an output folder option ({@code --out}, {@code --lora-out}) before a command writes anything, so that a
 * path PTLab cannot write into is refused in one line naming it, instead of failing halfway through (or, for an
 * empty path, writing into the working directory).
 */
final class OutputFolder {
  private OutputFolder() {}

  /**
   * Refuses an empty path, a path that exists and is not a folder (a file, the null device), a path under a file,
   * and a folder (or, for a new folder, its nearest existing parent) the process may not create files in. Writes
   * nothing that stays: writability is probed with a temporary file that is deleted at once.
   */
  static void check(String option, Path out) {
    if (out == null) throw new UserError(option + " is required");
    if (out.toString().isBlank()) throw new UserError(option + " is empty: name a folder");
    Path existing = out.toAbsolutePath().normalize();
    while (!Files.exists(existing) && existing.getParent() != null) existing = existing.getParent();
    if (!Files.isDirectory(existing)) {
      throw new UserError(option + ": " + out + (existing.equals(out.toAbsolutePath().normalize())
          ? " exists and is not a folder" : ": " + existing + " is not a folder"));
    }
    try {
      Files.delete(Files.createTempFile(existing, ".ptlab-probe", ".tmp"));
    } catch (IOException | SecurityException e) {
      String why = e instanceof IOException io ? Errors.describe(io) : e.getMessage();
      throw new UserError(option + ": " + out + ": cannot write in " + existing + " (" + why + ")");
    }
  }
}
