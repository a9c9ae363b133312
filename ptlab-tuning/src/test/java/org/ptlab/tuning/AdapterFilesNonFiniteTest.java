package org.ptlab.tuning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ptlab.io.NonFiniteValueException;
import org.ptlab.nn.Transformer;
import org.ptlab.tensor.random.Rng;
import org.ptlab.tuning.full.FullFineTuning;
import org.ptlab.tuning.lora.Lora;
import org.ptlab.tuning.lora.LoraConfig;
import org.ptlab.tuning.prompt.PromptTuning;
import org.ptlab.tuning.prompt.PromptTuningConfig;

/** An adapter (or a fully fine-tuned model) with a NaN/inf is not saved, not even in part. */
class AdapterFilesNonFiniteTest {
  @Test
  void aNonFinitePromptIsRefusedAndNothingIsWritten(@TempDir Path dir) {
    Transformer m = AdapterFilesTest.fresh();
    PromptTuning pt = PromptTuning.create(PromptTuningConfig.random(3), m, new Rng(6));
    pt.prompt().setFlat(17, Double.NaN);
    Path out = dir.resolve("adapter");
    NonFiniteValueException e = assertThrows(NonFiniteValueException.class,
        () -> AdapterFiles.save(TunedModel.of(m, pt), out, AdapterFilesTest.provenance()));
    assertEquals(out.resolve(AdapterFiles.WEIGHTS) + ": tensor 'prompt_embeddings' holds NaN at [1, 1]; PTLab "
        + "writes only finite values, so the file was not written", e.getMessage());
    assertFalse(Files.exists(out));
  }

  /** LoRA is fine, the prompt is not: the lora/ sub-folder is not written either (all or nothing). */
  @Test
  void aCombinedAdapterIsSavedWholeOrNotAtAll(@TempDir Path dir) {
    Transformer m = AdapterFilesTest.fresh();
    Lora lora = Lora.create(LoraConfig.of(2), m, new Rng(4));
    PromptTuning pt = PromptTuning.create(PromptTuningConfig.random(3), m, new Rng(6));
    pt.prompt().setFlat(0, Double.NEGATIVE_INFINITY);
    Path out = dir.resolve("adapter");
    assertThrows(NonFiniteValueException.class, () -> AdapterFiles.save(TunedModel.of(m, lora, pt), out, null));
    assertFalse(Files.exists(out.resolve("lora")));
    assertFalse(Files.exists(out));
  }

  @Test
  void aFullyFineTunedModelWithANonFiniteWeightIsRefused(@TempDir Path dir) {
    Transformer m = AdapterFilesTest.fresh();
    m.parameters().all().values().iterator().next().setFlat(0, Double.NaN);
    Path out = dir.resolve("model");
    assertThrows(NonFiniteValueException.class,
        () -> AdapterFiles.save(TunedModel.of(m, new FullFineTuning(m)), out, null));
    assertFalse(Files.exists(out));
  }
}
