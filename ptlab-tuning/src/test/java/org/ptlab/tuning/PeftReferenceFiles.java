package org.ptlab.tuning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.ptlab.io.safetensors.SafetensorsWriter;
import org.ptlab.nn.Transformer;
import org.ptlab.nn.TransformerConfig;
import org.ptlab.nn.TransformerConfig.Pooling;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;

/**
 * Writes the reference adapters of {@code src/test/resources/peft-reference/} (see the README.md there): one folder
 * per method and task type, written field by field to PEFT's documented layout (not by PTLab's writer), float32
 * tensors under PEFT's keys, and {@code expected_output.json}: the output of {@link PeftReference} (an independent
 * token-by-token computation) on {@link #INPUT}. Run {@code main} with the folder to regenerate them;
 * {@code PeftReferenceTest} checks that the committed files are what this writes.
 */
public final class PeftReferenceFiles {
  /** The input every expected output is computed on (ids below the fixtures' vocabulary of 50). */
  static final int[] INPUT = {1, 7, 12, 33, 5, 2};
  /** Written into every config, as PEFT writes its own version there (PTLab ignores it). */
  static final String PEFT_VERSION = "reference: PEFT's field set at huggingface/peft 5d602fd";

  private PeftReferenceFiles() {}

  /** One reference adapter: its folder name, the base model, the PEFT type and the task type. */
  record Case(String name, String base, Supplier<TransformerConfig> model, String peftType, String taskType, long seed) {
    Transformer baseModel() {
      return Fixtures.model(model.get());
    }
  }

  static final List<Case> CASES = List.of(
      new Case("prompt-seq-cls", "tinyClassifier", PeftReferenceFiles::classifier, "PROMPT_TUNING", "SEQ_CLS", 11),
      new Case("prompt-causal-lm", "tinyGpt", PeftReferenceFiles::gpt, "PROMPT_TUNING", "CAUSAL_LM", 12),
      new Case("prompt-feature-extraction", "tinyBert", Fixtures::tinyBert, "PROMPT_TUNING", "FEATURE_EXTRACTION", 13),
      new Case("prefix-seq-cls", "tinyClassifier", PeftReferenceFiles::classifier, "PREFIX_TUNING", "SEQ_CLS", 21),
      new Case("prefix-projection-seq-cls", "tinyClassifier", PeftReferenceFiles::classifier, "PREFIX_TUNING",
          "SEQ_CLS", 22),
      new Case("prefix-causal-lm", "tinyGpt", PeftReferenceFiles::gpt, "PREFIX_TUNING", "CAUSAL_LM", 23),
      new Case("prefix-feature-extraction", "tinyBert", Fixtures::tinyBert, "PREFIX_TUNING", "FEATURE_EXTRACTION", 24),
      new Case("lora-seq-cls", "tinyClassifier", PeftReferenceFiles::classifier, "LORA", "SEQ_CLS", 31),
      new Case("lora-causal-lm", "tinyGpt", PeftReferenceFiles::gpt, "LORA", "CAUSAL_LM", 32),
      new Case("lora-feature-extraction", "tinyBert", Fixtures::tinyBert, "LORA", "FEATURE_EXTRACTION", 33),
      new Case("lora-gpt2-causal-lm", "tinyGpt", PeftReferenceFiles::gpt, "LORA", "CAUSAL_LM", 34));

  static TransformerConfig classifier() {
    return Fixtures.tinyClassifier(3, Pooling.MEAN);
  }

  static TransformerConfig gpt() {
    return Fixtures.tinyGpt(DType.F64);
  }

  public static void main(String[] args) throws IOException {
    write(Path.of(args.length > 0 ? args[0] : "ptlab-tuning/src/test/resources/peft-reference"));
  }

  /** Writes every case's folder under {@code root}. */
  static void write(Path root) throws IOException {
    for (Case c : CASES) write(c, root.resolve(c.name()));
  }

