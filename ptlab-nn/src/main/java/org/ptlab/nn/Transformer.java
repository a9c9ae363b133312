package org.ptlab.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.ptlab.nn.attention.AttentionKernel;
import org.ptlab.tensor.GradMode;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;

/**
 * The one configurable transformer (DESIGN.md): embeddings, {@code layers} blocks, an optional final layer norm
 * (pre-LN), and a head. Tuning methods enter only through {@link ForwardHooks}.
 *
 * <pre>{@code
 * Transformer model = Transformer.create(Presets.paper(8, 16), new Rng(1));
 * Tensor y = model.forward(ModelInput.ofVectors(x), ForwardHooks.NONE, ForwardMode.EVAL); // x [B, m, 8] → [B, m, 8]
 * }</pre>
 *
 * <p>With a soft prompt P [m_p, d] the sequence is [P; X] (or [x_0; P; X_1:]), every mask grows by m_p, and the
 * output is read at the input positions only, so it always has the input's length.
 */
public final class Transformer {
  private final TransformerConfig config;
  private final ParameterSet params;
  private final Embeddings embeddings;
  private final List<TransformerBlock> blocks = new ArrayList<>();
  private final LayerNorm finalNorm; // pre-LN only
  private final OutputHead head;
  private volatile AttentionKernel kernel = AttentionKernel.EXACT;

  private Transformer(TransformerConfig c, Rng rng) {
    this.config = c;
    this.params = new ParameterSet(c.dtype(), rng, c.initStd());
    this.embeddings = new Embeddings(params, c);
    for (int l = 0; l < c.layers(); l++) blocks.add(new TransformerBlock(params, l, c));
    boolean pre = c.norm() == TransformerConfig.NormPlacement.PRE;
    this.finalNorm = pre ? new LayerNorm(params, "encoder.LayerNorm", c.dModel(), c.layerNormEps()) : null;
    this.head = new OutputHead(params, c);
  }

  /** A model with random weights drawn from {@code rng} in parameter order (see {@link ParameterSet#normal}). */
  public static Transformer create(TransformerConfig config, Rng rng) {
    return new Transformer(config, rng);
  }

  /**
   * A model holding {@code weights}: every parameter must be present with its exact shape; extra names are an
   * error too (a file for another model), named in the message.
   */
  public static Transformer withWeights(TransformerConfig config, Map<String, Tensor> weights, String source) {
    return withWeights(config, weights, source, null);
  }

  /**
   * As {@link #withWeights(TransformerConfig, Map, String)}, except that when {@code headInit} is given, a head the
   * weights lack (a new classifier on a pretrained encoder) starts from random values drawn from it.
   */
  public static Transformer withWeights(TransformerConfig config, Map<String, Tensor> weights, String source,
      Rng headInit) {
    Transformer m = new Transformer(config, headInit);
    for (Map.Entry<String, Tensor> e : m.params.all().entrySet()) {
      Tensor w = weights.get(e.getKey());
      boolean fits = w != null && Arrays.equals(w.shape(), e.getValue().shape());
      if (!fits && headInit != null && isHead(e.getKey())) continue; // a new head for a new task
      if (w == null) throw new IllegalArgumentException(source + ": missing weight '" + e.getKey() + "'");
      if (!Arrays.equals(w.shape(), e.getValue().shape())) {
        throw new IllegalArgumentException(source + ": weight '" + e.getKey() + "' has shape "
            + Arrays.toString(w.shape()) + ", the model needs " + Arrays.toString(e.getValue().shape()));
      }
      e.getValue().copyFrom(w.dtype() == config.dtype() ? w : w.to(config.dtype()));
    }
    for (String name : weights.keySet()) {
      boolean droppedHead = headInit != null && isHead(name);
      if (!m.params.has(name) && !droppedHead) {
        throw new IllegalArgumentException(source + ": unexpected weight '" + name + "'");
      }
    }
    return m;
  }

  /** Whether a parameter belongs to the output head (classifier, regressor, lm_head). */
  public static boolean isHead(String name) {
    return name.startsWith("classifier.") || name.startsWith("regressor.") || name.startsWith("lm_head.");
  }

  /** The head's output for {@code input}: see {@link OutputHead}. */
  public Tensor forward(ModelInput input, ForwardHooks hooks, ForwardMode pass) {
    return head.forward(encode(input, hooks, pass), input.attendMask(), hooks, pass);
  }

  /** Final hidden states at the input positions [B, m, d], before the head. */
  public Tensor encode(ModelInput input, ForwardHooks hooks, ForwardMode pass) {
    Tensor x = input.tokens() != null ? embeddings.lookup(input.tokens()) : input.vectors(); // [B, m, d]
    checkInput(x, input.attendMask());
    Tensor mask = input.attendMask(); // [B, m] or null
    Tensor prompt = hooks.prompt(); // [m_p, d] or null
    int mp = prompt == null ? 0 : prompt.dim(0);
    int at = hooks.promptPosition();
    if (prompt != null) {
      int b = x.dim(0);
      x = insert(x, prompt.expand(b, mp, config.dModel()), at); // [B, m_p + m, d]
      if (mask != null) mask = insert(mask.reshape(b, -1, 1), Tensor.ones(mask.dtype(), b, mp, 1), at).reshape(b, -1);
    }
    Tensor h = embeddings.finish(x, pass, hooks.positionOffset()); // [B, T, d]
    for (TransformerBlock block : blocks) h = block.forward(h, mask, hooks, pass, kernel);
    if (finalNorm != null) h = finalNorm.forward(h);
    if (prompt == null) return h;
    int t = h.dim(1);
    if (at == 0) return h.slice(1, mp, t); // [B, m, d]
    return Tensor.concat(1, h.slice(1, 0, at), h.slice(1, at + mp, t));
  }

