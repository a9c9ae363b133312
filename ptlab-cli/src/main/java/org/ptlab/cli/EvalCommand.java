package org.ptlab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.ptlab.io.data.Dataset;
import org.ptlab.io.tokenizer.Tokenizer;
import org.ptlab.nn.Transformer;
import org.ptlab.nn.TransformerConfig;
import org.ptlab.tuning.AdapterFiles;
import org.ptlab.tuning.AdapterJson;
import org.ptlab.tuning.TunedModel;
import org.ptlab.tuning.generate.ExactMatch;
import org.ptlab.tuning.train.Evaluator;
import org.ptlab.tuning.train.Metrics;
import org.ptlab.tuning.train.Task;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ptlab eval}: loss and accuracy of a model, with or without an adapter, on a JSONL file. */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
    header = "Evaluate a model, optionally with an adapter, on a data file.",
    customSynopsis = "ptlab eval --data FILE [--adapter DIR] [OPTIONS]",
    description = {
      "The adapter folder may come from ptlab tune or from PEFT. --json prints {\"loss\":…,\"accuracy\":…,\"n\":…,"
          + "\"attention\":{…}} (accuracy is null for regression; attention: the kernel's calls, fast vs exact, "
          + "largest certified bound, R range, degrees and ranks).",
      "Causal-LM data with per-token \"labels\" or \"prompt\"/\"completion\" lines: loss and accuracy count the "
          + "answer tokens only (teacher-forced), and \"exact_match\" is the fraction of answers that greedy "
          + "generation from the prompt reproduces token for token."
    })
final class EvalCommand implements Callable<Integer>, HelpLayout.OwnSections {
  @Mixin ModelOptions model = new ModelOptions();
  @Mixin AttentionOptions attention = new AttentionOptions();

  @Option(names = "--adapter", paramLabel = "DIR", description = "adapter folder (adapter_config.json + adapter_model.safetensors)")
  Path adapter;

  @Option(names = "--data", required = true, paramLabel = "FILE", description = "evaluation data (JSON lines: .jsonl, .ndjson or .json; or .csv)")
  Path data;

  @Option(names = "--batch", paramLabel = "N", defaultValue = "32", description = "examples per forward pass (default: ${DEFAULT-VALUE})")
  int batch;

  @Option(names = "--json", description = "print one JSON object on stdout")
  boolean json;

  @Override
  public Map<String, List<String>> ownSections() {
    return Map.of("Data", List.of("--adapter", "--data", "--batch"), "Output", List.of("--json"));
  }

  @Override
  public Integer call() throws Exception {
    if (batch < 1) throw new UserError("--batch must be >= 1, got " + batch);
    Tokenizer tokenizer = model.tokenizer();
    Dataset ds = new DataFiles(trainedClassNames()).read(data, tokenizer);
    TransformerConfig plain = model.config();
    TransformerConfig config = headFor(plain, ds);
    Transformer base = model.load(config);
    AttentionReport report = attention.install(base, System.err);
    ds.validateFor(config.vocabSize(), config.maxPositions(), config.vocabSize() == 0 ? config.dModel() : 0,
        config.dtype());
    refuseRandomClassifier(plain, config, ds);
    TunedModel tuned = adapter == null ? TunedModel.of(base) : AdapterFiles.load(adapter, base);
    Task task = Task.of(config.head(), ds);
    Metrics m = Evaluator.evaluate(tuned, ds, task, batch, tokenizer == null ? 0 : tokenizer.padId());
    // per-token labels (a prompt and its answer): also the greedy generation of each answer, compared whole
    boolean answers = ds.targetKind() == org.ptlab.io.data.TargetKind.TOKEN_LABELS;
    double exact = answers ? ExactMatch.of(tuned, ds) : Double.NaN;
    if (!attention.exact()) System.err.println(report.summary());
    if (json) {
      com.fasterxml.jackson.databind.node.ObjectNode out = TuneRun.metricsNode(m);
      if (answers) out.put("exact_match", exact);
      System.out.println(AdapterJson.compact(out.set("attention", report.toJson())));
    } else {
      System.out.printf(Locale.ROOT, "loss %.6f  accuracy %s  n %d%s%n", m.loss(),
          Double.isNaN(m.accuracy()) ? "-" : String.format(Locale.ROOT, "%.4f", m.accuracy()), m.n(),
          answers ? String.format(Locale.ROOT, "  exact_match %.4f", exact) : "");
    }
    return 0;
  }

  /**
   * The head the adapter was trained with (its "ptlab.head"); else, for an adapter without it (one from PEFT), a
   * classifier as wide as the saved one ({@code classifier.weight} [C, d] of modules_to_save), whatever labels the
   * data happens to hold; else the one the data calls for.
   */
  private TransformerConfig headFor(TransformerConfig c, Dataset ds) throws java.io.IOException {
    TransformerConfig trained = trainedHead(c, adapter);
    if (trained == null) return TaskHead.fit(c, ds);
    if (trained.head() == TransformerConfig.Head.CLASSIFY && ds.targetKind() == org.ptlab.io.data.TargetKind.LABEL) {
      ds.validateClasses(trained.outputs()); // a label the saved classifier cannot predict, named by line
    }
    return trained;
  }

