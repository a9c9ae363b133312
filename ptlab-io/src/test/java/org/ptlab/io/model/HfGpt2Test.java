package org.ptlab.io.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ptlab.io.Json;
import org.ptlab.io.model.Gpt2Folders.Layout;
import org.ptlab.io.safetensors.SafetensorsFile;
import org.ptlab.nn.ForwardHooks;
import org.ptlab.nn.ForwardMode;
import org.ptlab.nn.ModelInput;
import org.ptlab.nn.Presets;
import org.ptlab.nn.Transformer;
import org.ptlab.nn.TransformerConfig;
import org.ptlab.nn.TransformerConfig.Activation;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;

/**
 * Hugging Face GPT-2 folders: PTLab's forward on a loaded folder equals an independent forward written on the HF
 * tensors (to 1e-5 in float32), HF → PTLab → HF keeps every tensor's bits, and unmappable input is named.
 */
class HfGpt2Test {
  @TempDir Path dir;

  private static final int[][] IDS = {{3, 17, 0, 39, 8, 8, 21, 5, 11, 2, 30, 1}, {38, 2, 2, 9, 14, 0, 7, 26, 4, 33, 12, 6}};

  @ParameterizedTest(name = "lmHeadModel={0} lm_head tensor={1} tied={2} buffers={3} {4} scaled={5}")
  @CsvSource({
      "true,  false, true,  false, gelu_new, true",
      "false, false, true,  true,  gelu_new, true",  // GPT2Model: no prefix, mask buffers
      "true,  true,  true,  true,  gelu_new, true",  // lm_head stored although tied
      "true,  true,  false, false, gelu_new, true",  // untied head
      "true,  false, true,  false, relu,     false", // scale_attn_weights false
  })
  void loadedFolderComputesHfForwardAndWritesTheSameTensors(boolean lmHeadModel, boolean lmHeadTensor, boolean tied,
      boolean buffers, String act, boolean scaled) throws Exception {
    Layout l = new Layout(lmHeadModel, lmHeadTensor, tied, buffers, act, scaled);
    Map<String, Tensor> hf = Gpt2Folders.tensors(l, 11);
    Path in = Gpt2Folders.write(dir.resolve("in"), l, hf);
    ModelSource src = ModelSource.of(in.toString());
    TransformerConfig c = src.config();
    assertEquals(Presets.gpt().toBuilder().vocabSize(40).maxPositions(12).dModel(16).layers(2).heads(4).headSize(4)
        .mlpHidden(24).activation(act.equals("relu") ? Activation.RELU : Activation.GELU_TANH)
        .scoreScale(scaled ? 0.5 : 1.0).build(), c, "HF fields map onto the gpt preset's fields");
    Transformer m = src.load(c, null);

    Gpt2Reference ref = new Gpt2Reference(hf, lmHeadModel ? "transformer." : "", Gpt2Folders.HEADS,
        Gpt2Folders.LAYERS, scaled, act, 1e-5);
    Tensor logits = m.forward(ModelInput.ofTokens(IDS), ForwardHooks.NONE, ForwardMode.EVAL); // [B, T, V]
    double worst = 0;
    for (int b = 0; b < IDS.length; b++) {
      double[][] want = ref.logits(IDS[b]);
      for (int t = 0; t < want.length; t++) {
        for (int v = 0; v < want[t].length; v++) {
          double got = logits.getFlat((b * want.length + t) * want[t].length + v);
          worst = Math.max(worst, Math.abs(got - want[t][v]) / (1 + Math.abs(want[t][v])));
        }
      }
    }
    assertTrue(worst < 1e-5, "PTLab's forward vs the HF-layout reference: " + worst);

    Path out = dir.resolve("out");
    ModelFiles.saveHf(m, out);
    Map<String, Object> written = Json.parseMap(Files.readString(out.resolve("config.json")));
    assertEquals("gpt2", written.get("model_type"));
    assertEquals(java.util.List.of("GPT2LMHeadModel"), written.get("architectures"));
    assertEquals(tied, written.get("tie_word_embeddings"));
    Map<String, Object> given = Gpt2Folders.config(l);
    for (String k : new String[] {"vocab_size", "n_positions", "n_embd", "n_layer", "n_head", "n_inner",
        "activation_function", "layer_norm_epsilon", "initializer_range", "scale_attn_weights"}) {
      assertEquals(given.get(k), written.get(k), k);
    }
    assertEquals(c, ModelFiles.readConfig(out), "the written config reads back as the same model");
    // the same tensors bit for bit, under GPT2LMHeadModel's names (no buffers; lm_head only when untied)
    try (SafetensorsFile f = SafetensorsFile.open(out.resolve("model.safetensors"))) {
      Set<String> expected = new TreeSet<>();
      for (Map.Entry<String, Tensor> e : hf.entrySet()) {
        String name = e.getKey().startsWith("transformer.") || e.getKey().equals("lm_head.weight") ? e.getKey()
            : "transformer." + e.getKey();
        if (name.matches(".*\\.attn\\.(bias|masked_bias)")) continue; // buffers, not weights
        if (name.equals("lm_head.weight") && tied) continue;
        expected.add(name);
        assertTrue(Arrays2.sameBits(e.getValue(), f.tensor(name, DType.F32)), name + " keeps its bits");
        assertEquals(java.util.Arrays.toString(e.getValue().shape()), java.util.Arrays.toString(f.entry(name).shape()),
            name);
      }
      assertEquals(expected, new TreeSet<>(f.names()));
    }
    Transformer again = ModelFiles.load(out);
    Tensor logits2 = again.forward(ModelInput.ofTokens(IDS), ForwardHooks.NONE, ForwardMode.EVAL);
    assertTrue(Arrays2.sameBits(logits, logits2), "the written folder computes the same logits");
  }

