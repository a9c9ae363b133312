package org.ptlab.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import org.ptlab.io.OneLine;
import org.ptlab.tensor.ShapeException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns exceptions into the CLI contract: bad input (an {@link IllegalArgumentException}, which includes shape
 * errors, or a {@link UserError}) prints one line naming what is wrong and exits 2; so does a file the system will
 * not let PTLab read or write (an {@link IOException}: a missing file, no permission, a full disk), named by its
 * path. Anything else is a bug of PTLab's and exits 1 (with the stack trace when PTLAB_DEBUG is set).
 */
final class Errors implements IExecutionExceptionHandler {
  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parsed) {
    String prefix = cmd.getCommandSpec().qualifiedName(" ") + ": "; // "ptlab construct universal: …"
    if (System.getenv("PTLAB_DEBUG") != null) ex.printStackTrace();
    if (ex instanceof UserError || ex instanceof IllegalArgumentException || ex instanceof ShapeException) {
      cmd.getErr().println(prefix + OneLine.of(String.valueOf(ex.getMessage())));
      return 2;
    }
    if (ex instanceof UncheckedIOException u) ex = u.getCause();
    if (ex instanceof IOException io) {
      cmd.getErr().println(prefix + OneLine.of(describe(io)));
      return 2;
    }
    if (ex instanceof org.ptlab.tuning.train.TrainingDiverged) {
      cmd.getErr().println(prefix + ex.getMessage() + " (try a lower --lr or --clip)"); // it names the kept checkpoint
      return 1;
    }
    if (ex instanceof org.ptlab.io.NonFiniteValueException) { // a computed NaN/inf a writer refused: not the input's
      cmd.getErr().println(prefix + ex.getMessage());
      return 1;
    }
    cmd.getErr().println(prefix + "error: " + OneLine.of(ex.toString()) + (System.getenv("PTLAB_DEBUG") == null
        ? " (set PTLAB_DEBUG=1 for the stack trace)" : ""));
    return 1;
  }

  /** "PATH: reason" for the file system's own exceptions (whose message is often the bare path). */
  static String describe(IOException e) {
    if (e instanceof FileSystemException f && f.getFile() != null) {
      String reason = f.getReason() != null ? f.getReason() : switch (f.getClass().getSimpleName()) {
        case "NoSuchFileException" -> "no such file or folder";
        case "FileAlreadyExistsException" -> "already exists";
        case "AccessDeniedException" -> "permission denied";
        case "NotDirectoryException" -> "not a folder";
        case "DirectoryNotEmptyException" -> "folder not empty";
        default -> f.getClass().getSimpleName();
      };
      return f.getFile() + (f.getOtherFile() != null ? " -> " + f.getOtherFile() : "") + ": " + reason;
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }

  /** Picocli's parse errors (unknown option, missing or malformed value): one line and where to look. */
  static int parseError(CommandLine.ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    String name = cmd.getCommandSpec().qualifiedName(" ");
    String message = ex.getMessage();
    if (ex instanceof CommandLine.MissingParameterException && !cmd.getUnmatchedArguments().isEmpty()) {
      message = "Unknown option: '" + cmd.getUnmatchedArguments().get(0) + "'"; // the typo explains the rest
    }
    cmd.getErr().println(name + ": " + OneLine.of(String.valueOf(message)) + " (see " + name + " --help)");
    return 2;
  }
}
