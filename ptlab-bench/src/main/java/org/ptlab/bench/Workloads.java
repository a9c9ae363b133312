package org.ptlab.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.ptlab.nn.Presets;
import org.ptlab.nn.Transformer;
import org.ptlab.nn.TransformerConfig;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;
import org.ptlab.tuning.TuningMethod;
import org.ptlab.tuning.lora.Lora;
import org.ptlab.tuning.lora.LoraConfig;
import org.ptlab.tuning.prompt.PromptTuning;
import org.ptlab.tuning.prompt.PromptTuningConfig;

/**
 * The prompt-tuning workloads of DESIGN.md ("Benchmark workloads") and their data, built deterministically from a
 * seed with PTLab's {@link Rng}. PTLab ({@link PtlabWorkloads}) and libtorch ({@link TorchWorkloads}) consume the
 * same numbers: the torch side copies these tensors.
 *
 * <p>Conventions: tokens are rows ({@code [B, T, d]}); a Linear weight is {@code [out, in]} and y = x·Wᵀ + b; the
 * soft prompt P {@code [m_p, d]} is prepended to every sequence (Z = [P; X], T = m_p + m) and is the only trainable
 * tensor; one torch-style Adam step (lr 1e-3) per iteration. Init: weight matrices N(0, 1/in), biases N(0, 0.02²),
 * layer-norm γ = 1 and β = 0, X ~ N(0, 1), P ~ N(0, 0.5²), regression targets N(0, 1), labels uniform.
 *
 * <p>The MiniLM workloads (minilm, lora-minilm) are not hand-written on PTLab's side: they run ptlab-nn's
 * {@link Transformer} (preset {@link Presets#bert()}, the all-MiniLM-L6-v2 shape, with a 2-class mean-pool head)
 * under a ptlab-tuning method in a {@code TunedModel}, the code path of {@code ptlab tune}. Their weights are that
 * model's seeded init (bert preset: N(0, 0.02²) matrices and tables, zero biases, layer norms 1/0), the prompt is
 * PromptTuning's RANDOM init (U(−0.5, 0.5)) and LoRA's A is Lora's init (U(±1/√in)) with B = 0. The torch side
 * copies every one of those tensors (see {@link Data}).
 *
 * <p>Extension point: to add a workload, add a {@link Kind}, its {@link Spec} in {@link #ALL}, its weights in
 * {@link #build}, and one forward in each of {@link PtlabWorkloads} and {@link TorchWorkloads}. A DESIGN.md workload
 * that is not written yet goes in {@link #PLANNED} and is reported as not run.
 */
public final class Workloads {
  /** Learning rate of the Adam step, for every workload. */
  public static final double LR = 1e-3;

  /** The model families. */
  public enum Kind {
    /** The seeds' layer τ(Z) = MLP(Att(Z) + Z), one head, no scale, no biases in attention; MSE at input rows. */
    SEED,
    /** Pre-LN transformer blocks (biases, exact-erf GELU, eps 1e-5), final LN, mean-pool, Linear head, CE. */
    PRE_LN,
    /** One single-head attention layer with residual, then a ReLU MLP without residual, mean-pool, head, CE. */
    ATT_MLP,
    /** ptlab-nn's bert preset (post-LN MiniLM) with a soft prompt (ptlab-tuning's PromptTuning); mean-pool, CE. */
    MINILM_PROMPT,
    /** The same model without a prompt, with ptlab-tuning's LoRA on the query and value projections. */
    MINILM_LORA;

    /** Whether PTLab's side is ptlab-nn's Transformer under a tuning method (else the steps are hand-written). */
    public boolean model() {
      return this == MINILM_PROMPT || this == MINILM_LORA;
    }
  }