  @Test
  void theGptPresetIsWrittenUntiedAndATrainedHeadBiasIsRefused() throws Exception {
    Transformer gpt = Transformer.create(Presets.gpt().toBuilder().layers(1).build(), new Rng(3));
    Path out = dir.resolve("gpt");
    ModelFiles.saveHf(gpt, out);
    Map<String, Object> written = Json.parseMap(Files.readString(out.resolve("config.json")));
    assertEquals(false, written.get("tie_word_embeddings"), "the preset's head is its own weight");
    assertEquals("gelu", written.get("activation_function"));
    assertEquals(256, written.get("vocab_size"));
    assertTrue(Arrays2.sameBits(gpt.parameters().get("lm_head.weight"), ModelFiles.load(out).parameters().get("lm_head.weight")));

    gpt.parameters().get("lm_head.bias").setFlat(7, 0.25);
    Path refused = dir.resolve("refused");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelFiles.saveHf(gpt, refused));
    assertTrue(e.getMessage().contains("lm_head.bias") && e.getMessage().contains("no bias"), e.getMessage());
    assertFalse(Files.exists(refused), "nothing written");
    e = assertThrows(IllegalArgumentException.class,
        () -> ModelFiles.checkHf(Presets.gpt().toBuilder().typeVocabSize(2).build()));
    assertTrue(e.getMessage().contains("token-type") && e.getMessage().contains("GPT2LMHeadModel"), e.getMessage());
  }

  /** A folder with one thing wrong, and what the one-line error must name. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "unknown tensor      | transformer.h.0.attn.rotary.weight",
      "extra layer         | transformer.h.2.ln_1.weight",
      "missing tensor      | 'transformer.ln_f.bias' removed",
      "bad shape           | c_attn.weight",
      "lm_head not wte     | lm_head.weight",
      "activation          | activation_function",
      "inverse layer idx   | scale_attn_by_inverse_layer_idx",
      "upcast              | reorder_and_upcast_attn",
      "cross attention     | add_cross_attention",
      "unknown field       | rotary_dim",
      "model type          | gpt_neo",
  })
  void badFoldersAreRefusedNamingTheFieldOrTensor(String what, String names) throws Exception {
    Layout l = Layout.lmHead();
    Map<String, Tensor> w = Gpt2Folders.tensors(l, 5);
    Map<String, Object> cfg = Gpt2Folders.config(l);
    switch (what) {
      case "unknown tensor" -> w.put("transformer.h.0.attn.rotary.weight", Tensor.zeros(DType.F32, 2));
      case "extra layer" -> w.put("transformer.h.2.ln_1.weight", Tensor.zeros(DType.F32, 16));
      case "missing tensor" -> w.remove("transformer.ln_f.bias");
      case "bad shape" -> w.put("transformer.h.1.attn.c_attn.weight", Tensor.zeros(DType.F32, 48, 16));
      case "lm_head not wte" -> w.put("lm_head.weight", Tensor.zeros(DType.F32, 40, 16));
      case "activation" -> cfg.put("activation_function", "quick_gelu");
      case "inverse layer idx" -> cfg.put("scale_attn_by_inverse_layer_idx", true);
      case "upcast" -> cfg.put("reorder_and_upcast_attn", true);
      case "cross attention" -> cfg.put("add_cross_attention", true);
      case "unknown field" -> cfg.put("rotary_dim", 8);
      case "model type" -> cfg.put("model_type", "gpt_neo");
      default -> throw new IllegalStateException(what);
    }
    Path f = Gpt2Folders.write(dir.resolve("bad"), l, w);
    Files.writeString(f.resolve("config.json"), Json.pretty(cfg));
    String want = names.startsWith("'") ? "ln_f.bias" : names;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> {
      ModelSource src = ModelSource.of(f.toString());
      src.load(src.config(), null);
    });
    assertTrue(e.getMessage().contains(want), e.getMessage());
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
  }

  /** A GPT-2 folder with OpenAI's encoder.json + vocab.bpe reads text with them, and a saved copy takes both along. */
  @Test
  void aFolderWithEncoderJsonAndVocabBpeHasAByteLevelTokenizerThatIsCopied() throws Exception {
    Layout l = Layout.lmHead();
    Path in = Gpt2Folders.write(dir.resolve("in"), l, Gpt2Folders.tensors(l, 2));
    Map<String, Integer> encoder = new java.util.LinkedHashMap<>();
    int n = 0;
    for (int b = 0; b < 256; b++) { // GPT-2's bytes→unicode table, written out here independently
      boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
      encoder.put(String.valueOf((char) (printable ? b : 256 + n++)), b);
    }
    encoder.put("he", 256);
    Files.writeString(in.resolve("encoder.json"), Json.write(encoder));
    Files.writeString(in.resolve("vocab.bpe"), "#version: 0.2\nh e\n");
    ModelSource src = ModelSource.of(in.toString());
    org.ptlab.io.tokenizer.Tokenizer tok = src.tokenizer();
    assertTrue(tok instanceof org.ptlab.io.tokenizer.ByteLevelBpeTokenizer, String.valueOf(tok));
    assertEquals(java.util.List.of(116, 256), java.util.Arrays.stream(tok.encode("the")).boxed().toList());
    assertEquals("the café", tok.decode(tok.encode("the café")));
    Path out = Files.createDirectories(dir.resolve("out"));
    src.copyTokenizerTo(out);
    assertEquals(-1, Files.mismatch(in.resolve("encoder.json"), out.resolve("encoder.json")));
    assertEquals(-1, Files.mismatch(in.resolve("vocab.bpe"), out.resolve("vocab.bpe")));
    assertFalse(Files.exists(out.resolve("tokenizer.json")));
  }

  /** Bit comparison of tensors. */
  static final class Arrays2 {
    static boolean sameBits(Tensor a, Tensor b) {
      if (a.numel() != b.numel()) return false;
      for (int i = 0; i < a.numel(); i++) {
        if (Double.doubleToRawLongBits(a.getFlat(i)) != Double.doubleToRawLongBits(b.getFlat(i))) return false;
      }
      return true;
    }
  }

}
