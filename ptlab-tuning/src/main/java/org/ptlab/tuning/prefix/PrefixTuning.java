package org.ptlab.tuning.prefix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ptlab.nn.ForwardHooks;
import org.ptlab.nn.ForwardMode;
import org.ptlab.nn.Transformer;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.GradMode;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;
import org.ptlab.tuning.AdapterJson;
import org.ptlab.tuning.PeftMethod;
import org.ptlab.tuning.SavedAdapter;
import org.ptlab.tuning.TuningMethod;

/**
 * Prefix tuning: at layer l the keys and values become [K_l^p; K] and [V_l^p; V]; the queries and the output keep
 * the input's length. All layers' prefixes live in one matrix [m_p, L·2·w] (w = h·s) in PEFT's layout: columns
 * [2l·w, (2l+1)·w) are layer l's keys, the next w its values. Adapter key {@code prompt_embeddings} holds that matrix
 * (with a projection: its projected value, as PEFT saves it). As in Hugging Face, where the prefix is passed as
 * {@code past_key_values}, the input's position ids start at m_p (unless the config says otherwise, for PTLab
 * adapters saved before that was recorded).
 */
public final class PrefixTuning implements TuningMethod {
  /** Under "ptlab": whether the input's position ids start after the prefix (PEFT) or at 0 (PTLab before). */
  public static final String POSITIONS_FIELD = "positions_after_prefix";

  private final PrefixTuningConfig config;
  private final Transformer model;
  private final int width; // w = h·s
  private final Map<String, Tensor> trainable = new LinkedHashMap<>();
  private Tensor current; // [m_p, L·2·w] for the pass in progress, else null

  private PrefixTuning(PrefixTuningConfig config, Transformer model) {
    this.config = config;
    this.model = model;
    this.width = model.config().attentionWidth();
  }

  public static PrefixTuning create(PrefixTuningConfig config, Transformer model, Rng rng) {
    PrefixTuning m = new PrefixTuning(config, model);
    DType dt = model.config().dtype();
    int mp = config.numVirtualTokens();
    int cols = model.config().layers() * 2 * m.width;
    double std = config.initStd();
    if (!config.projection()) {
      Tensor p = config.zeroInit() ? Tensor.zeros(dt, mp, cols) : Tensor.randn(rng, dt, std, mp, cols);
      m.trainable.put("prompt_embeddings", p);
    } else {
      int d = model.config().dModel();
      int hidden = config.projectionHidden();
      m.trainable.put("embedding.weight", Tensor.randn(rng, dt, std, mp, d));
      m.trainable.put("transform.0.weight", Tensor.randn(rng, dt, 1 / Math.sqrt(d), hidden, d));
      m.trainable.put("transform.0.bias", Tensor.zeros(dt, hidden));
      m.trainable.put("transform.2.weight", config.zeroInit() ? Tensor.zeros(dt, cols, hidden)
          : Tensor.randn(rng, dt, 1 / Math.sqrt(hidden), cols, hidden));
      m.trainable.put("transform.2.bias", Tensor.zeros(dt, cols));
    }
    m.trainable.forEach((k, t) -> t.requiresGrad(true).named(k));
    return m;
  }

  /**
   * The prefix of a saved PREFIX_TUNING adapter (values copied in by the caller); the registry's reader. The file
   * holds the prefix itself, [m_p, L·2·w], with or without {@code prefix_projection}: PEFT saves the projected
   * prefix and, loading it for inference, uses that tensor as is. Positions: PEFT's (after the prefix) unless a
   * PTLab file says otherwise; a PTLab file from before {@code positions_after_prefix} was recorded started at 0.
   */
  public static SavedAdapter.Loaded read(SavedAdapter a) {
    int mp = a.positiveInt("num_virtual_tokens");
    a.checkDim("token_dim", a.model().config().attentionWidth());
    a.checkDim("num_layers", a.model().config().layers());
    JsonNode projection = a.config().get("prefix_projection");
    if (projection != null && !projection.isNull() && !projection.isBoolean()) {
      throw a.error("\"prefix_projection\" must be true or false, got " + projection);
    }
    var mc = a.model().config();
    a.requireShape("prompt_embeddings", mp, 2L * mc.layers() * mc.attentionWidth()); // before allocating
    PrefixTuningConfig config = new PrefixTuningConfig(mp, false, 0, false, 1.0, positionsAfterPrefix(a));
    return SavedAdapter.Loaded.of(create(config, a.model(), a.unusedRng()));
  }

  /** PEFT's files have no "ptlab" block: PEFT's positions. PTLab's say so, or predate the choice (positions 0). */
  private static boolean positionsAfterPrefix(SavedAdapter a) {
    JsonNode ptlab = a.config().get("ptlab");
    if (ptlab == null || !ptlab.isObject()) return true;
    JsonNode v = ptlab.get(POSITIONS_FIELD);
    if (v == null) return false;
    if (!v.isBoolean()) throw a.error("\"ptlab." + POSITIONS_FIELD + "\" must be true or false, got " + v);
    return v.asBoolean();
  }

  /** The full prefix [m_p, L·2·w]: the trainable matrix, or the projection of the trainable embedding. */
  private Tensor prefixMatrix() {
    if (!config.projection()) return trainable.get("prompt_embeddings");
    Tensor e = trainable.get("embedding.weight"); // [m_p, d]
    Tensor h = e.matmul(trainable.get("transform.0.weight"), false, true).add(trainable.get("transform.0.bias")).tanh();
    return h.matmul(trainable.get("transform.2.weight"), false, true).add(trainable.get("transform.2.bias"));
  }

  @Override
  public void beginPass(ForwardMode pass) {
    current = prefixMatrix();
  }

  @Override
  public void endPass() {
    current = null; // hooks used outside a pass recompute from the current weights
  }

  @Override
  public PeftMethod kind() {
    return PeftMethod.PREFIX;
  }

  @Override
  public ForwardHooks hooks() {
    return new ForwardHooks() {
      @Override
      public Tensor[] prefix(int layer) {
        Tensor all = current != null ? current : prefixMatrix();
        int at = 2 * layer * width;
        return new Tensor[] {all.slice(1, at, at + width), all.slice(1, at + width, at + 2 * width)}; // [m_p, w] each
      }

      @Override
      public int positionOffset() {
        return config.positionsAfterPrefix() ? config.numVirtualTokens() : 0;
      }
    };
  }

  @Override
  public Map<String, Tensor> trainable() {
    return trainable;
  }

  @Override
  public Map<String, Tensor> adapterTensors() {
    if (!config.projection()) return trainable;
    try (GradMode.Scope s = GradMode.noGrad()) {
      return Map.of("prompt_embeddings", prefixMatrix());
    }
  }

  @Override
  public ObjectNode adapterConfig() {
    var mc = model.config();
    ObjectNode c = AdapterJson.promptLearning(PeftMethod.PREFIX, config.numVirtualTokens(), width, mc);
    c.put("encoder_hidden_size", config.projection() ? config.projectionHidden() : mc.dModel());
    // as PEFT writes it: the stored tensor is the projected prefix either way, which PEFT's inference mode uses as is
    c.put("prefix_projection", config.projection());
    if (config.zeroInit()) c.put("init_weights", "zero");
    else c.putNull("init_weights");
    ObjectNode ptlab = c.putObject("ptlab");
    ptlab.put("trained_with_projection", config.projection());
    ptlab.put("zero_init", config.zeroInit());
    ptlab.put(POSITIONS_FIELD, config.positionsAfterPrefix());
    return c;
  }
}
