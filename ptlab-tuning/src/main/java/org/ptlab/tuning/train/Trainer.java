package org.ptlab.tuning.train;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ptlab.io.FiniteValues;
import org.ptlab.io.data.Dataset;
import org.ptlab.nn.ForwardMode;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.GradMode;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.optim.Adam;
import org.ptlab.tensor.optim.AdamConfig;
import org.ptlab.tensor.optim.GradClip;
import org.ptlab.tensor.optim.LrSchedule;
import org.ptlab.tensor.optim.Optimizer;
import org.ptlab.tensor.optim.Sgd;
import org.ptlab.tensor.random.Rng;
import org.ptlab.tuning.TunedModel;
import org.ptlab.tuning.batch.Batch;
import org.ptlab.tuning.batch.BatchConfig;
import org.ptlab.tuning.batch.BatchPosition;
import org.ptlab.tuning.batch.Batcher;

/**
 * Trains a {@link TunedModel}'s trainable tensors: seeded shuffling and batching, one optimizer step per batch,
 * evaluation and (optional) early stopping at each epoch end, checkpoints every N steps, and resume. An optional
 * {@link StepConstraint} projects the trainable tensors after every optimizer step (projected gradient descent).
 *
 * <p>Determinism: batch order comes from (seed, epoch), dropout from a generator whose state is checkpointed, the
 * learning rate from the step number, so a run resumed from a checkpoint ends with the same bytes as a run that was
 * never interrupted.
 *
 * <p>Divergence: a NaN or infinite loss or gradient stops the run ({@link TrainingDiverged}) before the bad step is
 * applied; so does a trained tensor that the optimizer step made non-finite (a huge learning rate overflows the
 * weights while loss and gradient are still finite), and an optimizer buffer or validation loss that is not finite.
 * A checkpoint is written only after these checks, so the last one on disk is always finite, and the message says
 * which one it is (or that there is none). The checks only read: a run that does not diverge is bit-identical.
 */
public final class Trainer {
  private static final long DROPOUT_STREAM = 0x64726F70L;

  private final TunedModel model;
  private final Task task;
  private final TrainerConfig config;
  private final int padId;
  private Path checkpointDir;
  private PrintStream progress;
  private StepConstraint constraint;
  private StepListener listener;

  public Trainer(TunedModel model, Task task, TrainerConfig config, int padId) {
    this.model = model;
    this.task = task;
    this.config = config;
    this.padId = padId;
  }

  /** Write checkpoints to {@code dir} (and resume from it if it holds one). */
  public Trainer checkpointTo(Path dir) {
    this.checkpointDir = dir;
    return this;
  }

  /** Draw a progress bar on {@code out} (stderr); none by default. */
  public Trainer progressTo(PrintStream out) {
    this.progress = out;
    return this;
  }

  /**
   * Applies {@code c} to the trainable tensors before the first step and right after every optimizer step (see
   * {@link StepConstraint}); none by default.
   */
  public Trainer constrainWith(StepConstraint c) {
    this.constraint = c;
    return this;
  }

  /**
   * What runs after each optimizer step (a curve recorder, say); it may evaluate the model but not change it (a
   * change is a {@link StepConstraint}, which runs first).
   */
  public interface StepListener {
    /** {@code step} optimizer steps are done; the last one's batch loss was {@code loss}. */
    void afterStep(long step, double loss);
  }

  /** Calls {@code l} after every optimizer step; none by default. */
  public Trainer onStep(StepListener l) {
    this.listener = l;
    return this;
  }

