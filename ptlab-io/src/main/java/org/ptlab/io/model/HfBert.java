package org.ptlab.io.model;

import static org.ptlab.io.model.HfConfigFields.dtype;
import static org.ptlab.io.model.HfConfigFields.integer;
import static org.ptlab.io.model.HfConfigFields.number;
import static org.ptlab.io.model.HfConfigFields.tree;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ptlab.io.Json;
import org.ptlab.io.OneLine;
import org.ptlab.io.safetensors.SafetensorsFile;
import org.ptlab.nn.TransformerConfig;
import org.ptlab.nn.TransformerConfig.Activation;
import org.ptlab.nn.TransformerConfig.Head;
import org.ptlab.nn.TransformerConfig.NormPlacement;
import org.ptlab.nn.TransformerConfig.Pooling;
import org.ptlab.nn.TransformerConfig.Positional;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.Tensor;

/**
 * Hugging Face BERT-family folders ({@code model_type: "bert"}: bert, MiniLM, the sentence-transformers layout):
 * their {@code config.json} fields and tensor names to PTLab's and back. PTLab's {@code bert} preset already uses
 * BertModel's tensor names and layouts ([out, in] linear weights), so the tensors only lose or gain nothing but an
 * optional {@code bert.} prefix; BertModel's pooler, a pre-training head ({@code cls.*}) and the
 * {@code position_ids} buffer have no PTLab counterpart and are skipped on load (and not written).
 *
 * <pre>{@code
 * TransformerConfig c = HfBert.readConfig(Files.readString(file), file.toString());
 * String json = HfBert.writeConfig(c);   // throws, naming the reason, when c has no BertModel equivalent
 * }</pre>
 */
public final class HfBert {
  /** The {@code model_type} this class reads and writes. */
  public static final String MODEL_TYPE = "bert";

  /**
   * Fields HF writes that do not change the encoder's arithmetic here: metadata, tokenizer ids, training-only
   * settings (dropout: PTLab loads HF folders with dropout 0, as the {@code bert} preset does), generation flags.
   */
  private static final Set<String> IGNORED = Set.of("architectures", "_name_or_path", "transformers_version",
      "hidden_dropout_prob", "attention_probs_dropout_prob", "classifier_dropout", "pad_token_id", "bos_token_id",
      "eos_token_id", "sep_token_id", "gradient_checkpointing", "use_cache", "id2label", "label2id", "torch_dtype",
      "dtype", "output_past", "tokenizer_class", "model_type", "position_embedding_type", "is_decoder",
      "add_cross_attention", "chunk_size_feed_forward", "problem_type", "finetuning_task");

  /** Tensors that BertModel checkpoints carry and PTLab has no use for: skipped on load. */
  private static final List<String> SKIPPED = List.of("pooler.", "cls.", "embeddings.position_ids");

  private HfBert() {}

  /** The {@code model_type} of a config.json text, or null when it has none (a PTLab config). */
  public static String modelType(String json) {
    try {
      JsonNode t = Json.STRICT.readTree(json).get("model_type");
      return t == null ? null : t.asText();
    } catch (JsonProcessingException e) {
      return null; // not JSON: the PTLab reader reports it
    }
  }

  /** Parses an HF BERT config.json; {@code source} starts every error, which names the field it cannot map. */
  public static TransformerConfig readConfig(String json, String source) {
    JsonNode t = tree(json, source);
    String type = t.path("model_type").asText();
    if (!MODEL_TYPE.equals(type)) {
      throw new IllegalArgumentException(source + ": model_type '" + OneLine.of(type) + "' is not supported (only "
          + MODEL_TYPE + ")");
    }
    requireValue(t, "position_embedding_type", "absolute", source);
    requireValue(t, "is_decoder", "false", source);
    requireValue(t, "add_cross_attention", "false", source);
    checkFields(t, source);
    int d = integer(t, "hidden_size", source);
    int heads = integer(t, "num_attention_heads", source);
    if (heads < 1 || d % heads != 0) {
      throw new IllegalArgumentException(source + ": hidden_size " + d + " is not a multiple of num_attention_heads "
          + heads);
    }
    int s = d / heads;
    try {
      return TransformerConfig.builder()
          .vocabSize(integer(t, "vocab_size", source))
          .maxPositions(integer(t, "max_position_embeddings", source))
          .typeVocabSize(integer(t, "type_vocab_size", source))
          .dModel(d).layers(integer(t, "num_hidden_layers", source)).heads(heads).headSize(s)
          .mlpHidden(integer(t, "intermediate_size", source)).activation(activation(t, source))
          .positional(Positional.LEARNED).norm(NormPlacement.POST).embeddingNorm(true).causal(false)
          .attentionBias(true).scoreScale(1 / Math.sqrt(s)).layerNormEps(number(t, "layer_norm_eps", 1e-12, source))
          .dropout(0.0).head(Head.NONE).pooling(Pooling.MEAN).outputs(0)
          .initStd(number(t, "initializer_range", 0.02, source)).dtype(dtype(t, source))
          .build();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(source + ": " + OneLine.of(e.getMessage()), e);
    }
  }

