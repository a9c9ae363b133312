package org.ptlab.lab.wang2023;

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
 * E5 (Wang et al. 2023 §6 invertibility theorem and §7.3; spec wang2023.md §4, §0.1) [D]: the prompt's norm while it
 * memorizes. (a) {@link E5Contractive}: a non-injective dataset on a contractive model; by the theorem a prompt can
 * only go below the certified loss floor outside the certified radius D0. (b) {@link E5MiniLm}: the real MiniLM
 * memorizing real sentences with random labels, the prompt's spectral norm per step.
 *
 * <p>Run parameters: {@link E5Point}.
 */
public final class E5PromptNormExperiment implements Experiment {
  @Override
  public String id() {
    return "E5";
  }

  @Override
  public String title() {
    return "Prompt norm during memorization: a contractive toy model and the real MiniLM";
  }

  @Override
  public String paper() {
    return "Wang et al. 2023 §6 (invertibility theorem) and §7.3; spec wang2023.md §4, §0.1 [D]";
  }

  @Override
  public String explanation() {
    return "(a) The non-injective dataset of E3 on its contractive model, with the prompt free to grow: inside the "
        + "certified radius D0 no prompt can go below the loss floor (κ‖X1 − X2‖)²/2, so fitting must take the "
        + "prompt outside; we track its largest row norm against D0. What this shows: the contrapositive of the "
        + "theorem at every step, and how far the norm travels; not shown: that leaving the ball is necessary for "
        + "losses above the floor (κ is tiny, so the floor is nearly 0). (b) MiniLM prompt-tuned on real sentences with "
        + "random labels: training loss and the prompt's spectral norm per step (an observation; the paper's §7.3 "
        + "used Llama 7B). The paper reports no numbers for these: these are ours.";
  }

  @Override
  public List<Map<String, Object>> grid(GridSize size) {
    return GridPoint.configs(switch (size) {
      case SMOKE -> List.of(E5Point.contractive(3, 0.05, 20), E5Point.minilm(2, 0.1, 8, 4, 1));
      case QUICK -> List.of(E5Point.contractive(3, 0.05, 1500), E5Point.contractive(3, 0.1, 1500),
          E5Point.minilm(8, 0.1, 100, 25, 4));
      case FULL -> List.of(E5Point.contractive(3, 0.05, 5000), E5Point.contractive(3, 0.1, 5000),
          E5Point.contractive(8, 0.1, 5000), E5Point.minilm(20, 0.1, 100, 32, 150));
    });
  }

  @Override
  public int repeats(GridSize size) {
    return size == GridSize.FULL ? 3 : 1;
  }

  @Override
  public List<String> tableMetrics() {
    return List.of("final_row_norm", "certified_radius", "best_sse", "floor_sse", "steps_inside_ball_below_floor",
        "final_train_loss", "final_train_accuracy", "initial_spectral_norm", "final_spectral_norm");
  }

  @Override
  public RunOutput run(RunContext ctx) throws Exception {
    E5Point p = E5Point.of(ctx);
    return p.part().equals("contractive") ? E5Contractive.run(ctx, p) : E5MiniLm.run(ctx, p);
  }

  @Override
  public List<FigureSpec> figures(Results results) {
    return E5Figures.figures(results);
  }

  @Override
  public List<Claim> claims(Results results) {
    return E5Claims.claims(results);
  }
}