  /**
   * One workload.
   *
   * @param name name on the command line and in the JSON
   * @param kind model family
   * @param dtype element type of every tensor
   * @param layers number of blocks (PRE_LN; 1 otherwise)
   * @param d model width
   * @param heads attention heads (head size d/heads)
   * @param hidden MLP hidden width
   * @param tokens input tokens m per sequence
   * @param prompt prompt length m_p
   * @param batch sequences per step B
   * @param classes classes of the head (0: regression with MSE)
   */
  public record Spec(String name, Kind kind, DType dtype, int layers, int d, int heads, int hidden, int tokens,
      int prompt, int batch, int classes) {
    /** Sequence length T = m_p + m. */
    public int seq() {
      return prompt + tokens;
    }

    /**
     * The largest relative difference between PTLab's and libtorch's losses over the check's 20 steps that still
     * counts as the same math. Float32 rounding alone gives ~1e-7 on every float32 workload (1–3 ulp of the loss,
     * whatever the thread counts; tiny64 1e-15). 1e-4 for the small workloads. The MiniLM models are 1e-6: their
     * random init (N(0, 0.02²) weights) makes the loss nearly insensitive to the details, and a looser bound
     * passes real mismatches. Measured on minilm with the torch side changed on purpose: tanh-approximated GELU
     * 4.8e-6, layer-norm ε 1e-5 instead of 1e-12 2.4e-5, attention scale off by 1 % 7.3e-6 (all under 1e-4);
     * lora-minilm: LoRA scaling off by 1 % 6e-3, attention scale 1.2e-3, ε 2.1e-4, tanh GELU 1.05e-6. Rounding
     * alone gave at most 1.65e-7 in 12 runs, over the thread settings (PTLab 1/2 × libtorch 1/2), so 1e-6 leaves a
     * 6× margin.
     */
    public double lossTolerance() {
      return kind.model() ? 1e-6 : 1e-4;
    }

    /** The attention scale applied to Q·Kᵀ. */
    public double scale() {
      return kind == Kind.SEED ? 1.0 : 1.0 / Math.sqrt((double) d / heads);
    }
  }

  /** The implemented workloads, in report order. */
  public static final List<Spec> ALL = List.of(
      new Spec("tiny", Kind.SEED, DType.F32, 1, 8, 1, 16, 4, 4, 16, 0),
      new Spec("tiny64", Kind.SEED, DType.F64, 1, 8, 1, 16, 4, 4, 16, 0),
      new Spec("small", Kind.PRE_LN, DType.F32, 2, 64, 4, 256, 32, 8, 16, 2),
      new Spec("mid", Kind.ATT_MLP, DType.F32, 1, 256, 1, 512, 64, 16, 8, 10),
      new Spec("minilm", Kind.MINILM_PROMPT, DType.F32, 6, 384, 12, 1536, 32, 20, 8, 2),
      new Spec("lora-minilm", Kind.MINILM_LORA, DType.F32, 6, 384, 12, 1536, 32, 0, 8, 2));

  /** DESIGN.md workloads not written yet; reported as not run, never faked. (None left.) */
  public static final List<String> PLANNED = List.of();

  /** lora-minilm's LoRA: r = 8, α = 16 (scaling 2), no dropout, on the query and value projections of every block. */
  public static final LoraConfig LORA = new LoraConfig(8, 16, 0, List.of("q", "v"), false);