  /**
   * The HF config.json of {@code c} (BertModel), or an IllegalArgumentException naming the first thing HF's
   * BertModel cannot express.
   */
  public static String writeConfig(TransformerConfig c) {
    String why = unsupported(c);
    if (why != null) throw new IllegalArgumentException("--format hf: " + why + "; BertModel has no equivalent");
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("architectures", List.of("BertModel"));
    m.put("model_type", MODEL_TYPE);
    m.put("vocab_size", c.vocabSize());
    m.put("hidden_size", c.dModel());
    m.put("num_hidden_layers", c.layers());
    m.put("num_attention_heads", c.heads());
    m.put("intermediate_size", c.mlpHidden());
    m.put("hidden_act", c.activation() == Activation.GELU ? "gelu" : "relu");
    m.put("hidden_dropout_prob", c.dropout());
    m.put("attention_probs_dropout_prob", 0.0);
    m.put("max_position_embeddings", c.maxPositions());
    m.put("type_vocab_size", c.typeVocabSize());
    m.put("initializer_range", c.initStd());
    m.put("layer_norm_eps", c.layerNormEps());
    m.put("position_embedding_type", "absolute");
    m.put("torch_dtype", c.dtype() == DType.F64 ? "float64" : "float32");
    return Json.pretty(m);
  }

  /** Why {@code c} has no BertModel equivalent, or null when it has one. */
  public static String unsupported(TransformerConfig c) {
    if (c.vocabSize() == 0) return "the model reads vectors, not token ids (vocabSize 0, e.g. the paper preset)";
    if (c.attentionWidth() != c.dModel()) return "heads·headSize = " + c.attentionWidth() + " differs from dModel " + c.dModel();
    if (c.norm() != NormPlacement.POST) return "norm " + c.norm() + " (BERT is post-LN)";
    if (!c.embeddingNorm()) return "no layer norm after the embeddings";
    if (c.positional() != Positional.LEARNED) return "positional " + c.positional() + " (BERT learns positions)";
    if (c.typeVocabSize() == 0) return "no token-type embeddings (typeVocabSize 0)";
    if (c.causal()) return "causal attention";
    if (!c.attentionBias()) return "attention without biases";
    if (c.scoreScale() != 1 / Math.sqrt(c.headSize())) return "scoreScale " + c.scoreScale() + " is not 1/√headSize";
    if (!c.blocks().isEmpty()) return "per-layer block layouts (blocks)";
    if (c.head() != Head.NONE) return "head " + c.head() + " (BertModel is the encoder only)";
    return null;
  }

  /**
   * The PTLab name of an HF folder's tensor: an optional {@code bert.} prefix dropped; null for the pooler, a
   * pre-training head and the {@code position_ids} buffer (skipped). Other names pass through unchanged; the model
   * then rejects any it does not have, naming it.
   */
  public static String ptlabName(String hfName) {
    String name = hfName.startsWith("bert.") ? hfName.substring(5) : hfName;
    return SKIPPED.stream().anyMatch(name::startsWith) ? null : name;
  }

  /** The tensors of an HF folder's model.safetensors under PTLab's names ({@link #ptlabName}), as {@code dtype}. */
  public static Map<String, Tensor> readWeights(Path file, DType dtype) throws IOException {
    Map<String, Tensor> out = new LinkedHashMap<>();
    Map<String, String> from = new HashMap<>();
    try (SafetensorsFile f = SafetensorsFile.open(file)) {
      for (String hf : f.names()) {
        String name = ptlabName(hf);
        if (name == null) continue;
        String before = from.put(name, hf);
        if (before != null) {
          throw new IllegalArgumentException(file + ": tensors '" + OneLine.of(before) + "' and '" + OneLine.of(hf)
              + "' both map to '" + OneLine.of(name) + "'");
        }
        out.put(name, f.tensor(hf, dtype));
      }
    }
    return out;
  }

  private static void checkFields(JsonNode t, String source) {
    Set<String> known = Set.of("vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads",
        "intermediate_size", "hidden_act", "max_position_embeddings", "type_vocab_size", "layer_norm_eps",
        "initializer_range");
    for (Iterator<String> it = t.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!known.contains(f) && !IGNORED.contains(f)) {
        throw new IllegalArgumentException(source + ": config field '" + OneLine.of(f)
            + "' has no PTLab equivalent (BERT family)");
      }
    }
  }

  private static void requireValue(JsonNode t, String field, String want, String source) {
    JsonNode v = t.get(field);
    if (v != null && !v.isNull() && !want.equals(v.asText())) {
      throw new IllegalArgumentException(source + ": config field '" + field + "' is " + OneLine.of(v.toString())
          + "; PTLab reads only " + want);
    }
  }

  private static Activation activation(JsonNode t, String source) {
    String act = t.path("hidden_act").asText("gelu");
    return switch (act) {
      case "gelu" -> Activation.GELU;
      case "relu" -> Activation.RELU;
      default -> throw new IllegalArgumentException(source + ": config field 'hidden_act' is '" + OneLine.of(act)
          + "'; PTLab has gelu (exact) and relu");
    };
  }
}
