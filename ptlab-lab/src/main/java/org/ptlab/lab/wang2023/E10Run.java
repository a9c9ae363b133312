package org.ptlab.lab.wang2023;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ptlab.io.data.Dataset;
import org.ptlab.io.model.MiniLm;
import org.ptlab.io.model.ModelSource;
import org.ptlab.io.tokenizer.Tokenizer;
import org.ptlab.lab.RunContext;
import org.ptlab.lab.RunOutput;
import org.ptlab.nn.ForwardMode;
import org.ptlab.nn.Transformer;
import org.ptlab.nn.TransformerConfig.Head;
import org.ptlab.nn.TransformerConfig.Pooling;
import org.ptlab.nn.TransformerConfig;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;
import org.ptlab.theory.SpectralNorms;
import org.ptlab.tuning.PeftMethod;
import org.ptlab.tuning.TunedModel;
import org.ptlab.tuning.TuningMethod;
import org.ptlab.tuning.batch.Batch;
import org.ptlab.tuning.batch.BatchConfig;
import org.ptlab.tuning.batch.Batcher;
import org.ptlab.tuning.prompt.PromptTuning;
import org.ptlab.tuning.train.Evaluator;
import org.ptlab.tuning.train.Metrics;
import org.ptlab.tuning.train.Task;
import org.ptlab.tuning.train.TrainResult;
import org.ptlab.tuning.train.Trainer;
import org.ptlab.tuning.train.TrainerConfig;

/** One E10 run: load MiniLM, attach the method, train with PTLab's trainer, measure on validation and test. */
final class E10Run {
  static final int QUICK_EPOCHS = 2;
  static final int FULL_EPOCHS = 5;
  /** Evaluation batch (no graph is kept, so it can be larger than the training batch). */
  static final int EVAL_BATCH = 32;
  /** Validation evaluations per epoch for the curves (each costs a forward pass over ~200 sentences). */
  static final int CURVE_POINTS_PER_EPOCH = 3;
  private static final long HEAD_STREAM = 0x68656164L;
  private static final long METHOD_STREAM = 0x6D6574686F64L;
  private static final double MB = 1024.0 * 1024.0;

  private E10Run() {}

