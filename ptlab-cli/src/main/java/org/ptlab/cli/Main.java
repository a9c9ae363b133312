package org.ptlab.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine;

/** The {@code ptlab} command: dispatches to one subcommand per job. */
@Command(
    name = "ptlab",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    synopsisHeading = "Usage: ",
    customSynopsis = "ptlab COMMAND [OPTIONS]   (ptlab COMMAND --help for its options)",
    description = {
      "PTLab: the theory of soft-prompt tuning (Wang et al. 2023, Hu et al. 2025) made executable, and a "
          + "parameter-efficient fine-tuning toolkit for the JVM.",
      "Machine-readable output goes to stdout with --json; progress goes to stderr. Bad input exits with code 2 and "
          + "a one-line message."
    },
    commandListHeading = "%nCommands:%n",
    subcommands = {TuneCommand.class, EvalCommand.class, GenerateCommand.class, PredictCommand.class,
        CertifyCommand.class, ConstructCommand.class,
        EmbedCommand.class, ExportCommand.class, BenchCommand.class,
        ReproduceCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the CLI and returns its exit code (tests call this). */
  public static int run(String... args) {
    CommandLine cl = HelpLayout.install(new CommandLine(new Main()));
    cl.setExecutionExceptionHandler(new Errors());
    cl.setParameterExceptionHandler(Errors::parseError); // one line, not the usage: the usage is --help's job
    return cl.execute(args);
  }
}