  /** An empty cache for {@link #decode}: one per sequence being generated, and per set of hooks. */
  public DecodeCache newDecodeCache() {
    return new DecodeCache(blocks.size());
  }

  /**
   * The head's output for the next tokens of a sequence whose earlier positions are in {@code cache}: [B, t] ids →
   * [B, t, V] for an LM head. Evaluation only, no gradients, no padding. The first call starts the sequence as a
   * full forward pass would: a prefix's keys and values come first in every layer, and the soft prompt is placed
   * once, at its {@link ForwardHooks#promptPosition} (its rows use positions but give no output). Later calls
   * continue at {@link #firstPosition}. Each step gives what {@link #forward} gives at those positions for the
   * whole sequence, to float rounding.
   *
   * @throws IllegalArgumentException for a model that is not causal (its earlier positions would see later ones),
   *     or when the sequence would pass maxPositions
   */
  public Tensor decode(int[][] tokens, DecodeCache cache, ForwardHooks hooks) {
    if (!config.causal()) {
      throw new IllegalArgumentException("decoding with a cache needs a causal model; this one attends both ways");
    }
    try (GradMode.Scope s = GradMode.noGrad()) {
      Tensor x = embeddings.lookup(tokens); // [B, t, d]
      int b = x.dim(0);
      Tensor prompt = cache.started() ? null : hooks.prompt(); // [m_p, d]: injected once, at the start
      if (!cache.started()) cache.start(hooks, b);
      int mp = prompt == null ? 0 : prompt.dim(0);
      int at = Math.min(hooks.promptPosition(), x.dim(1));
      if (prompt != null) x = insert(x, prompt.expand(b, mp, config.dModel()), at);
      Tensor h = embeddings.finishAt(x, firstPosition(cache, hooks));
      for (TransformerBlock block : blocks) h = block.decode(h, cache, hooks, kernel);
      if (finalNorm != null) h = finalNorm.forward(h);
      cache.advance(h.dim(1));
      if (prompt != null) h = at == 0 ? h.slice(1, mp, h.dim(1)) : removeRows(h, at, mp);
      return head.forward(h, null, hooks, ForwardMode.EVAL);
    }
  }

  /**
   * The position of the next token read: the positions the cache has used. The one place decoding numbers
   * positions: a prefix read as past keys and values shifts them by m_p ({@link ForwardHooks#positionOffset}),
   * exactly as {@link #encode} does.
   */
  private static int firstPosition(DecodeCache cache, ForwardHooks hooks) {
    return cache.positions() + hooks.positionOffset();
  }

  private static Tensor removeRows(Tensor h, int at, int n) {
    return Tensor.concat(1, h.slice(1, 0, at), h.slice(1, at + n, h.dim(1)));
  }

  /** {@code rows} placed before position {@code at} of x along axis 1. */
  private static Tensor insert(Tensor x, Tensor rows, int at) {
    if (at == 0) return Tensor.concat(1, rows, x);
    return Tensor.concat(1, x.slice(1, 0, at), rows, x.slice(1, at, x.dim(1)));
  }

  private void checkInput(Tensor x, Tensor mask) {
    if (x.dtype() != config.dtype()) {
      throw new IllegalArgumentException("model input: dtype " + x.dtype() + ", the model is " + config.dtype());
    }
    if (x.dim(2) != config.dModel()) {
      throw new IllegalArgumentException("model input: vectors of width " + x.dim(2) + ", the model has d = "
          + config.dModel());
    }
    if (mask != null && (mask.rank() != 2 || mask.dim(0) != x.dim(0) || mask.dim(1) != x.dim(1))) {
      throw new IllegalArgumentException("model input: mask " + Arrays.toString(mask.shape()) + " does not match "
          + "[" + x.dim(0) + ", " + x.dim(1) + "]");
    }
  }

  /** Pools hidden states as the classification head does: [B, m, d] → [B, d]. */
  public Tensor pool(Tensor hidden, Tensor attendMask) {
    return OutputHead.pool(hidden, attendMask, config.pooling());
  }

  /** Embedding rows of {@code ids} [n] → [n, d], detached (prompt inits copy them). */
  public Tensor embedTokens(int[] ids) {
    if (embeddings.words() == null) throw new IllegalArgumentException("this model reads vectors: it has no token embeddings");
    try (GradMode.Scope s = GradMode.noGrad()) {
      return embeddings.words().gather(ids).copy();
    }
  }

  public TransformerConfig config() {
    return config;
  }

  public ParameterSet parameters() {
    return params;
  }

  /** Which attention kernel the blocks call (exact by default). */
  public AttentionKernel attentionKernel() {
    return kernel;
  }

  public void setAttentionKernel(AttentionKernel k) {
    this.kernel = k;
  }

  /** Freezes or unfreezes every parameter. */
  public void requiresGrad(boolean on) {
    for (Tensor t : params.all().values()) t.requiresGrad(on);
  }
}
