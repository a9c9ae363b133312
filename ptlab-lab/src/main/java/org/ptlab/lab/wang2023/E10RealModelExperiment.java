package org.ptlab.lab.wang2023;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ptlab.lab.Claim;
import org.ptlab.lab.Experiment;
import org.ptlab.lab.FigureSpec;
import org.ptlab.lab.GridPoint;
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
 * <p>Run parameters: {@link E10Point} (split, method, prompt init and length, LoRA rank on W_q and W_v with
 * α = 2r, Adam's lr, epochs, batch). The data, validation split and frozen weights are the same for every method of a
 * repeat; the method's initialisation, the head and the batch order come from the run's seed.
 */
public final class E10RealModelExperiment implements Experiment {
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
    return GridPoint.configs(points(size));
  }

  static List<E10Point> points(GridSize size) {
    List<E10Point> g = new ArrayList<>();
    switch (size) {
      case SMOKE -> { // the pipeline end to end in seconds: 8 steps each, numbers meaningless
        g.add(E10Point.head("to-imdb", 1e-2, 1).withMaxSteps(8));
        g.add(E10Point.prompt("to-imdb", "CLASS_LABELS", 5, 0.1, 1).withMaxSteps(8));
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
  private static void quickGrid(List<E10Point> g) {
    String split = "to-imdb";
    int epochs = E10Run.QUICK_EPOCHS;
    g.add(E10Point.head(split, 1e-2, epochs));
    for (String init : List.of("RANDOM", "CLASS_LABELS")) g.add(E10Point.prompt(split, init, 20, 0.1, epochs));
    g.add(E10Point.prefix(split, 20, 1e-2, epochs));
    g.add(E10Point.lora(split, 8, 1e-3, epochs));
    g.add(E10Point.full(split, 1e-4, epochs));
  }

  /** The grid: prompt inits × lengths × two lrs, prefix, LoRA ranks, full at two lrs, the head baseline. */
  private static void fullGrid(List<E10Point> g, String split) {
    int epochs = E10Run.FULL_EPOCHS;
    for (double lr : new double[] {1e-2, 1e-3}) g.add(E10Point.head(split, lr, epochs));
    for (String init : List.of("RANDOM", "SAMPLE_VOCAB", "CLASS_LABELS")) {
      for (int mp : new int[] {5, 20, 50}) {
        for (double lr : new double[] {0.1, 1e-2}) g.add(E10Point.prompt(split, init, mp, lr, epochs));
      }
    }
    for (double lr : new double[] {1e-2, 1e-3}) g.add(E10Point.prefix(split, 20, lr, epochs));
    for (int r : new int[] {1, 4, 8}) g.add(E10Point.lora(split, r, 1e-3, epochs));
    for (double lr : new double[] {1e-3, 1e-4}) g.add(E10Point.full(split, lr, epochs));
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
  public List<Claim> claims(Results results) {
    return E10Claims.claims(results);
  }
}