  static RunOutput run(RunContext ctx) throws Exception {
    E10Point point = E10Point.of(ctx);
    E10Data.Task data = E10Data.task(point.split(), ctx.taskSeed());
    ModelSource minilm = ModelSource.of(MiniLm.NAME);
    Tokenizer tokenizer = minilm.tokenizer();
    int pad = tokenizer.padId();
    TransformerConfig config = minilm.config().withHead(Head.CLASSIFY, Pooling.MEAN, 2);
    Transformer base = minilm.load(config, Rng.derive(ctx.seed(), HEAD_STREAM));
    List<TuningMethod> methods = E10Methods.build(point, base, Rng.derive(ctx.seed(), METHOD_STREAM), tokenizer);
    TunedModel tuned = TunedModel.of(base, methods.toArray(TuningMethod[]::new));
    Task task = Task.of(config.head(), data.train());
    TrainerConfig tc = TrainerConfig.defaults().withEpochs(point.epochs()).withBatch(point.batch())
        .withLr(point.lr()).withSeed(ctx.seed());
    if (point.maxSteps() != null) tc = tc.withMaxSteps(point.maxSteps()); // smoke grids only

    PromptTuning prompt = (PromptTuning) tuned.method(PeftMethod.PROMPT);
    double normInitial = prompt == null ? Double.NaN : spectralNorm(prompt);
    Curves curves = new Curves();
    curves.record(0, Evaluator.evaluate(tuned, data.validation(), task, EVAL_BATCH, pad), normInitial);
    long stepsPerEpoch = (data.train().size() + tc.batchSize() - 1) / tc.batchSize();
    long total = tc.maxSteps() > 0 ? Math.min(tc.maxSteps(), stepsPerEpoch * tc.epochs()) : stepsPerEpoch * tc.epochs();
    long every = Math.max(1, (stepsPerEpoch + CURVE_POINTS_PER_EPOCH - 1) / CURVE_POINTS_PER_EPOCH);
    Trainer trainer = new Trainer(tuned, task, tc, pad).onStep((step, loss) -> {
      if (step % every == 0 || step == total) { // the curve's evaluations are not training time
        long e0 = System.nanoTime();
        Metrics v = Evaluator.evaluate(tuned, data.validation(), task, EVAL_BATCH, pad);
        curves.evalSeconds += (System.nanoTime() - e0) / 1e9;
        curves.record(step, v, prompt == null ? Double.NaN : spectralNorm(prompt));
      }
    });
    long t0 = System.nanoTime();
    TrainResult result = trainer.fit(data.train(), null);
    double seconds = (System.nanoTime() - t0) / 1e9 - curves.evalSeconds;
    double normFinal = prompt == null ? Double.NaN : spectralNorm(prompt);
    Metrics val = curves.last;
    Metrics test = Evaluator.evaluate(tuned, data.test(), task, EVAL_BATCH, pad);
    double peakMb = peakHeapMb(tuned, task, data.train(), tc, pad);

    Map<String, Object> m = new LinkedHashMap<>();
    m.put("test_accuracy", test.accuracy());
    m.put("test_loss", test.loss());
    m.put("val_loss", val.loss());
    m.put("val_accuracy", val.accuracy());
    m.put("val_loss_initial", curves.valLoss.get(0));
    m.put("val_loss_best", curves.valLoss.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN));
    m.put("trainable_params", tuned.trainableCount());
    m.put("train_seconds", seconds);
    m.put("peak_heap_mb", peakMb);
    m.put("steps", result.steps());
    m.put("prompt_norm_initial", normInitial);
    m.put("prompt_norm_final", normFinal);
    m.put("train_size", data.train().size());
    m.put("test_size", data.test().size());
    m.put("stop_reason", result.stopReason());
    Map<String, Object> a = curves.artifacts();
    a.put("train_loss", sampled(result.losses(), 200));
    return new RunOutput(m, a);
  }

  /** Validation metrics and the prompt's spectral norm at a few points per epoch (and before training). */
  private static final class Curves {
    final List<Long> steps = new ArrayList<>();
    final List<Double> valLoss = new ArrayList<>();
    final List<Double> valAccuracy = new ArrayList<>();
    final List<Double> promptNorm = new ArrayList<>();
    Metrics last;
    double evalSeconds;

    void record(long step, Metrics val, double norm) {
      steps.add(step);
      valLoss.add(val.loss());
      valAccuracy.add(val.accuracy());
      promptNorm.add(norm);
      last = val;
    }

    Map<String, Object> artifacts() {
      Map<String, Object> a = new LinkedHashMap<>();
      a.put("curve_step", steps);
      a.put("curve_val_loss", valLoss);
      a.put("curve_val_accuracy", valAccuracy);
      if (!Double.isNaN(promptNorm.get(0))) a.put("curve_prompt_norm", promptNorm);
      return a;
    }
  }

  /** About {@code points} evenly spaced entries of {@code xs} (the last one always included). */
  private static List<Double> sampled(double[] xs, int points) {
    List<Double> out = new ArrayList<>();
    int stride = Math.max(1, (xs.length + points - 1) / points);
    for (int i = 0; i < xs.length; i += stride) out.add(xs[i]);
    if (xs.length > 0 && (xs.length - 1) % stride != 0) out.add(xs[xs.length - 1]);
    return out;
  }

  private static double spectralNorm(PromptTuning prompt) {
    return SpectralNorms.of(prompt.prompt()); // [m_p, d]
  }

  /**
   * The live heap (after a full GC) at a training step's high-water mark: model, trainable state and the forward
   * graph of the longest training batch alive, just before backward. Whole JVM: with {@code --threads} above 1 it
   * includes the runs executing beside this one.
   */
  private static double peakHeapMb(TunedModel tuned, Task task, Dataset train, TrainerConfig tc, int pad) {
    Batcher batcher = new Batcher(train, BatchConfig.shuffled(tc.batchSize(), tc.seed())
        .withDType(tuned.model().config().dtype()).withPadId(pad));
    Batch longest = null;
    for (Batch b : batcher.from(org.ptlab.tuning.batch.BatchPosition.START, 1)) {
      if (longest == null || b.seqLen() * b.size() > longest.seqLen() * longest.size()) longest = b;
    }
    Tensor loss = task.loss(tuned.forward(Task.input(longest), ForwardMode.EVAL), longest);
    double mb = liveBytes() / MB;
    loss.backward(); // releases the graph the way a step would
    for (Tensor t : tuned.trainable().values()) t.zeroGrad();
    return mb;
  }

  private static long liveBytes() {
    System.gc();
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
