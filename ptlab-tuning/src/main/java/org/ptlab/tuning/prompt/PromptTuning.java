package org.ptlab.tuning.prompt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ptlab.nn.ForwardHooks;
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
 * Soft prompt tuning: a trainable P [m_p, d] that the model places before its input embeddings; the output is
 * read at the input positions only (see {@code Transformer.encode}). Adapter key: {@code prompt_embeddings}
 * [num_virtual_tokens, token_dim], as PEFT saves it.
 */
public final class PromptTuning implements TuningMethod {
  /** PEFT's tensor key for a soft prompt. */
  public static final String KEY = "prompt_embeddings";
  /**
   * A top-level key of adapter_config.json written only when the prompt is not at position 0. PEFT has no such
   * setting and would put the prompt first; it lists unknown keys in a warning when it loads the file, so the
   * key's name says what is wrong and its value says what to do.
   */
  public static final String POSITION_NOTE = "ptlab_prompt_position_not_peft";
  static final String POSITION_NOTE_TEXT = "PTLab placed this prompt after the first token (ptlab.prompt_position 1); "
      + "PEFT puts a prompt before everything and has no setting for this, so PEFT's outputs with this file differ "
      + "from PTLab's. Use it with PTLab, or retrain with --prompt-position 0 for PEFT.";

  private final PromptTuningConfig config;
  private final Tensor prompt; // [m_p, d]
  private final int tokenDim;
  private final Transformer model;

  private PromptTuning(PromptTuningConfig config, Tensor prompt, Transformer model) {
    this.config = config;
    this.prompt = prompt.requiresGrad(true).named(KEY);
    this.tokenDim = prompt.dim(1);
    this.model = model;
  }

  /** A prompt for {@code model}, initialised as {@code config} says, drawing from {@code rng}. */
  public static PromptTuning create(PromptTuningConfig config, Transformer model, Rng rng) {
    int mp = config.numVirtualTokens();
    int d = model.config().dModel();
    Tensor p;
    try (GradMode.Scope s = GradMode.noGrad()) {
      p = switch (config.init()) {
        case RANDOM -> Tensor.rand(rng, model.config().dtype(), -config.randomScale(), config.randomScale(), mp, d);
        case TEXT -> model.embedTokens(cycle(config.initTokens()[0], mp));
        case SAMPLE_VOCAB -> model.embedTokens(sampleIds(model, config.vocabCap(), mp, rng));
        case CLASS_LABELS -> classLabels(config, model, rng);
        case FILE -> checked(config.fromFile(), mp, d).to(model.config().dtype()).copy();
      };
    }
    return new PromptTuning(config, p, model);
  }

  /** The prompt of a saved PROMPT_TUNING adapter (values copied in by the caller); the registry's reader. */
  public static SavedAdapter.Loaded read(SavedAdapter a) {
    Transformer model = a.model();
    int mp = a.positiveInt("num_virtual_tokens");
    a.checkDim("token_dim", model.config().dModel());
    a.requireShape(KEY, mp, model.config().dModel()); // before the placeholder is allocated
    JsonNode at = a.config().path("ptlab").get("prompt_position");
    if (at != null && !(SavedAdapter.isInt(at) && (at.asInt() == 0 || at.asInt() == 1))) {
      throw a.error("\"ptlab.prompt_position\" must be 0 or 1, got " + at);
    }
    int position = at == null ? 0 : at.asInt();
    Tensor placeholder = Tensor.zeros(model.config().dtype(), mp, model.config().dModel());
    PromptTuningConfig config = new PromptTuningConfig(mp, PromptInit.FILE, 0.5, null, null, 0, position, placeholder);
    return SavedAdapter.Loaded.of(create(config, model, a.unusedRng()));
  }

  /** {@code ids} repeated (or cut) to length n. */
  private static int[] cycle(int[] ids, int n) {
    int[] out = new int[n];
    for (int i = 0; i < n; i++) out[i] = ids[i % ids.length];
    return out;
  }

  /** n distinct ids below the cap (with repeats only if the cap is smaller than n). */
  private static int[] sampleIds(Transformer model, int cap, int n, Rng rng) {
    int vocab = model.config().vocabSize();
    if (vocab == 0) throw new IllegalArgumentException("--init: this model reads vectors; use RANDOM or FILE");
    int limit = cap == 0 ? vocab : Math.min(cap, vocab);
    int[] perm = rng.permutation(limit);
    return limit >= n ? Arrays.copyOf(perm, n) : cycle(perm, n);
  }

  /** Row i = mean embedding of label word i's pieces; rows past the labels sampled from the vocabulary. */
  private static Tensor classLabels(PromptTuningConfig config, Transformer model, Rng rng) {
    int mp = config.numVirtualTokens();
    int[][] words = config.initTokens();
    int[] sampled = sampleIds(model, config.vocabCap(), mp, rng);
    Tensor p = model.embedTokens(sampled); // [m_p, d]
    for (int i = 0; i < Math.min(words.length, mp); i++) {
      Tensor mean = model.embedTokens(words[i]).mean(0, false); // [d]
      for (int j = 0; j < p.dim(1); j++) p.setFlat(i * p.dim(1) + j, mean.getFlat(j));
    }
    return p;
  }

  private static Tensor checked(Tensor t, int mp, int d) {
    if (t.rank() != 2 || t.dim(0) != mp || t.dim(1) != d) {
      throw new IllegalArgumentException("--init-file: prompt has shape " + Arrays.toString(t.shape())
          + ", expected [" + mp + ", " + d + "]");
    }
    return t;
  }

  /** P [m_p, d] (live). */
  public Tensor prompt() {
    return prompt;
  }

  public PromptTuningConfig config() {
    return config;
  }

  @Override
  public PeftMethod kind() {
    return PeftMethod.PROMPT;
  }

  @Override
  public ForwardHooks hooks() {
    return new ForwardHooks() {
      @Override
      public Tensor prompt() {
        return prompt;
      }

      @Override
      public int promptPosition() {
        return config.position();
      }
    };
  }

  @Override
  public Map<String, Tensor> trainable() {
    Map<String, Tensor> m = new LinkedHashMap<>();
    m.put(KEY, prompt);
    return m;
  }

  @Override
  public ObjectNode adapterConfig() {
    var mc = model.config();
    ObjectNode c = AdapterJson.promptLearning(PeftMethod.PROMPT, config.numVirtualTokens(), tokenDim, mc);
    boolean peftKnows = config.init() == PromptInit.RANDOM || config.init() == PromptInit.TEXT
        || config.init() == PromptInit.SAMPLE_VOCAB;
    c.put("prompt_tuning_init", peftKnows ? config.init().name() : "RANDOM");
    if (config.init() == PromptInit.TEXT) c.put("prompt_tuning_init_text", config.initText());
    else c.putNull("prompt_tuning_init_text");
    c.putNull("tokenizer_name_or_path");
    c.putNull("tokenizer_kwargs");
    if (config.position() != 0) c.put(POSITION_NOTE, POSITION_NOTE_TEXT); // where PEFT looks: it warns of this key
    ObjectNode ptlab = c.putObject("ptlab");
    ptlab.put("prompt_tuning_init", config.init().name());
    ptlab.put("prompt_position", config.position());
    if (config.init() == PromptInit.RANDOM) ptlab.put("init_scale", config.randomScale());
    if (config.vocabCap() > 0) ptlab.put("vocab_cap", config.vocabCap());
    if (config.init() == PromptInit.CLASS_LABELS) ptlab.put("label_words", config.initText());
    ptlab.put("dtype", prompt.dtype() == DType.F64 ? "float64" : "float32");
    return c;
  }
}
