package org.ptlab.cli;

import org.ptlab.tuning.train.TrainerConfig;
import picocli.CommandLine.Option;

/** Optimisation options of {@code ptlab tune}. */
final class TrainOptions implements HelpLayout.Section {
  @Option(names = "--lr", paramLabel = "RATE", defaultValue = "1e-3", description = "peak learning rate (default: ${DEFAULT-VALUE})")
  double lr;

  @Option(names = "--epochs", paramLabel = "N", defaultValue = "3", description = "passes over the training data (default: ${DEFAULT-VALUE})")
  int epochs;

  @Option(names = "--batch", paramLabel = "N", defaultValue = "8", description = "examples per step (default: ${DEFAULT-VALUE})")
  int batch;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "0", description = "seed of shuffling, dropout and adapter init (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--optimizer", paramLabel = "NAME", defaultValue = "ADAM", description = "ADAM, ADAMW or SGD (default: ${DEFAULT-VALUE})")
  TrainerConfig.Optimizer optimizer;

  @Option(names = "--weight-decay", paramLabel = "W", defaultValue = "0", description = "weight decay (default: ${DEFAULT-VALUE})")
  double weightDecay;

  @Option(names = "--betas", paramLabel = "B1,B2",
      description = "ADAM/ADAMW moment decays, each in [0, 1) (default: torch's 0.9,0.999)")
  String betas;

  @Option(names = "--schedule", paramLabel = "NAME", defaultValue = "CONSTANT", description = "CONSTANT, LINEAR or COSINE (default: ${DEFAULT-VALUE})")
  TrainerConfig.Schedule schedule;

  @Option(names = "--warmup", paramLabel = "STEPS", defaultValue = "0", description = "linear warm-up steps (default: ${DEFAULT-VALUE})")
  int warmup;

  @Option(names = "--clip", paramLabel = "NORM", defaultValue = "0", description = "clip the global gradient norm; 0 = off (default: ${DEFAULT-VALUE})")
  double clip;

  @Option(names = "--patience", paramLabel = "EPOCHS", defaultValue = "0",
      description = "stop after N epochs without a better validation loss; 0 = off (default: ${DEFAULT-VALUE})")
  int patience;

  @Option(names = "--max-steps", paramLabel = "N", defaultValue = "0", description = "stop after N steps; 0 = all epochs (default: ${DEFAULT-VALUE})")
  long maxSteps;

  @Option(names = "--checkpoint-every", paramLabel = "N", defaultValue = "100",
      description = "checkpoint every N steps, and at each epoch end (default: ${DEFAULT-VALUE})")
  int checkpointEvery;

  @Override
  public String heading() {
    return "Training";
  }

  TrainerConfig config() {
    double[] b = betas();
    return new TrainerConfig(epochs, batch, lr, optimizer, weightDecay, schedule, warmup, clip, seed, checkpointEvery,
        patience, maxSteps, b[0], b[1]);
  }

  /** --betas as two numbers (torch's defaults when absent); the range is TrainerConfig's check. */
  private double[] betas() {
    if (betas == null) return new double[] {TrainerConfig.BETA1, TrainerConfig.BETA2};
    if (optimizer == TrainerConfig.Optimizer.SGD) throw new UserError("--betas applies to ADAM and ADAMW, not SGD");
    String[] parts = betas.split(",", -1);
    try {
      if (parts.length == 2) {
        return new double[] {Double.parseDouble(parts[0].strip()), Double.parseDouble(parts[1].strip())};
      }
    } catch (NumberFormatException e) {
      // named below with the value as given
    }
    throw new UserError("--betas must be two numbers B1,B2 (e.g. 0.9,0.999), got '" + betas + "'");
  }
}
