package org.ptlab.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ptlab.io.data.Dataset;
import org.ptlab.io.data.Example;
import org.ptlab.io.tokenizer.Tokenizer;
import org.ptlab.nn.ForwardMode;
import org.ptlab.nn.Transformer;
import org.ptlab.nn.TransformerConfig;
import org.ptlab.tensor.GradMode;
import org.ptlab.tensor.Tensor;
import org.ptlab.tuning.AdapterFiles;
import org.ptlab.tuning.AdapterJson;
import org.ptlab.tuning.TunedModel;
import org.ptlab.tuning.batch.Batch;
import org.ptlab.tuning.batch.BatchConfig;
import org.ptlab.tuning.batch.Batcher;
import org.ptlab.tuning.train.Task;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ptlab predict}: the class a classifier gives each input, with the class probabilities. */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
    header = "Predict class labels and probabilities with a classifier.",
    customSynopsis = "ptlab predict --model M [--adapter DIR] (--data FILE | --text TEXT) [OPTIONS]",
    description = {
      "For each input, in input order: the predicted label and the class probabilities (softmax of the logits). "
          + "The head comes from the adapter (its ptlab.head, as eval reads it) or from the model folder; a model "
          + "without a classification head is refused. Labels in --data are ignored.",
      "Prints one line per input, \"LABEL<TAB>p0 p1 …\" (the class name when the adapter was trained on named CSV "
          + "classes); --json prints {\"predictions\":[{\"label\":…,\"probabilities\":[…]},…]}."
    })
final class PredictCommand implements Callable<Integer>, HelpLayout.OwnSections {
  @Mixin ModelOptions model = new ModelOptions();

  @Option(names = "--adapter", paramLabel = "DIR", description = "adapter folder (from ptlab tune or PEFT)")
  Path adapter;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Input input;

  static final class Input {
    @Option(names = "--data", paramLabel = "FILE",
        description = "inputs to classify (JSON lines or CSV, as eval reads them)")
    Path data;

    @Option(names = "--text", paramLabel = "TEXT", description = "one text to classify")
    String text;
  }

  @Option(names = "--batch", paramLabel = "N", defaultValue = "32",
      description = "examples per forward pass (default: ${DEFAULT-VALUE})")
  int batch;

  @Option(names = "--json", description = "print one JSON object on stdout")
  boolean json;

  @Override
  public Map<String, List<String>> ownSections() {
    return Map.of("Data", List.of("--adapter", "--data", "--text", "--batch"), "Output", List.of("--json"));
  }

  @Override
  public Integer call() throws Exception {
    if (batch < 1) throw new UserError("--batch must be >= 1, got " + batch);
    TransformerConfig plain = model.config();
    TransformerConfig trained = EvalCommand.trainedHead(plain, adapter);
    TransformerConfig config = trained != null ? trained : plain;
    if (config.head() != TransformerConfig.Head.CLASSIFY) {
      throw new UserError("--model " + model.model + (adapter == null ? "" : " with --adapter " + adapter)
          + ": cannot predict classes: it has no classification head (head "
          + config.head().name().toLowerCase(Locale.ROOT) + "); train one with ptlab tune on labelled data and pass "
          + "--adapter, or use ptlab generate for a language model");
    }
    List<String> names = EvalCommand.trainedClassNames(adapter);
    Tokenizer tokenizer = model.tokenizer();
    Dataset ds = inputs(tokenizer, names);
    ds.validateFor(config.vocabSize(), config.maxPositions(), config.vocabSize() == 0 ? config.dModel() : 0,
        config.dtype());
    Transformer base = model.load(config);
    TunedModel tuned = adapter == null ? TunedModel.of(base) : AdapterFiles.load(adapter, base);
    double[][] probs = probabilities(tuned, ds, batch, tokenizer == null ? 0 : tokenizer.padId());
    print(probs, names);
    return 0;
  }

  private Dataset inputs(Tokenizer tokenizer, List<String> names) {
    if (input.data != null) return new DataFiles(names).read(input.data, tokenizer);
    if (tokenizer == null) {
      throw new UserError("--model " + model.model + ": has no tokenizer to read --text; give token ids in --data");
    }
    int[] ids = tokenizer.encode(input.text);
    if (ids.length == 0) throw new UserError("--text encodes to no tokens");
    return Dataset.of("--text", List.of(Example.ofTokens(ids, -1)));
  }

  /** softmax(logits) per example, [n][C], in the data's order. */
  private static double[][] probabilities(TunedModel tuned, Dataset ds, int batchSize, int padId) {
    double[][] out = new double[ds.size()][];
    BatchConfig bc = BatchConfig.inOrder(batchSize).withDType(tuned.model().config().dtype()).withPadId(padId);
    try (GradMode.Scope s = GradMode.noGrad()) {
      for (Batch b : new Batcher(ds, bc).epoch(0)) {
        Tensor p = tuned.forward(Task.input(b), ForwardMode.EVAL).softmax(1); // [B, C]
        int c = p.dim(1);
        for (int i = 0; i < b.size(); i++) {
          out[b.indices()[i]] = new double[c];
          for (int j = 0; j < c; j++) out[b.indices()[i]][j] = p.getFlat(i * c + j);
        }
      }
    }
    return out;
  }

  private void print(double[][] probs, List<String> names) {
    if (json) {
      ObjectNode root = AdapterJson.object();
      ArrayNode all = root.putArray("predictions");
      for (double[] p : probs) {
        ObjectNode row = all.addObject();
        int label = argmax(p);
        row.put("label", label);
        if (label < names.size()) row.put("label_name", names.get(label));
        ArrayNode ps = row.putArray("probabilities");
        for (double v : p) ps.add(v);
      }
      System.out.println(AdapterJson.compact(root));
      return;
    }
    for (double[] p : probs) {
      int label = argmax(p);
      String name = label < names.size() ? names.get(label) : Integer.toString(label);
      StringBuilder line = new StringBuilder(name).append('\t');
      for (int j = 0; j < p.length; j++) {
        line.append(j == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.6f", p[j]));
      }
      System.out.println(line);
    }
  }

  private static int argmax(double[] p) {
    int best = 0;
    for (int j = 1; j < p.length; j++) if (p[j] > p[best]) best = j;
    return best;
  }
}
