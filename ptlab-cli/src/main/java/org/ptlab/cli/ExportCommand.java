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
          + "has one."
    })
final class ExportCommand implements Callable<Integer>, HelpLayout.OwnSections {
  @Mixin ModelOptions model = new ModelOptions();

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "output folder")
  Path out;

  @Override
  public Map<String, List<String>> ownSections() {
    return Map.of("Output", List.of("--out"));
  }

  @Override
  public Integer call() throws Exception {
    OutputFolder.check("--out", out);
    Transformer m = model.load(model.config());
    ModelFiles.save(m, out, Map.of("format", "pt"));
    model.copyTokenizerTo(out);
    System.out.printf("%s: %,d parameters → %s%n", model.model, m.parameters().count(), out);
    return 0;
  }
}
