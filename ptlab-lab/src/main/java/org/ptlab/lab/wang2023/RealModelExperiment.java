package org.ptlab.lab.wang2023;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ptlab.lab.ClaimResult;
import org.ptlab.lab.Experiment;
import org.ptlab.lab.FigureSpec;
import org.ptlab.lab.GridSize;
import org.ptlab.lab.Results;
import org.ptlab.lab.RunContext;
import org.ptlab.lab.RunOutput;

/**
 * E10: Wang et al.'s §7 comparison (prompt tuning against LoRA and full fine-tuning) on a real pretrained
 * transformer and real sentences, the strongest substitute reachable offline for their Llama-7B/RTE runs:
 * all-MiniLM-L6-v2 (22.7 M parameters, read from its ONNX file) classifying the UCI sentiment sentences, trained
 * on two review sites and tested on the third.
 *
 * <p>Config keys: {@code split} (see {@link E10Data}), {@code method} (head, prompt, prefix, lora, full),
 * {@code init} and {@code m_p} for prompts, {@code m_p} for prefixes, {@code r} for LoRA (on W_q and W_v, α = 2r),
 * {@code lr} (Adam), {@code epochs}, {@code batch}, and {@code max_steps} in the smoke grid only. The data, validation split and frozen weights are the same for
 * every method of a repeat; the method's initialisation, the head and the batch order come from the run's seed.
 */
public final class RealModelExperiment implements Experiment {
  @Override
  public String id() {
    return "E10";
  }

  @Override
  public String title() {
    return "A real pretrained model on real data: prompt tuning vs prefix, LoRA and full fine-tuning on MiniLM";
  }

  @Override
  public String paper() {
    return "Wang et al. 2023 §7 (their RTE/WMT14 runs on Llama-7B); the substitute model and data of spec data.md";
  }

  @Override
  public String explanation() {
    return "all-MiniLM-L6-v2, frozen except for what each method trains, classifies the sentiment of review sentences "
        + "(trained on two of amazon/imdb/yelp, tested on the third). Every PEFT method also trains the 2-class head on "
        + "the mean-pooled output; 'head' trains only that head (the frozen-encoder baseline). Look at where prompt "
        + "tuning falls short of LoRA and full fine-tuning for a similar or larger parameter budget, as Wang et al.'s "
        + "limitation results predict for a fixed model, and at the prompt's spectral norm growing as it fits (their "
        + "§7.3).";
  }

  @Override
  public List<Map<String, Object>> grid(GridSize size) {
    List<Map<String, Object>> g = new ArrayList<>();
    switch (size) {
      case SMOKE -> { // the pipeline end to end in seconds: 8 steps each, numbers meaningless
        for (Map<String, Object> c : List.of(config("to-imdb", "head", Map.of(), 1e-2, 1, 16),
            config("to-imdb", "prompt", Map.of("init", "CLASS_LABELS", "m_p", 5), 0.1, 1, 16))) {
          c.put("max_steps", 8);
          g.add(c);
        }
      }
      case QUICK -> quickGrid(g);
      case FULL -> {
        for (String split : E10Data.SPLITS) fullGrid(g, split);
      }
      default -> throw new IllegalStateException("size " + size);
    }
    return g;
  }

  /** One split, one setting per method (the best-known lr of each), a prompt per init. */
  private static void quickGrid(List<Map<String, Object>> g) {
    String split = "to-imdb";
    int epochs = E10Run.QUICK_EPOCHS;
    g.add(config(split, "head", Map.of(), 1e-2, epochs, 16));
    for (String init : List.of("RANDOM", "CLASS_LABELS")) {
      g.add(config(split, "prompt", Map.of("init", init, "m_p", 20), 0.1, epochs, 16));
    }
    g.add(config(split, "prefix", Map.of("m_p", 20), 1e-2, epochs, 16));
    g.add(config(split, "lora", Map.of("r", 8), 1e-3, epochs, 16));
    g.add(config(split, "full", Map.of(), 1e-4, epochs, 16));
  }

  /** The grid: prompt inits × lengths × two lrs, prefix, LoRA ranks, full at two lrs, the head baseline. */
  private static void fullGrid(List<Map<String, Object>> g, String split) {
    int epochs = E10Run.FULL_EPOCHS;
    for (double lr : new double[] {1e-2, 1e-3}) g.add(config(split, "head", Map.of(), lr, epochs, 16));
    for (String init : List.of("RANDOM", "SAMPLE_VOCAB", "CLASS_LABELS")) {
      for (int mp : new int[] {5, 20, 50}) {
        for (double lr : new double[] {0.1, 1e-2}) {
          g.add(config(split, "prompt", Map.of("init", init, "m_p", mp), lr, epochs, 16));
        }
      }
    }
    for (double lr : new double[] {1e-2, 1e-3}) g.add(config(split, "prefix", Map.of("m_p", 20), lr, epochs, 16));
    for (int r : new int[] {1, 4, 8}) g.add(config(split, "lora", Map.of("r", r), 1e-3, epochs, 16));
    for (double lr : new double[] {1e-3, 1e-4}) g.add(config(split, "full", Map.of(), lr, epochs, 16));
  }

  private static Map<String, Object> config(String split, String method, Map<String, Object> extra, double lr,
      int epochs, int batch) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("split", split);
    c.put("method", method);
    if (extra.containsKey("init")) c.put("init", extra.get("init"));
    if (extra.containsKey("m_p")) c.put("m_p", extra.get("m_p"));
    if (extra.containsKey("r")) c.put("r", extra.get("r"));
    c.put("lr", lr);
    c.put("epochs", epochs);
    c.put("batch", batch);
    return c;
  }

  @Override
  public int repeats(GridSize size) {
    return size == GridSize.FULL ? 3 : 1;
  }

  @Override
  public List<String> tableMetrics() {
    return List.of("test_accuracy", "test_loss", "val_loss", "trainable_params", "train_seconds", "peak_heap_mb",
        "prompt_norm_initial", "prompt_norm_final");
  }

  @Override
  public RunOutput run(RunContext ctx) throws Exception {
    return E10Run.run(ctx);
  }

  @Override
  public List<FigureSpec> figures(Results results) {
    return E10Figures.figures(results);
  }

  @Override
  public List<ClaimResult> claims(Results results) {
    return E10Claims.claims(results);
  }
}
