package org.ptlab.lab.wang2023;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ptlab.lab.GridSize;
import org.ptlab.lab.RunContext;
import org.ptlab.lab.RunOutput;

/** E10's smoke grid end to end on the real model and data (8 steps each), and its determinism. */
class E10RealModelExperimentTest {
  private final E10RealModelExperiment e10 = new E10RealModelExperiment();

  private RunOutput run(Map<String, Object> config) throws Exception {
    return e10.run(new RunContext("E10", config, 0, 11L, 22L));
  }

  @Test
  void smokeRunsTrainTheRealModelAndRepeatBitForBit() throws Exception {
    List<Map<String, Object>> grid = e10.grid(GridSize.SMOKE);
    Map<String, Object> prompt = grid.stream().filter(c -> c.get("method").equals("prompt")).findFirst().orElseThrow();
    RunOutput a = run(prompt);
    Map<String, Object> m = a.metrics();
    double acc = ((Number) m.get("test_accuracy")).doubleValue();
    assertTrue(acc > 0.5 && acc <= 1, "test accuracy " + acc);
    // m_p·d + the 2-class head's 384·2 + 2
    assertEquals(5L * 384 + 770, ((Number) m.get("trainable_params")).longValue());
    assertEquals(8L, ((Number) m.get("steps")).longValue());
    assertEquals(997, ((Number) m.get("test_size")).intValue()); // imdb after dropping 3 duplicates
    List<?> curve = (List<?>) a.artifacts().get("curve_val_loss");
    assertTrue(curve.size() >= 2, "validation curve " + curve);
    assertTrue(((Number) m.get("prompt_norm_final")).doubleValue() > 0);

    RunOutput b = run(prompt);
    for (String k : List.of("test_loss", "val_loss", "prompt_norm_final")) {
      assertEquals(m.get(k), b.metrics().get(k), k + " must repeat bit for bit");
    }
  }
}
