package org.ptlab.io.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ptlab.nn.Presets;
import org.ptlab.nn.Transformer;
import org.ptlab.nn.TransformerConfig;
import org.ptlab.tensor.random.Rng;

/** What each kind of model name resolves to, and the one-line errors for names that mean nothing. */
class ModelSourceTest {
  @TempDir Path dir;

  @Test
  void presetsWithOverrides() throws Exception {
    ModelSource src = ModelSource.of("paper", Map.of("dModel", "4", "mlpHidden", "8"));
    assertEquals(ModelSource.Kind.PRESET, src.kind());
    TransformerConfig c = src.config();
    assertEquals(4, c.dModel());
    assertEquals(8, c.mlpHidden());
    assertEquals(Presets.of("paper").layers(), c.layers());
    assertNull(src.tokenizer(), "presets read token ids or vectors");
  }

  @Test
  void aSavedFolderRoundTripsAndRefusesOverrides() throws Exception {
    TransformerConfig c = Presets.of("paper");
    Transformer model = Transformer.create(c, new Rng(3));
    Path folder = dir.resolve("m");
    ModelFiles.save(model, folder, Map.of());
    ModelSource src = ModelSource.of(folder.toString());
    assertEquals(ModelSource.Kind.FOLDER, src.kind());
    assertEquals(c, src.config());
    Transformer back = src.load(src.config(), new Rng(99));
    for (var e : model.parameters().all().entrySet()) {
      assertArrayEquals(e.getValue().toDoubleArray(), back.parameters().get(e.getKey()).toDoubleArray(), e.getKey());
    }
    IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
        () -> ModelSource.of(folder.toString(), Map.of("dModel", "4")));
    assertTrue(ex.getMessage().startsWith("--set applies to presets only"), ex.getMessage());
  }

  @Test
  void minilmAndOnnxFilesAreThePretrainedModel() throws Exception {
    assertEquals(ModelSource.Kind.PRETRAINED, ModelSource.of(MiniLm.NAME).kind());
    assertEquals(ModelSource.Kind.ONNX_FILE, ModelSource.of(dir.resolve("copy.ONNX").toString()).kind());
    assertEquals(MiniLm.config(), ModelSource.of(MiniLm.NAME).config());
    assertNotNull(ModelSource.of(MiniLm.NAME).tokenizer());
  }

  @Test
  void namesThatMeanNothingAreOneLineErrors() {
    for (String bad : new String[] {"nonesuch", dir.resolve("missing").toString()}) {
      IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> ModelSource.of(bad));
      assertTrue(ex.getMessage().contains("'" + bad + "'"), ex.getMessage());
      assertEquals(1, ex.getMessage().lines().count());
    }
    assertTrue(assertThrows(IllegalArgumentException.class, () -> ModelSource.of(null)).getMessage()
        .startsWith("--model is required"));
  }

  @Test
  void theTokenizerTravelsWithASavedMiniLmFolder() throws Exception {
    Path folder = dir.resolve("ft");
    Files.createDirectories(folder);
    ModelSource.of(MiniLm.NAME).copyTokenizerTo(folder);
    assertTrue(Files.isRegularFile(folder.resolve(ModelSource.TOKENIZER)));
  }
}