  /** Trains on {@code train}, evaluating on {@code validation} (may be null) at every epoch end. */
  public TrainResult fit(Dataset train, Dataset validation) throws IOException {
    long t0 = System.nanoTime();
    Map<String, Tensor> trainable = model.trainable();
    List<Tensor> params = new ArrayList<>(trainable.values());
    Optimizer opt = optimizer(params);
    DType dtype = model.model().config().dtype();
    Batcher batcher = new Batcher(train, BatchConfig.shuffled(config.batchSize(), config.seed()).withDType(dtype)
        .withPadId(padId));
    long planned = (long) config.epochs() * batcher.batchesPerEpoch();
    long total = config.maxSteps() > 0 ? Math.min(planned, config.maxSteps()) : planned;
    // the schedule spans every epoch, so a run stopped at maxSteps is the start of the full run and can resume it
    LrSchedule schedule = schedule(planned);
    Rng dropout = Rng.derive(config.seed(), DROPOUT_STREAM);
    RunState s = RunState.fresh();
    String fingerprint = fingerprint(train, trainable);
    Checkpoints.State saved = checkpointDir == null ? null : Checkpoints.load(checkpointDir, trainable, fingerprint);
    if (saved != null) s = RunState.resume(saved, fingerprint, trainable, opt, dropout);
    project(trainable); // the start is feasible too (a no-op on a resumed, already projected state)
    TrainProgress bar = new TrainProgress(progress, s.step, total);
    List<Double> losses = new ArrayList<>();
    String stop = "completed";
    for (Batch batch : batcher.from(s.next, config.epochs())) {
      if (s.step >= total) {
        stop = "max_steps";
        break;
      }
      opt.lr(schedule.lr(s.step));
      double loss = step(batch, opt, params, trainable, s.step, dropout);
      losses.add(loss);
      s.step++;
      s.epochLossSum += loss;
      s.epochSteps++;
      s.next = batcher.after(batch.position());
      if (listener != null) listener.afterStep(s.step, loss);
      bar.update(s.step, loss, false);
      boolean epochEnd = s.next.epoch() != batch.position().epoch();
      if (epochEnd && endEpoch(s, batch.position().epoch(), validation)) stop = "early_stopping";
      boolean every = config.checkpointEvery() > 0 && s.step % config.checkpointEvery() == 0;
      if (checkpointDir != null && (every || epochEnd || s.step == total || stop.equals("early_stopping"))) {
        checkpoint(s.toCheckpoint(opt, trainable, dropout, fingerprint));
      }
      if (stop.equals("early_stopping")) break;
    }
    if (!losses.isEmpty()) {
      bar.update(s.step, losses.get(losses.size() - 1), true);
      bar.finish();
    }
    double[] l = losses.stream().mapToDouble(Double::doubleValue).toArray();
    return new TrainResult(List.copyOf(s.history), s.step, (System.nanoTime() - t0) / 1e9, stop, l);
  }

  /** One optimizer step; returns the batch loss. */
  private double step(Batch batch, Optimizer opt, List<Tensor> params, Map<String, Tensor> named, long step, Rng rng) {
    Tensor out = model.forward(Task.input(batch), ForwardMode.train(rng));
    Tensor loss = task.loss(out, batch);
    double value = loss.item();
    if (!Double.isFinite(value)) throw diverged("step " + (step + 1) + ": loss is " + value);
    loss.backward();
    for (Map.Entry<String, Tensor> e : named.entrySet()) {
      Tensor g = e.getValue().grad();
      if (g != null && !g.allFinite()) {
        throw diverged("step " + (step + 1) + ": gradient of '" + e.getKey() + "' is not finite");
      }
    }
    if (config.clipNorm() > 0) GradClip.clipByGlobalNorm(params, config.clipNorm());
    opt.step();
    opt.zeroGrad();
    project(named);
    // finite gradients can still overflow the weights (lr 1e38 in float32); what is checked here is what a
    // checkpoint or the adapter would hold
    String bad = FiniteValues.firstProblem(named);
    if (bad != null) throw diverged("step " + (step + 1) + ": tensor " + bad + " after the optimizer step");
    return value;
  }

  /** Saves {@code c} once its optimizer buffers, too, are known to be finite (Adam's v can overflow alone). */
  private void checkpoint(Checkpoints.State c) throws IOException {
    String bad = FiniteValues.firstProblem(Checkpoints.optimizerTensors(c.optimizer().buffers()));
    if (bad != null) throw diverged("step " + c.step() + ": optimizer buffer " + bad);
    Checkpoints.save(checkpointDir, c);
  }

  /**
   * The divergence {@code what}, plus which checkpoint the run keeps: the newest on disk, which the checks before
   * every save (and the refusal to resume a non-finite one) make the last finite state. Public for a caller that
   * finds the trained model diverged after {@link #fit} (its final loss is NaN although its weights are finite).
   */
  public TrainingDiverged diverged(String what) {
    if (checkpointDir == null) return new TrainingDiverged(what, null);
    Path kept;
    try {
      kept = Checkpoints.latest(checkpointDir);
    } catch (IOException e) {
      kept = null;
    }
    return new TrainingDiverged(what + (kept == null ? "; no checkpoint was written before it"
        : "; kept the last finite checkpoint " + kept), kept);
  }

  private void project(Map<String, Tensor> trainable) {
    if (constraint == null) return;
    try (GradMode.Scope s = GradMode.noGrad()) {
      constraint.project(trainable);
    }
  }

