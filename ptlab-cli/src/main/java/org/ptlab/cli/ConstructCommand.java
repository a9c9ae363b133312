package org.ptlab.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ptlab construct}: builds the papers' constructions as ordinary PTLab models plus data or prompts. */
@Command(name = "construct", mixinStandardHelpOptions = true,
    header = "Build a paper's construction as a model with data or prompts.",
    customSynopsis = "ptlab construct CONSTRUCTION [OPTIONS]   (ptlab construct CONSTRUCTION --help)",
    commandListHeading = "%nConstructions:%n",
    description = {
      "The model folder (config.json + model.safetensors) and its data or prompts are ordinary PTLab files, so "
          + "ptlab tune, eval and certify can then work on them."
    },
    subcommands = {ConstructSharedTokenCommand.class, ConstructUniversalCommand.class, CommandLine.HelpCommand.class})
final class ConstructCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(),
        "construct: name a construction (shared-token or universal)");
  }
}