  private static void write(Case c, Path dir) throws IOException {
    Files.createDirectories(dir);
    Transformer model = c.baseModel();
    TransformerConfig mc = model.config();
    Rng rng = new Rng(c.seed());
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    Map<String, Object> config = new TreeMap<>(); // PEFT writes json.dumps(..., indent=2, sort_keys=True)
    config.put("auto_mapping", null);
    config.put("base_model_name_or_path", "ptlab-test-fixture:" + c.base());
    config.put("inference_mode", true);
    config.put("peft_type", c.peftType());
    config.put("peft_version", PEFT_VERSION);
    config.put("revision", null);
    config.put("task_type", c.taskType());
    boolean head = c.taskType().equals("SEQ_CLS");
    int d = mc.dModel();
    int width = mc.attentionWidth();
    if (!c.peftType().equals("LORA")) { // PromptLearningConfig
      int mp = c.peftType().equals("PROMPT_TUNING") ? 4 : 3;
      config.put("modules_to_save", head ? List.of("classifier", "score") : null);
      config.put("num_attention_heads", mc.heads());
      config.put("num_layers", mc.layers());
      config.put("num_transformer_submodules", 1);
      config.put("num_virtual_tokens", mp);
      if (c.peftType().equals("PROMPT_TUNING")) {
        config.put("token_dim", d);
        config.put("prompt_tuning_init", "RANDOM");
        config.put("prompt_tuning_init_text", null);
        config.put("tokenizer_kwargs", null);
        config.put("tokenizer_name_or_path", null);
        tensors.put("prompt_embeddings", randn(rng, 0.5, mp, d));
      } else {
        boolean projection = c.name().contains("projection");
        config.put("token_dim", width);
        config.put("encoder_hidden_size", projection ? 8 : width);
        config.put("init_weights", null);
        config.put("prefix_projection", projection);
        // with or without projection PEFT saves the prefix itself, [m_p, num_layers·2·token_dim]
        tensors.put("prompt_embeddings", randn(rng, 0.5, mp, mc.layers() * 2 * width));
      }
      if (head) putHead(tensors, "base_model.", rng, d); // prompt learning: PeftModel wraps the HF model directly
    } else { // LoraConfig, PEFT's defaults except r, alpha and the targets
      boolean gpt2 = c.name().contains("gpt2"); // GPT2LMHeadModel's names: PEFT's default target c_attn, + c_proj
      config.put("r", 4);
      config.put("lora_alpha", 8);
      config.put("target_modules", gpt2 ? List.of("c_attn", "c_proj") : List.of("query", "value"));
      config.put("exclude_modules", null);
      config.put("lora_dropout", 0.0);
      config.put("fan_in_fan_out", gpt2); // PEFT sets it for GPT-2's Conv1D modules
      config.put("bias", "none");
      config.put("use_rslora", false);
      config.put("modules_to_save", head ? List.of("classifier", "score") : null);
      config.put("init_lora_weights", true);
      config.put("layers_to_transform", null);
      config.put("layers_pattern", null);
      config.put("rank_pattern", Map.of());
      config.put("alpha_pattern", Map.of());
      config.put("megatron_config", null);
      config.put("megatron_core", "megatron.core");
      config.put("trainable_token_indices", null);
      config.put("loftq_config", Map.of());
      config.put("eva_config", null);
      config.put("corda_config", null);
      config.put("lora_ga_config", null);
      config.put("use_dora", false);
      config.put("velora_config", null);
      config.put("alora_invocation_tokens", null);
      config.put("use_qalora", false);
      config.put("qalora_group_size", 16);
      config.put("monteclora_config", null);
      config.put("layer_replication", null);
      config.put("lora_bias", false);
      config.put("target_parameters", null);
      config.put("use_bdlora", null);
      config.put("arrow_config", null);
      config.put("kasa_config", null);
      config.put("ensure_weight_tying", false);
      // LoraModel.model is the HF task model: BertForSequenceClassification / BertLMHeadModel keep the encoder
      // under "bert", BertModel is the encoder
      String wrapper = "base_model.model." + (c.taskType().equals("FEATURE_EXTRACTION") ? "" : "bert.");
      // "c_proj" matches attn.c_proj and mlp.c_proj; lora_A [r, in] and lora_B [out, r] as for a Linear, c_attn's
      // out being 3d (query, key, value)
      for (int l = 0; gpt2 && l < mc.layers(); l++) {
        String h = "base_model.model.transformer.h." + l + ".";
        for (String[] m : new String[][] {{"attn.c_attn", "16", "48"}, {"attn.c_proj", "16", "16"},
            {"mlp.c_proj", "32", "16"}}) {
          tensors.put(h + m[0] + ".lora_A.weight", randn(rng, 0.3, 4, Integer.parseInt(m[1])));
          tensors.put(h + m[0] + ".lora_B.weight", randn(rng, 0.3, Integer.parseInt(m[2]), 4));
        }
      }
      for (int l = 0; !gpt2 && l < mc.layers(); l++) {
        for (String proj : List.of("query", "value")) {
          String stem = wrapper + "encoder.layer." + l + ".attention.self." + proj;
          tensors.put(stem + ".lora_A.weight", randn(rng, 0.3, 4, d));
          tensors.put(stem + ".lora_B.weight", randn(rng, 0.3, width, 4));
        }
      }
      if (head) putHead(tensors, "base_model.model.", rng, d);
    }
    SafetensorsWriter.write(dir.resolve(AdapterFiles.WEIGHTS), tensors, Map.of("format", "pt"));
    Files.writeString(dir.resolve(AdapterFiles.CONFIG), AdapterJson.MAPPER.writeValueAsString(config) + "\n");
    double[][] out = PeftReference.of(model, dir).forward(INPUT);
    ObjectNode expected = AdapterJson.object();
    expected.put("base_model", "ptlab-test-fixture:" + c.base());
    ArrayNode ids = expected.putArray("input_ids");
    for (int id : INPUT) ids.add(id);
    expected.put("output_kind", switch (mc.head()) {
      case CLASSIFY -> "logits [classes] of the mean-pooled input positions";
      case LM -> "next-token logits [positions][vocabulary]";
      default -> "final hidden states [positions][d]";
    });
    ArrayNode rows = expected.putArray("output");
    for (double[] row : out) {
      ArrayNode r = rows.addArray();
      for (double v : row) r.add(v);
    }
    Files.writeString(dir.resolve("expected_output.json"), AdapterJson.MAPPER.writeValueAsString(expected) + "\n");
  }

  /** The classifier PEFT's SEQ_CLS saves as modules_to_save: weight [C, d] and bias [C] under {@code prefix}. */
  private static void putHead(Map<String, Tensor> tensors, String prefix, Rng rng, int d) {
    tensors.put(prefix + "classifier.weight", randn(rng, 0.5, 3, d));
    tensors.put(prefix + "classifier.bias", randn(rng, 0.5, 3));
  }

  private static Tensor randn(Rng rng, double std, int... shape) {
    return Tensor.randn(rng, DType.F32, std, shape);
  }

  /** The stored expected output of a case folder. */
  static double[][] expected(Path dir) throws IOException {
    JsonNode out = AdapterJson.MAPPER.readTree(dir.resolve("expected_output.json").toFile()).get("output");
    double[][] rows = new double[out.size()][];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = new double[out.get(i).size()];
      for (int j = 0; j < rows[i].length; j++) rows[i][j] = out.get(i).get(j).asDouble();
    }
    return rows;
  }
}