  /**
   * The numbers of one workload: named tensors plus the class labels (length B, empty for regression), the names of
   * the trainable tensors in optimizer order, and for the MiniLM kinds the PTLab model itself.
   *
   * <p>Hand-written kinds: "P" [m_p, d] (trainable), "X" [B, m, d], "Y" [B, m, d] (regression targets); block l's
   * weights "l{l}.wq|wk|wv|wo" [d, d] with biases "l{l}.bq|bk|bv|bo" [d] (PRE_LN only), MLP "l{l}.w1" [hidden, d],
   * "l{l}.b1", "l{l}.w2" [d, hidden], "l{l}.b2"; layer norms "l{l}.ln1.g|b", "l{l}.ln2.g|b", "lnf.g|b" [d]; head
   * "head.w" [C, d], "head.b" [C].
   *
   * <p>MiniLM kinds: every parameter of {@link Bert#model()} under its Hugging Face name
   * ({@code embeddings.word_embeddings.weight}, {@code encoder.layer.0.attention.self.query.weight}, …,
   * {@code classifier.weight}), and the tuning method's initial trainable tensors under their PEFT keys
   * ({@code prompt_embeddings} [m_p, d]; {@code base_model.model.<module>.lora_A.weight} [r, in] and
   * {@code ….lora_B.weight} [out, r]). The weights are the model's own tensors (frozen); the method's are copies of
   * its initial values, so training never changes them.
   *
   * @param bert PTLab's model side of a MiniLM kind; null for the hand-written kinds
   */
  public record Data(Spec spec, Map<String, Tensor> tensors, int[] labels, List<String> trainable, Bert bert) {
    public Tensor get(String key) {
      Tensor t = tensors.get(key);
      if (t == null) throw new IllegalArgumentException(spec.name() + ": no tensor named " + key);
      return t;
    }
  }

  /**
   * PTLab's side of a MiniLM workload.
   *
   * @param model the frozen transformer (bert preset + a classification head); shared by every runner
   * @param tokens the batch's token ids [B][m], in [0, vocabulary)
   * @param method a fresh tuning method with the workload's initial values on each call (same seed every time)
   */
  public record Bert(Transformer model, int[][] tokens, Supplier<TuningMethod> method) {}

  /** A training loop that runs one step at a time. */
  public interface Step extends AutoCloseable {
    /** One step: forward, loss, backward (trainable tensors only), Adam update, zero the gradients. Returns the loss. */
    double step();

    /**
     * dLoss/d(trainable tensors) at their current values, each row-major, concatenated in {@link Data#trainable()}
     * order, without updating anything (the gradients are zeroed).
     */
    double[] gradient();

    @Override
    default void close() {}
  }

  private Workloads() {}

  /** Builds the data of {@code spec} from {@code seed}; equal seeds give identical numbers. */
  public static Data build(Spec spec, long seed) {
    Rng rng = Rng.derive(seed, spec.name().hashCode());
    if (spec.kind().model()) return buildBert(spec, rng);
    Builder b = new Builder(spec.dtype(), rng);
    int d = spec.d();
    b.normal("P", 0.5, spec.prompt(), d);
    b.normal("X", 1.0, spec.batch(), spec.tokens(), d);
    switch (spec.kind()) {
      case SEED, ATT_MLP -> { // attention without biases, then the MLP
        for (String w : new String[] {"wq", "wk", "wv", "wo"}) b.weight("l0." + w, d, d);
        b.linear("l0.", "1", spec.hidden(), d);
        b.linear("l0.", "2", d, spec.hidden());
      }
      case PRE_LN -> {
        for (int l = 0; l < spec.layers(); l++) {
          String p = "l" + l + ".";
          b.layerNorm(p + "ln1", d);
          for (String w : new String[] {"q", "k", "v", "o"}) b.linear(p, w, d, d);
          b.layerNorm(p + "ln2", d);
          b.linear(p, "1", spec.hidden(), d);
          b.linear(p, "2", d, spec.hidden());
        }
        b.layerNorm("lnf", d);
      }
    }
    int[] labels = new int[0];
    if (spec.classes() == 0) {
      b.normal("Y", 1.0, spec.batch(), spec.tokens(), d);
    } else {
      b.linear("head.", "", spec.classes(), d);
      labels = new int[spec.batch()];
      for (int i = 0; i < labels.length; i++) labels[i] = rng.nextInt(spec.classes());
    }
    return new Data(spec, b.tensors, labels, List.of("P"), null);
  }

  /**
   * A MiniLM workload: the bert-preset model with a {@code spec.classes()}-way mean-pool head created from
   * {@code rng}, then B×m token ids, the labels, and the method's seed, all from the same generator.
   */
  private static Data buildBert(Spec spec, Rng rng) {
    return buildBert(spec, rng, Transformer::create);
  }

