package org.ptlab.tuning.train;

/**
 * How a run trains. Defaults in {@link #defaults()}; bad values fail here, naming the option.
 *
 * @param epochs passes over the training data
 * @param batchSize examples per step
 * @param lr peak learning rate
 * @param optimizer ADAM, ADAMW (decoupled weight decay) or SGD
 * @param weightDecay L2 (Adam, SGD) or decoupled (AdamW) decay
 * @param schedule CONSTANT, LINEAR (warm-up then decay to 0) or COSINE
 * @param warmupSteps linear warm-up steps
 * @param clipNorm clip the global gradient norm to this; 0 = off
 * @param seed shuffling, dropout and any random init in the run derive from it
 * @param checkpointEvery write a checkpoint every N steps (and at every epoch end); 0 = only at the end
 * @param patience stop after this many epochs without a better validation loss; 0 = never stop early
 * @param maxSteps stop after this many steps in total; 0 = run every epoch. The learning-rate schedule still spans
 *     every epoch, so the stopped run is the start of the full one and a resume without the limit continues it
 * @param beta1 Adam's (and AdamW's) first-moment decay, in [0, 1); torch's default 0.9
 * @param beta2 their second-moment decay, in [0, 1); torch's default 0.999
 */
public record TrainerConfig(int epochs, int batchSize, double lr, Optimizer optimizer, double weightDecay,
    Schedule schedule, int warmupSteps, double clipNorm, long seed, int checkpointEvery, int patience, long maxSteps,
    double beta1, double beta2) {
  /** torch.optim.Adam's and AdamW's default betas. */
  public static final double BETA1 = 0.9;
  public static final double BETA2 = 0.999;

  /** The optimizers. */
  public enum Optimizer { ADAM, ADAMW, SGD }

  /** Learning-rate schedules. */
  public enum Schedule { CONSTANT, LINEAR, COSINE }

  public TrainerConfig {
    if (epochs < 1) throw new IllegalArgumentException("--epochs must be >= 1, got " + epochs);
    if (batchSize < 1) throw new IllegalArgumentException("--batch must be >= 1, got " + batchSize);
    if (!(lr > 0) || !Double.isFinite(lr)) throw new IllegalArgumentException("--lr must be a positive number, got " + lr);
    if (!(weightDecay >= 0)) throw new IllegalArgumentException("--weight-decay must be >= 0, got " + weightDecay);
    if (warmupSteps < 0) throw new IllegalArgumentException("--warmup must be >= 0, got " + warmupSteps);
    if (!(clipNorm >= 0)) throw new IllegalArgumentException("--clip must be >= 0, got " + clipNorm);
    if (checkpointEvery < 0) throw new IllegalArgumentException("--checkpoint-every must be >= 0, got " + checkpointEvery);
    if (patience < 0) throw new IllegalArgumentException("--patience must be >= 0, got " + patience);
    if (maxSteps < 0) throw new IllegalArgumentException("--max-steps must be >= 0, got " + maxSteps);
    if (optimizer == null || schedule == null) throw new IllegalArgumentException("optimizer and schedule must be set");
    if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1)) {
      throw new IllegalArgumentException("--betas must be two numbers in [0, 1), got " + beta1 + "," + beta2);
    }
  }

  /** A config with torch's default betas. */
  public TrainerConfig(int epochs, int batchSize, double lr, Optimizer optimizer, double weightDecay,
      Schedule schedule, int warmupSteps, double clipNorm, long seed, int checkpointEvery, int patience, long maxSteps) {
    this(epochs, batchSize, lr, optimizer, weightDecay, schedule, warmupSteps, clipNorm, seed, checkpointEvery,
        patience, maxSteps, BETA1, BETA2);
  }

  /** True when the betas are torch's defaults. */
  public boolean defaultBetas() {
    return beta1 == BETA1 && beta2 == BETA2;
  }

  public TrainerConfig withBetas(double b1, double b2) {
    return new TrainerConfig(epochs, batchSize, lr, optimizer, weightDecay, schedule, warmupSteps, clipNorm, seed,
        checkpointEvery, patience, maxSteps, b1, b2);
  }

  /** 3 epochs, batch 8, Adam at lr 1e-3, constant schedule, no clipping, seed 0, checkpoints only at the end. */
  public static TrainerConfig defaults() {
    return new TrainerConfig(3, 8, 1e-3, Optimizer.ADAM, 0.0, Schedule.CONSTANT, 0, 0.0, 0L, 0, 0, 0);
  }

  public TrainerConfig withEpochs(int n) {
    return new TrainerConfig(n, batchSize, lr, optimizer, weightDecay, schedule, warmupSteps, clipNorm, seed,
        checkpointEvery, patience, maxSteps, beta1, beta2);
  }

  public TrainerConfig withLr(double value) {
    return new TrainerConfig(epochs, batchSize, value, optimizer, weightDecay, schedule, warmupSteps, clipNorm, seed,
        checkpointEvery, patience, maxSteps, beta1, beta2);
  }

  public TrainerConfig withBatch(int n) {
    return new TrainerConfig(epochs, n, lr, optimizer, weightDecay, schedule, warmupSteps, clipNorm, seed,
        checkpointEvery, patience, maxSteps, beta1, beta2);
  }

  public TrainerConfig withSeed(long s) {
    return new TrainerConfig(epochs, batchSize, lr, optimizer, weightDecay, schedule, warmupSteps, clipNorm, s,
        checkpointEvery, patience, maxSteps, beta1, beta2);
  }

  public TrainerConfig withCheckpointEvery(int n) {
    return new TrainerConfig(epochs, batchSize, lr, optimizer, weightDecay, schedule, warmupSteps, clipNorm, seed, n,
        patience, maxSteps, beta1, beta2);
  }

  public TrainerConfig withMaxSteps(long n) {
    return new TrainerConfig(epochs, batchSize, lr, optimizer, weightDecay, schedule, warmupSteps, clipNorm, seed,
        checkpointEvery, patience, n, beta1, beta2);
  }

  public TrainerConfig withPatience(int n) {
    return new TrainerConfig(epochs, batchSize, lr, optimizer, weightDecay, schedule, warmupSteps, clipNorm, seed,
        checkpointEvery, n, maxSteps, beta1, beta2);
  }
}
