package org.ptlab.io.model;

import static org.ptlab.io.model.HfConfigFields.bool;
import static org.ptlab.io.model.HfConfigFields.dtype;
import static org.ptlab.io.model.HfConfigFields.integer;
import static org.ptlab.io.model.HfConfigFields.number;
import static org.ptlab.io.model.HfConfigFields.tree;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ptlab.io.Json;
import org.ptlab.io.OneLine;
import org.ptlab.nn.TransformerConfig;
import org.ptlab.nn.TransformerConfig.Activation;
import org.ptlab.nn.TransformerConfig.Head;
import org.ptlab.nn.TransformerConfig.NormPlacement;
import org.ptlab.nn.TransformerConfig.Pooling;
import org.ptlab.nn.TransformerConfig.Positional;
import org.ptlab.tensor.DType;

/**
 * Hugging Face GPT-2 folders ({@code model_type: "gpt2"}, GPT2Model or GPT2LMHeadModel): their {@code config.json}
 * fields to PTLab's and back. A GPT-2 is PTLab's pre-LN causal transformer with learned positions, a final layer
 * norm and an LM head; the tensors change names and layouts ({@link HfGpt2Weights}).
 *
 * <p><b>The LM head.</b> GPT-2's head has no bias and is tied to the word embeddings ({@code lm_head.weight} is
 * {@code wte}); PTLab's LM head is a Linear with a bias and its own weight. PTLab loads a GPT-2 folder with
 * {@code lm_head.weight} = a copy of {@code wte} and {@code lm_head.bias} = 0, which computes exactly GPT-2's logits,
 * and keeps no flag for the tie: the config stays the one PTLab already has. Writing reverses it and checks instead
 * of assuming: a head whose weight still equals {@code wte} bit for bit is written as tied (no {@code lm_head}
 * tensor), another as {@code tie_word_embeddings: false} with its own {@code lm_head.weight}, and a head whose bias
 * is no longer all zero is refused, since GPT2LMHeadModel has nowhere to put it. (Training a loaded GPT-2 updates
 * the copy and {@code wte} separately, as an untied model would; the tie is not enforced during training.)
 *
 * <p>Read from config.json: {@code vocab_size, n_positions} (or the older {@code n_ctx}), {@code n_embd, n_layer,
 * n_head, n_inner} (null = 4·n_embd), {@code activation_function} (gelu_new / gelu_pytorch_tanh → GELU_TANH, gelu,
 * relu), {@code layer_norm_epsilon, initializer_range, scale_attn_weights} (false → score scale 1),
 * {@code tie_word_embeddings}, {@code torch_dtype}. Dropout fields are training settings and load as 0, as for BERT
 * folders. Refused by name: {@code scale_attn_by_inverse_layer_idx}, {@code reorder_and_upcast_attn} and
 * {@code add_cross_attention} when true, any other activation, any field not listed here or in {@code IGNORED}.
 */
public final class HfGpt2 {
  /** The {@code model_type} this class reads and writes. */
  public static final String MODEL_TYPE = "gpt2";

  /** Metadata, token ids, generation and training-only settings, the double-heads model's summary fields. */
  private static final Set<String> IGNORED = Set.of("architectures", "_name_or_path", "transformers_version",
      "model_type", "resid_pdrop", "embd_pdrop", "attn_pdrop", "summary_type", "summary_use_proj",
      "summary_activation", "summary_proj_to_labels", "summary_first_dropout", "bos_token_id", "eos_token_id",
      "pad_token_id", "use_cache", "task_specific_params", "id2label", "label2id", "torch_dtype", "dtype",
      "gradient_checkpointing", "output_past", "tokenizer_class", "problem_type", "finetuning_task", "n_ctx",
      "return_dict", "prefix");

  private static final Set<String> KNOWN = Set.of("vocab_size", "n_positions", "n_embd", "n_layer", "n_head",
      "n_inner", "activation_function", "layer_norm_epsilon", "initializer_range", "scale_attn_weights",
      "tie_word_embeddings", "scale_attn_by_inverse_layer_idx", "reorder_and_upcast_attn", "add_cross_attention");

  private HfGpt2() {}