  /** {@code c} with the head the adapter was trained with (its "ptlab.head"), or null when it names none. */
  static TransformerConfig trainedHead(TransformerConfig c, Path adapter) throws java.io.IOException {
    Path cfg = adapter == null ? null : firstConfig(adapter);
    if (cfg != null) {
      JsonNode head = readConfig(cfg).path("ptlab").path("head");
      if (!head.has("kind")) {
        int classes = savedClassifierRows(adapter, cfg);
        if (classes > 0) return c.withHead(TransformerConfig.Head.CLASSIFY, c.pooling(), classes);
      }
      if (head.has("kind")) {
        TransformerConfig.Head kind;
        TransformerConfig.Pooling pooling;
        try {
          kind = TransformerConfig.Head.valueOf(head.get("kind").asText());
          pooling = TransformerConfig.Pooling.valueOf(head.path("pooling").asText("MEAN"));
        } catch (IllegalArgumentException e) {
          throw new UserError(cfg + ": ptlab.head " + head + " is not a head PTLab knows (" + e.getMessage() + ")");
        }
        return c.withHead(kind, pooling, AdapterFiles.headOutputs(cfg, head)); // checked against the weights first
      }
    }
    return null;
  }

  /** The classes of the classifier saved in any folder of the adapter (the head travels with the first method). */
  private static int savedClassifierRows(Path adapter, Path firstConfig) throws java.io.IOException {
    int rows = AdapterFiles.savedClassifierRows(firstConfig);
    if (rows > 0 || Files.isRegularFile(adapter.resolve(AdapterFiles.CONFIG))) return rows;
    try (var s = Files.list(adapter)) {
      for (Path sub : s.sorted().toList()) {
        for (String name : new String[] {AdapterFiles.CONFIG, AdapterFiles.PART_CONFIG}) {
          if (Files.isRegularFile(sub.resolve(name))) rows = Math.max(rows, AdapterFiles.savedClassifierRows(sub.resolve(name)));
        }
      }
    }
    return rows;
  }

  /**
   * Refuses labelled data on a model whose classifier would be made up here (drawn from --model-seed, so its
   * accuracy would measure nothing): no adapter, and {@code fitted} had to add or widen the head of {@code plain}.
   */
  private void refuseRandomClassifier(TransformerConfig plain, TransformerConfig fitted, Dataset ds) {
    if (adapter == null && ds.targetKind() == org.ptlab.io.data.TargetKind.LABEL && !fitted.equals(plain)) {
      throw new UserError(data + ": the data has labels but the model has no trained classifier; pass --adapter DIR "
          + "(from ptlab tune) or a model folder that holds its classifier");
    }
  }

  /**
   * An adapter_config.json, checked before the adapter is loaded: JSON, an object, a peft_type PTLab reads. A
   * malformed file is bad input named by its path (PEFT's loader would say as much), not a parser's stack trace.
   */
  private static JsonNode readConfig(Path cfg) throws java.io.IOException {
    JsonNode j;
    try {
      j = AdapterJson.MAPPER.readTree(cfg.toFile());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UserError(cfg + ": not valid JSON (" + e.getOriginalMessage() + ")");
    }
    if (j == null || !j.isObject()) throw new UserError(cfg + ": not a JSON object");
    boolean part = cfg.getFileName().toString().equals(AdapterFiles.PART_CONFIG); // a head alone: no peft_type
    boolean headOnly = j.path("peft_type").isNull() && j.path("modules_to_save").isArray(); // PTLab before format 2
    if (!part && !headOnly) {
      if (!j.path("peft_type").isTextual()) throw new UserError(cfg + ": no \"peft_type\" string");
      org.ptlab.tuning.PeftMethod.fromPeftType(j.get("peft_type").asText(), cfg.toString());
    }
    JsonNode names = j.path("ptlab").path(TuneRun.CLASS_NAMES);
    if (!names.isMissingNode() && !names.isArray()) throw new UserError(cfg + ": ptlab." + TuneRun.CLASS_NAMES + " is not a list");
    return j;
  }

  /** The CSV class names the adapter was trained with (its "ptlab.class_names"), or none. */
  private java.util.List<String> trainedClassNames() throws java.io.IOException {
    return trainedClassNames(adapter);
  }

  /** As {@link #trainedClassNames()} for {@code adapter} (may be null). */
  static java.util.List<String> trainedClassNames(Path adapter) throws java.io.IOException {
    Path cfg = adapter == null ? null : firstConfig(adapter);
    if (cfg == null) return java.util.List.of();
    JsonNode names = readConfig(cfg).path("ptlab").path(TuneRun.CLASS_NAMES);
    java.util.List<String> out = new java.util.ArrayList<>();
    names.forEach(n -> out.add(n.asText()));
    return out;
  }

  /** The adapter_config.json (or a head's model_part.json) of {@code dir} or of its first sub-folder with one. */
  private static Path firstConfig(Path dir) throws java.io.IOException {
    for (String name : new String[] {AdapterFiles.CONFIG, AdapterFiles.PART_CONFIG}) {
      if (Files.isRegularFile(dir.resolve(name))) return dir.resolve(name);
    }
    if (!Files.isDirectory(dir)) return null;
    try (var s = Files.list(dir)) {
      return s.flatMap(p -> Stream.of(p.resolve(AdapterFiles.CONFIG), p.resolve(AdapterFiles.PART_CONFIG)))
          .filter(Files::isRegularFile).sorted().findFirst().orElse(null);
    }
  }
}
