package org.ptlab.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.ptlab.io.AtomicFiles;
import org.ptlab.io.FiniteValues;
import org.ptlab.io.data.Dataset;
import org.ptlab.io.data.Splits;
import org.ptlab.io.tokenizer.Tokenizer;
import org.ptlab.nn.Transformer;
import org.ptlab.nn.TransformerConfig;
import org.ptlab.tensor.random.Rng;
import org.ptlab.theory.hu2025.PromptNormConstraint;
import org.ptlab.tuning.AdapterFiles;
import org.ptlab.tuning.AdapterJson;
import org.ptlab.tuning.PeftMethod;
import org.ptlab.tuning.TunedModel;
import org.ptlab.tuning.TuningMethod;
import org.ptlab.tuning.train.EpochRecord;
import org.ptlab.tuning.train.Metrics;
import org.ptlab.tuning.train.Task;
import org.ptlab.tuning.train.TrainResult;
import org.ptlab.tuning.train.Trainer;

/** One {@code ptlab tune} run: data, model, methods, training, then the output folder. */
final class TuneRun {
  static final String CHECKPOINTS = "checkpoints";
  /** Key under an adapter's "ptlab" object: a CSV file's class names in id order, so eval maps names alike. */
  static final String CLASS_NAMES = "class_names";
  private static final long METHOD_STREAM = 0x6D6574686F64L;
  private final TuneCommand cmd;

  TuneRun(TuneCommand cmd) {
    this.cmd = cmd;
  }

  /** Something to do once the inputs are checked and before anything is trained or written. */
  interface Start {
    void run() throws java.io.IOException;
  }

  int execute(Start start) throws Exception {
    PrintStream err = System.err;
    Tokenizer tokenizer = cmd.model.tokenizer();
    DataFiles files = new DataFiles(List.of());
    Dataset all = files.read(cmd.data, tokenizer);
    Dataset train = all;
    Dataset val = null;
    if (cmd.validation != null) {
      val = files.read(cmd.validation, tokenizer);
    } else if (cmd.valFraction > 0) {
      Splits.Split split = Splits.trainValidation(all, cmd.valFraction, cmd.train.seed);
      train = split.train();
      val = split.validation();
    }
    TransformerConfig config = TaskHead.fit(cmd.model.config(), all);
    if (cmd.validation != null) checkValidation(all, val, config);
    Transformer base = cmd.model.load(config);
    var kinds = cmd.method.methods();
    // a prompt takes positions, and so does a prefix: the input's position ids start after it, as in HF and PEFT
    int taken = (kinds.contains(PeftMethod.PROMPT) ? cmd.method.promptLength : 0)
        + (kinds.contains(PeftMethod.PREFIX) ? cmd.method.promptLength : 0);
    boolean prompt = taken > 0;
    int room = config.maxPositions() - taken;
    if (room < 1 && config.positional() != TransformerConfig.Positional.NONE) {
      throw new UserError("--prompt-length " + cmd.method.promptLength + " leaves no room for input: the model has "
          + config.maxPositions() + " positions");
    }
    for (Dataset d : new Dataset[] {train, val}) if (d != null) validate(d, config, room, prompt);
    Rng rng = Rng.derive(cmd.train.seed, METHOD_STREAM);
    List<TuningMethod> methods = cmd.method.build(base, rng, tokenizer);
    TunedModel tuned = TunedModel.of(base, methods.toArray(TuningMethod[]::new));
    Task task = Task.of(config.head(), train);
    int pad = tokenizer == null ? 0 : tokenizer.padId();
    PromptNormConstraint constraint = cmd.constraint.build(tuned, train, val, cmd.train.batch, pad); // exact kernel
    AttentionReport attention = cmd.attention.install(base, cmd.quiet ? null : err);
    start.run(); // inputs are all valid: from here on the output folder exists
    if (!cmd.quiet) err.println(tuned.summary());
    Trainer trainer = new Trainer(tuned, task, cmd.train.config(), pad).checkpointTo(cmd.out.resolve(CHECKPOINTS))
        .constrainWith(constraint);
    if (!cmd.quiet) trainer.progressTo(err);
    TrainResult result = trainer.fit(train, val);
    Path saved = cmd.out.resolve(tuned.trainsBaseModel() ? "model" : "adapter");
    // evaluated before anything is saved: finite weights can still overflow the forward pass (loss NaN)
    Metrics trainMetrics = org.ptlab.tuning.train.Evaluator.evaluate(tuned, train, task, cmd.train.batch, pad);
    Metrics valMetrics = val == null ? null : org.ptlab.tuning.train.Evaluator.evaluate(tuned, val, task, cmd.train.batch, pad);
    for (Metrics m : new Metrics[] {trainMetrics, valMetrics}) {
      if (m != null && !Double.isFinite(m.loss())) {
        throw trainer.diverged("after step " + result.steps() + ": the trained model's loss on "
            + (m == trainMetrics ? "the training data" : "the validation data") + " is " + m.loss() + "; nothing saved");
      }
    }
    ObjectNode metrics = metrics(tuned, result, trainMetrics, valMetrics, saved);
    metrics.set("attention", attention.toJson()); // every forward of this invocation: training and evaluation
    if (constraint != null) metrics.set("prompt_constraint", PromptConstraintOptions.json(constraint, tuned));
    FiniteValues.require(cmd.out.resolve("metrics.json"), metrics);
    AdapterFiles.save(tuned, saved, cmd.model.model, provenance(config, files.classNames())); // --model as given
    if (tuned.trainsBaseModel()) cmd.model.copyTokenizerTo(saved); // the saved model reads text too
    if (!cmd.quiet && !cmd.attention.exact()) err.println(attention.summary());
    // what was trained is part of the result, not progress: --quiet prints it too, once the run has succeeded (so a
    // refused checkpoint or a divergence is still the only line on stderr)
    if (cmd.quiet) err.println(tuned.summary());
    String text = AdapterJson.MAPPER.writeValueAsString(metrics);
    AtomicFiles.write(cmd.out.resolve("metrics.json"), text + "\n");
    if (cmd.json) {
      System.out.println(AdapterJson.compact(metrics));
    } else {
      System.out.printf(java.util.Locale.ROOT, "%s: %d steps in %.1f s (%s); train loss %.4f%s; saved %s%n",
          cmd.method.method, result.steps(), result.seconds(), result.stopReason(), trainMetrics.loss(),
          valMetrics == null ? "" : String.format(java.util.Locale.ROOT, ", validation loss %.4f accuracy %s",
              valMetrics.loss(), Double.isNaN(valMetrics.accuracy()) ? "-" : String.format(java.util.Locale.ROOT, "%.4f", valMetrics.accuracy())),
          saved);
    }
    return 0;
  }

