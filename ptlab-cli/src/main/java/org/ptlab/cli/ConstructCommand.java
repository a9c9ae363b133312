package org.ptlab.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ptlab construct}: builds one of the papers' constructions as an ordinary PTLab model and verifies it. */
@Command(name = "construct", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
      "Build a construction from the papers as an ordinary PTLab model, verify it exactly",
      "and optionally save it (model folder + PEFT-style prompt adapters).",
      ""
    },
    subcommands = {ConstructUniversalCommand.class, CommandLine.HelpCommand.class})
final class ConstructCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