  /** Records the epoch; true when early stopping says stop. */
  private boolean endEpoch(RunState s, int epoch, Dataset validation) {
    Metrics val = validation == null ? null : Evaluator.evaluate(model, validation, task, config.batchSize(), padId);
    if (val != null && !Double.isFinite(val.loss())) {
      throw diverged("step " + s.step + ": validation loss is " + val.loss() + " at the end of epoch " + (epoch + 1));
    }
    s.history.add(new EpochRecord(epoch, s.step, s.epochLossSum / s.epochSteps, val));
    s.epochLossSum = 0;
    s.epochSteps = 0;
    if (val == null || config.patience() == 0) return false;
    if (val.loss() < s.bestLoss) {
      s.bestLoss = val.loss();
      s.badEpochs = 0;
      return false;
    }
    return ++s.badEpochs >= config.patience();
  }

  private Optimizer optimizer(List<Tensor> params) {
    return switch (config.optimizer()) {
      case ADAM -> new Adam(params, betas(AdamConfig.adam(config.lr()).withWeightDecay(config.weightDecay())));
      case ADAMW -> new Adam(params, betas(AdamConfig.adamW(config.lr()).withWeightDecay(config.weightDecay())));
      case SGD -> new Sgd(params, config.lr(), 0.9, 0.0, config.weightDecay(), false);
    };
  }

  private AdamConfig betas(AdamConfig c) {
    return new AdamConfig(c.lr(), config.beta1(), config.beta2(), c.eps(), c.weightDecay(), c.decoupled());
  }

  private LrSchedule schedule(long total) {
    int warm = config.warmupSteps();
    return switch (config.schedule()) {
      case CONSTANT -> warm > 0 ? LrSchedule.linearWarmup(config.lr(), warm) : LrSchedule.constant(config.lr());
      case LINEAR -> LrSchedule.linear(config.lr(), warm, Math.max(total, warm + 1));
      case COSINE -> LrSchedule.cosine(config.lr(), 0.0, warm, Math.max(total, warm + 1));
    };
  }

  /**
   * Identifies what a checkpoint belongs to, so resuming with other data, settings or tensors is refused. Where the
   * run stops (maxSteps) and how often it checkpoints do not change its arithmetic, so they are left out.
   */
  private String fingerprint(Dataset train, Map<String, Tensor> trainable) {
    TrainerConfig c = config.withMaxSteps(0).withCheckpointEvery(0);
    // torch's default betas are left out of the text, as before betas were settable, so older runs still resume
    String settings = (c.defaultBetas() ? c.toString().replace(", beta1=" + c.beta1() + ", beta2=" + c.beta2(), "")
        : c.toString())
        + (constraint == null ? "" : "|" + constraint.describe());
    StringBuilder sb = new StringBuilder(settings).append('|').append(train.size());
    trainable.forEach((k, v) -> sb.append('|').append(k).append(java.util.Arrays.toString(v.shape())));
    return Long.toHexString(Rng.derive(sb.toString().hashCode(), sb.length()).nextLong());
  }

  /** The mutable progress of a run. */
  private static final class RunState {
    long step;
    BatchPosition next = BatchPosition.START;
    final List<EpochRecord> history = new ArrayList<>();
    double epochLossSum;
    int epochSteps;
    double bestLoss = Double.POSITIVE_INFINITY;
    int badEpochs;

    static RunState fresh() {
      return new RunState();
    }

    static RunState resume(Checkpoints.State c, String fingerprint, Map<String, Tensor> trainable, Optimizer opt,
        Rng dropout) {
      if (!c.fingerprint().equals(fingerprint)) throw Checkpoints.otherRun();
      try (GradMode.Scope s = GradMode.noGrad()) {
        trainable.forEach((k, t) -> t.copyFrom(c.trainable().get(k)));
      }
      opt.restore(c.optimizer());
      dropout.restore(c.rngState());
      RunState s = new RunState();
      s.step = c.step();
      s.next = c.next();
      s.history.addAll(c.history());
      s.epochLossSum = c.epochLossSum();
      s.epochSteps = c.epochSteps();
      s.bestLoss = c.bestLoss();
      s.badEpochs = c.badEpochs();
      return s;
    }

    Checkpoints.State toCheckpoint(Optimizer opt, Map<String, Tensor> trainable, Rng dropout, String fingerprint) {
      return new Checkpoints.State(step, next, dropout.state(), opt.state(), trainable, List.copyOf(history),
          epochLossSum, epochSteps, bestLoss, badEpochs, fingerprint);
    }
  }
}
