package org.ptlab.lab.wang2023;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ptlab.io.data.Dataset;
import org.ptlab.io.data.Example;
import org.ptlab.io.data.Target;
import org.ptlab.io.datasets.Sentence;
import org.ptlab.io.datasets.SentimentData;
import org.ptlab.io.model.MiniLm;
import org.ptlab.io.model.ModelSource;
import org.ptlab.io.tokenizer.Tokenizer;
import org.ptlab.lab.RunContext;
import org.ptlab.lab.RunOutput;
import org.ptlab.nn.Transformer;
import org.ptlab.nn.TransformerConfig.Head;
import org.ptlab.nn.TransformerConfig.Pooling;
import org.ptlab.nn.TransformerConfig;
import org.ptlab.tensor.random.Rng;
import org.ptlab.theory.SpectralNorms;
import org.ptlab.tuning.MethodConfigs;
import org.ptlab.tuning.PeftMethod;
import org.ptlab.tuning.TunedModel;
import org.ptlab.tuning.prompt.PromptInit;
import org.ptlab.tuning.prompt.PromptTuning;
import org.ptlab.tuning.prompt.PromptTuningConfig;
import org.ptlab.tuning.train.Evaluator;
import org.ptlab.tuning.train.Metrics;
import org.ptlab.tuning.train.Task;
import org.ptlab.tuning.train.TrainResult;
import org.ptlab.tuning.train.Trainer;
import org.ptlab.tuning.train.TrainerConfig;

/**
 * E5b: the paper's §7.3 setting at PTLab's scale: all-MiniLM-L6-v2 (the real pretrained weights) prompt-tuned to
 * memorize real sentences (the UCI sentiment set, as E10) with RANDOM labels, so only memorization can lower the
 * loss. We track the training loss (not held-out accuracy: there is nothing to generalize) and the prompt's spectral
 * norm ‖P‖₂ after every step. Prompt and the 2-class head are trained (PEFT's modules_to_save), with Adam. The
 * paper's run used Llama 7B with a causal-LM loss; ours is the one real model reachable offline.
 */
final class E5MiniLm {
  private static final long HEAD_STREAM = 0x68656164L;

  private E5MiniLm() {}

  static RunOutput run(RunContext ctx, E5Point p) throws Exception {
    ModelSource minilm = ModelSource.of(MiniLm.NAME);
    Tokenizer tokenizer = minilm.tokenizer();
    Dataset data = randomLabels(tokenizer, p.sentences(), ctx.taskRng());
    TransformerConfig config = minilm.config().withHead(Head.CLASSIFY, Pooling.MEAN, 2);
    Transformer base = minilm.load(config, Rng.derive(ctx.seed(), HEAD_STREAM));
    MethodConfigs configs = new MethodConfigs() {
      @Override
      public PromptTuningConfig prompt() {
        return new PromptTuningConfig(p.promptLength(), PromptInit.SAMPLE_VOCAB, 0.5, null, null, 0, 0, null);
      }
    };
    TunedModel tuned = TunedModel.of(base, PeftMethod.build(List.of(PeftMethod.PROMPT), configs, base, ctx.rng(), true)
        .toArray(org.ptlab.tuning.TuningMethod[]::new));
    PromptTuning prompt = (PromptTuning) tuned.method(PeftMethod.PROMPT);
    Task task = Task.of(config.head(), data);
    TrainerConfig tc = TrainerConfig.defaults().withEpochs(p.epochs()).withBatch(p.batch()).withLr(p.lr())
        .withSeed(ctx.seed());
    List<Double> norms = new ArrayList<>();
    norms.add(spectral(prompt));
    Metrics before = Evaluator.evaluate(tuned, data, task, 50, tokenizer.padId());
    TrainResult r = new Trainer(tuned, task, tc, tokenizer.padId()).onStep((step, loss) -> norms.add(spectral(prompt)))
        .fit(data, null);
    Metrics after = Evaluator.evaluate(tuned, data, task, 50, tokenizer.padId());
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("initial_train_loss", before.loss());
    m.put("final_train_loss", after.loss());
    m.put("initial_train_accuracy", before.accuracy());
    m.put("final_train_accuracy", after.accuracy());
    m.put("initial_spectral_norm", norms.get(0));
    m.put("final_spectral_norm", norms.get(norms.size() - 1));
    m.put("norm_growth", norms.get(norms.size() - 1) / norms.get(0));
    m.put("steps", r.steps());
    double[] loss = new double[r.losses().length + 1];
    System.arraycopy(r.losses(), 0, loss, 0, r.losses().length);
    loss[loss.length - 1] = after.loss(); // batch losses, then the full training-set loss after the last step
    Map<String, Object> a = ArrayTuning.sampled("curve_loss", loss, 200);
    a.putAll(E5Contractive.sampledAt(a, "curve_spectral_norm", norms));
    return new RunOutput(m, a);
  }

  /** {@code n} sentences drawn with the task seed, each with a label drawn uniformly from {0, 1}. */
  static Dataset randomLabels(Tokenizer tokenizer, int n, Rng rng) {
    List<Sentence> all = SentimentData.load(SentimentData.defaultCache()).all();
    int[] order = rng.permutation(all.size());
    List<Example> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Sentence s = all.get(order[i]);
      out.add(new Example(tokenizer.encode(s.text()), null, new Target.Label(rng.nextInt(2)), s.text(), 0));
    }
    return Dataset.of("E5b " + n + " sentences, random labels", out);
  }

  private static double spectral(PromptTuning prompt) {
    return SpectralNorms.of(ArrayTuning.rows(prompt.prompt()));
  }
}
