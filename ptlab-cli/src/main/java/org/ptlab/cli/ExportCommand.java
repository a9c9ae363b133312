package org.ptlab.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ptlab.io.model.ModelFiles;
import org.ptlab.nn.Transformer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ptlab export}: writes a model as config.json + model.safetensors (Hugging Face weight names). */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
      "Write a model (a preset's seeded random weights, or a saved model) as",
      "OUT/config.json + OUT/model.safetensors, with Hugging Face weight names",
      "(encoder.layer.0.attention.self.query.weight, …).",
      ""
    })
final class ExportCommand implements Callable<Integer> {
  @Mixin ModelOptions model = new ModelOptions();

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "output folder")
  Path out;

  @Override
  public Integer call() throws Exception {
    Transformer m = model.load(model.config());
    ModelFiles.save(m, out, Map.of("format", "pt"));
    model.copyTokenizerTo(out);
    System.out.printf("%s: %,d parameters → %s%n", model.model, m.parameters().count(), out);
    return 0;
  }
}