  /** Parses an HF GPT-2 config.json; {@code source} starts every error, which names the field it cannot map. */
  public static TransformerConfig readConfig(String json, String source) {
    JsonNode t = tree(json, source);
    String type = t.path("model_type").asText();
    if (!MODEL_TYPE.equals(type)) {
      throw new IllegalArgumentException(source + ": model_type '" + OneLine.of(type) + "' is not " + MODEL_TYPE);
    }
    for (String flag : List.of("scale_attn_by_inverse_layer_idx", "reorder_and_upcast_attn", "add_cross_attention")) {
      if (t.path(flag).asBoolean(false)) {
        throw new IllegalArgumentException(source + ": config field '" + flag + "' is true; PTLab's attention has "
            + "no equivalent (it reads GPT-2 folders where it is false or absent)");
      }
    }
    for (Iterator<String> it = t.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!KNOWN.contains(f) && !IGNORED.contains(f)) {
        throw new IllegalArgumentException(source + ": config field '" + OneLine.of(f)
            + "' has no PTLab equivalent (GPT-2)");
      }
    }
    int d = integer(t, "n_embd", source);
    int heads = integer(t, "n_head", source);
    if (heads < 1 || d % heads != 0) {
      throw new IllegalArgumentException(source + ": n_embd " + d + " is not a multiple of n_head " + heads);
    }
    int s = d / heads;
    JsonNode inner = t.get("n_inner");
    int r = inner == null || inner.isNull() ? 4 * d : integer(t, "n_inner", source);
    int positions = t.has("n_positions") ? integer(t, "n_positions", source) : integer(t, "n_ctx", source);
    boolean scaled = bool(t, "scale_attn_weights", true, source);
    try {
      return TransformerConfig.builder()
          .vocabSize(integer(t, "vocab_size", source)).maxPositions(positions).typeVocabSize(0)
          .dModel(d).layers(integer(t, "n_layer", source)).heads(heads).headSize(s)
          .mlpHidden(r).activation(activation(t, source))
          .positional(Positional.LEARNED).norm(NormPlacement.PRE).embeddingNorm(false).causal(true)
          .attentionBias(true).scoreScale(scaled ? 1 / Math.sqrt(s) : 1.0)
          .layerNormEps(number(t, "layer_norm_epsilon", 1e-5, source))
          .dropout(0.0).head(Head.LM).pooling(Pooling.MEAN).outputs(0)
          .initStd(number(t, "initializer_range", 0.02, source)).dtype(dtype(t, source))
          .build();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(source + ": " + OneLine.of(e.getMessage()), e);
    }
  }

  /** Whether the config.json text ties {@code lm_head} to {@code wte} ({@code tie_word_embeddings}, default true). */
  public static boolean tied(String json, String source) {
    return bool(tree(json, source), "tie_word_embeddings", true, source);
  }

  /**
   * Whether {@code c} is shaped as a decoder (pre-LN and causal): {@code export --format hf} then writes it as
   * GPT-2 rather than BERT.
   */
  public static boolean isDecoder(TransformerConfig c) {
    return c.norm() == NormPlacement.PRE && c.causal();
  }

  /**
   * Whether {@code export --format hf} writes a model of config {@code c} as GPT2LMHeadModel: a decoder
   * ({@link #isDecoder}) that GPT-2 can express ({@link #unsupported} is null). The one rule for "GPT-2-named":
   * LoRA adapters on such a model are written with GPT-2's module names ({@code transformer.h.L.attn.c_attn}, …),
   * so PEFT applies them to the exported model. (The weights' own check, a zero LM-head bias, is not part of it.)
   */
  public static boolean isGpt2(TransformerConfig c) {
    return isDecoder(c) && unsupported(c) == null;
  }

  /**
   * The HF config.json of {@code c} (GPT2LMHeadModel), with the LM head tied to the word embeddings or not, or an
   * IllegalArgumentException naming the first thing GPT-2 cannot express.
   */
  public static String writeConfig(TransformerConfig c, boolean tied) {
    String why = unsupported(c);
    if (why != null) throw new IllegalArgumentException("--format hf: " + why + "; GPT2LMHeadModel has no equivalent");
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("architectures", List.of("GPT2LMHeadModel"));
    m.put("model_type", MODEL_TYPE);
    m.put("vocab_size", c.vocabSize());
    m.put("n_positions", c.maxPositions());
    m.put("n_embd", c.dModel());
    m.put("n_layer", c.layers());
    m.put("n_head", c.heads());
    m.put("n_inner", c.mlpHidden() == 4 * c.dModel() ? null : c.mlpHidden());
    m.put("activation_function", switch (c.activation()) {
      case GELU_TANH -> "gelu_new";
      case GELU -> "gelu";
      case RELU -> "relu";
    });
    m.put("resid_pdrop", c.dropout());
    m.put("embd_pdrop", c.dropout());
    m.put("attn_pdrop", 0.0);
    m.put("layer_norm_epsilon", c.layerNormEps());
    m.put("initializer_range", c.initStd());
    m.put("scale_attn_weights", c.scoreScale() != 1.0);
    m.put("scale_attn_by_inverse_layer_idx", false);
    m.put("reorder_and_upcast_attn", false);
    m.put("tie_word_embeddings", tied);
    m.put("torch_dtype", c.dtype() == DType.F64 ? "float64" : "float32");
    return Json.pretty(m);
  }

  /** Why {@code c} has no GPT2LMHeadModel equivalent, or null when it has one (the weights are checked apart). */
  public static String unsupported(TransformerConfig c) {
    if (c.vocabSize() == 0) return "the model reads vectors, not token ids (vocabSize 0, e.g. the paper preset)";
    if (c.attentionWidth() != c.dModel()) return "heads·headSize = " + c.attentionWidth() + " differs from dModel " + c.dModel();
    if (c.norm() != NormPlacement.PRE) return "norm " + c.norm() + " (GPT-2 is pre-LN)";
    if (!c.causal()) return "bidirectional attention (GPT-2 is causal)";
    if (c.embeddingNorm()) return "a layer norm after the embeddings";
    if (c.positional() != Positional.LEARNED) return "positional " + c.positional() + " (GPT-2 learns positions)";
    if (c.typeVocabSize() != 0) return "token-type embeddings (typeVocabSize " + c.typeVocabSize() + ")";
    if (!c.attentionBias()) return "attention without biases";
    if (c.scoreScale() != 1 / Math.sqrt(c.headSize()) && c.scoreScale() != 1.0) {
      return "scoreScale " + c.scoreScale() + " is neither 1/√headSize nor 1";
    }
    if (!c.blocks().isEmpty()) return "per-layer block layouts (blocks)";
    if (c.head() != Head.LM) return "head " + c.head() + " (GPT2LMHeadModel has an LM head)";
    return null;
  }

  private static Activation activation(JsonNode t, String source) {
    String act = t.path("activation_function").asText("gelu_new");
    return switch (act) {
      case "gelu_new", "gelu_pytorch_tanh" -> Activation.GELU_TANH;
      case "gelu" -> Activation.GELU;
      case "relu" -> Activation.RELU;
      default -> throw new IllegalArgumentException(source + ": config field 'activation_function' is '"
          + OneLine.of(act) + "'; PTLab has gelu_new (= gelu_pytorch_tanh), gelu (exact) and relu");
    };
  }
}
