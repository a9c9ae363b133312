package org.ptlab.cli;

import org.ptlab.tensor.ShapeException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns exceptions into the CLI contract: bad input (an {@link IllegalArgumentException}, which includes shape
 * errors, or a {@link UserError}) prints one line naming what is wrong and exits 2; anything else is a bug or an
 * environment failure and exits 1 (with the stack trace when PTLAB_DEBUG is set).
 */
final class Errors implements IExecutionExceptionHandler {
  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parsed) {
    String prefix = cmd.getCommandSpec().qualifiedName(" ") + ": "; // "ptlab construct universal: …"
    if (System.getenv("PTLAB_DEBUG") != null) ex.printStackTrace();
    if (ex instanceof UserError || ex instanceof IllegalArgumentException || ex instanceof ShapeException) {
      cmd.getErr().println(prefix + ex.getMessage());
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
    cmd.getErr().println(prefix + "error: " + ex + (System.getenv("PTLAB_DEBUG") == null
        ? " (set PTLAB_DEBUG=1 for the stack trace)" : ""));
    return 1;
  }
}