  /**
   * A MiniLM workload on the real pretrained weights (all-MiniLM-L6-v2 from its ONNX file, {@code ptlab bench
   * model}); the head, tokens, labels and method seed are drawn exactly as in {@link #build}.
   */
  public static Data buildReal(Spec spec, long seed) {
    if (!spec.kind().model()) throw new IllegalArgumentException(spec.name() + " is not a MiniLM workload");
    return buildBert(spec, Rng.derive(seed, spec.name().hashCode()), org.ptlab.io.model.MiniLm::load);
  }

  private static Data buildBert(Spec spec, Rng rng,
      java.util.function.BiFunction<TransformerConfig, Rng, Transformer> modelFactory) {
    TransformerConfig config = Presets.bert().withHead(TransformerConfig.Head.CLASSIFY, TransformerConfig.Pooling.MEAN,
        spec.classes());
    if (config.dModel() != spec.d() || config.layers() != spec.layers() || config.heads() != spec.heads()
        || config.mlpHidden() != spec.hidden() || config.dtype() != spec.dtype()
        || Math.abs(config.scoreScale() - spec.scale()) > 1e-15) {
      throw new IllegalStateException(spec.name() + ": spec does not match the bert preset " + config);
    }
    Transformer model = modelFactory.apply(config, rng);
    int[][] tokens = new int[spec.batch()][spec.tokens()];
    for (int[] row : tokens) for (int j = 0; j < row.length; j++) row[j] = rng.nextInt(config.vocabSize());
    int[] labels = new int[spec.batch()];
    for (int i = 0; i < labels.length; i++) labels[i] = rng.nextInt(spec.classes());
    long methodSeed = rng.nextLong();
    Supplier<TuningMethod> method = spec.kind() == Kind.MINILM_PROMPT
        ? () -> PromptTuning.create(PromptTuningConfig.random(spec.prompt()), model, new Rng(methodSeed))
        : () -> Lora.create(LORA, model, new Rng(methodSeed));

    Map<String, Tensor> tensors = new LinkedHashMap<>(model.parameters().all());
    List<String> trainable = new ArrayList<>();
    for (Map.Entry<String, Tensor> e : method.get().trainable().entrySet()) {
      tensors.put(e.getKey(), e.getValue().copy().named(e.getKey()));
      trainable.add(e.getKey());
    }
    return new Data(spec, tensors, labels, List.copyOf(trainable), new Bert(model, tokens, method));
  }

  /** The spec named {@code name}, or null. */
  public static Spec byName(String name) {
    for (Spec s : ALL) if (s.name().equals(name)) return s;
    return null;
  }

  /** Draws the tensors in a fixed order from one generator. */
  private static final class Builder {
    final DType dtype;
    final Rng rng;
    final Map<String, Tensor> tensors = new LinkedHashMap<>();

    Builder(DType dtype, Rng rng) {
      this.dtype = dtype;
      this.rng = rng;
    }

    void normal(String key, double std, int... shape) {
      tensors.put(key, Tensor.randn(rng, dtype, std, shape).named(key));
    }

    /** A weight matrix [out, in] ~ N(0, 1/in). */
    void weight(String key, int out, int in) {
      normal(key, Math.sqrt(1.0 / in), out, in);
    }

    /** A Linear: weight "{prefix}w{tag}" [out, in] and bias "{prefix}b{tag}" [out] ~ N(0, 0.02²). */
    void linear(String prefix, String tag, int out, int in) {
      weight(prefix + "w" + tag, out, in);
      normal(prefix + "b" + tag, 0.02, out);
    }

    /** Layer norm {@code prefix}: "{prefix}.g" = 1 and "{prefix}.b" = 0, both [d]. */
    void layerNorm(String prefix, int d) {
      tensors.put(prefix + ".g", Tensor.ones(dtype, d).named(prefix + ".g"));
      tensors.put(prefix + ".b", Tensor.zeros(dtype, d).named(prefix + ".b"));
    }
  }
}