  /**
   * Checks {@code d} against the model with {@code room} positions for input; when a prompt took the rest, a
   * sequence too long says so, since the data alone may well fit the model's own positions.
   */
  private void validate(Dataset d, TransformerConfig config, int room, boolean prompt) {
    try {
      d.validateFor(config.vocabSize(), room, config.vocabSize() == 0 ? config.dModel() : 0, config.dtype());
    } catch (IllegalArgumentException e) {
      if (!prompt || !String.valueOf(e.getMessage()).contains("positions the model has for it")) throw e;
      throw new UserError(e.getMessage() + " (its " + config.maxPositions() + " positions less --prompt-length "
          + cmd.method.promptLength + ")");
    }
  }

  /**
   * A --validation file must fit the head that --data calls for (the same kind and width of target, labels below
   * its classes); otherwise the loss would fail mid-training with no file or line to look at.
   */
  private static void checkValidation(Dataset train, Dataset val, TransformerConfig config) {
    Dataset.Meta t = train.meta();
    Dataset.Meta v = val.meta();
    if (t.targetKind() != v.targetKind() || t.targetDim() != v.targetDim()) {
      throw new UserError(val.source() + ": its targets (" + TaskHead.describe(v) + ") do not match those of "
          + train.source() + " (" + TaskHead.describe(t) + ")");
    }
    if (t.targetKind() == org.ptlab.io.data.TargetKind.LABEL) val.validateClasses(config.outputs());
  }

  /** What an adapter records about how it was made (under "ptlab"). */
  private ObjectNode provenance(TransformerConfig config, List<String> classNames) {
    ObjectNode p = AdapterJson.object();
    p.set("base_model", AdapterJson.MAPPER.valueToTree(cmd.model.describe()));
    ObjectNode head = p.putObject("head");
    head.put("kind", config.head().name());
    head.put("outputs", config.outputs());
    head.put("pooling", config.pooling().name());
    p.put("seed", cmd.train.seed);
    p.put("dtype", config.dtype().name());
    p.put("data", cmd.data.toString());
    if (!classNames.isEmpty()) p.set(CLASS_NAMES, AdapterJson.MAPPER.valueToTree(classNames)); // CSV label names, id order
    p.put("ptlab_version", Version.version());
    p.put("commit", System.getProperty("ptlab.commit", "unknown"));
    return p;
  }

  private ObjectNode metrics(TunedModel tuned, TrainResult r, Metrics trainM, Metrics valM, Path saved) {
    ObjectNode m = AdapterJson.object();
    m.put("method", cmd.method.method);
    m.put("trainable_params", tuned.trainableCount());
    m.put("all_params", tuned.totalCount());
    m.put("steps", r.steps());
    m.put("seconds", r.seconds());
    m.put("stop_reason", r.stopReason());
    m.set("train", metricsNode(trainM));
    if (valM != null) m.set("validation", metricsNode(valM));
    ArrayNode h = m.putArray("history");
    for (EpochRecord e : r.history()) {
      ObjectNode row = h.addObject();
      row.put("epoch", e.epoch());
      row.put("step", e.step());
      row.put("train_loss", e.trainLoss());
      if (e.validation() != null) row.set("validation", metricsNode(e.validation()));
    }
    m.put("saved", saved.toString());
    return m;
  }

  static ObjectNode metricsNode(Metrics x) {
    ObjectNode n = AdapterJson.object();
    n.put("loss", x.loss());
    if (Double.isNaN(x.accuracy())) n.putNull("accuracy");
    else n.put("accuracy", x.accuracy());
    n.put("n", x.n());
    return n;
  }
}
