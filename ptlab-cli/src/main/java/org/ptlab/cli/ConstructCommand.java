package org.ptlab.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ptlab construct}: builds the papers' constructions as ordinary PTLab models plus data or prompts. */
@Command(name = "construct", mixinStandardHelpOptions = true,
    description = {
      "Build a construction of the papers as an ordinary PTLab model folder (config.json + model.safetensors)",
      "plus its data or prompts, so that ptlab tune, eval and certify can then work on it.",
      ""
    },
    subcommands = {ConstructSharedTokenCommand.class, CommandLine.HelpCommand.class})
final class ConstructCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "construct: name a construction (shared-token)");
  }
}
