package org.ptlab.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ptlab.io.model.ModelFiles;
import org.ptlab.nn.Transformer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ptlab export}: writes a model as config.json + model.safetensors (Hugging Face weight names). */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
    header = "Write a model as config.json + model.safetensors (Hugging Face).",
    customSynopsis = "ptlab export --model NAME|DIR|FILE.onnx --out DIR [OPTIONS]",
    description = {
      "Writes OUT/config.json + OUT/model.safetensors. The model is a preset's seeded random weights, MiniLM, or a saved model; the weights are named as Hugging Face "
          + "names them (encoder.layer.0.attention.self.query.weight, …), and the tokenizer is copied when the model "
          + "has one. With --format hf the folder is one Hugging Face loads: BertModel for encoders, "
          + "GPT2LMHeadModel for decoders (pre-LN, causal: the gpt preset, GPT-2 folders)."
    })
final class ExportCommand implements Callable<Integer>, HelpLayout.OwnSections {
  @Mixin ModelOptions model = new ModelOptions();

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "output folder")
  Path out;

  @Option(names = "--format", paramLabel = "pt|hf", defaultValue = "pt",
      description = "pt (default): PTLab's config.json; hf: Hugging Face's (BertModel, model_type bert; or "
          + "GPT2LMHeadModel, model_type gpt2, for decoders)")
  String format;

  @Override
  public Map<String, List<String>> ownSections() {
    return Map.of("Output", List.of("--out", "--format"));
  }

  @Override
  public Integer call() throws Exception {
    if (!format.equals("pt") && !format.equals("hf")) {
      throw new IllegalArgumentException("--format: '" + format + "' is neither pt nor hf");
    }
    if (format.equals("hf")) ModelFiles.checkHf(model.config()); // refuses before any work
    OutputFolder.check("--out", out);
    Transformer m = model.load(model.config());
    if (format.equals("hf")) ModelFiles.saveHf(m, out);
    else ModelFiles.save(m, out, Map.of("format", "pt"));
    model.copyTokenizerTo(out);
    System.out.printf("%s: %,d parameters → %s%n", model.model, m.parameters().count(), out);
    return 0;
  }
}
