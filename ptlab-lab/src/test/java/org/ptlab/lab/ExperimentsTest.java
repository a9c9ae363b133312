package org.ptlab.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ExperimentsTest {
  @Test
  void theRegistryFindsTheDemo() {
    List<Experiment> all = Experiments.all();
    assertTrue(all.stream().anyMatch(e -> e.id().equals("D0")), all.toString());
    for (Experiment e : all) {
      for (GridSize s : GridSize.values()) {
        assertTrue(!e.grid(s).isEmpty() && e.repeats(s) >= 1, e.id() + " " + s);
      }
      assertTrue(!e.title().isBlank() && !e.paper().isBlank() && !e.explanation().isBlank(), e.id());
    }
  }

  @Test
  void selectNamesAnUnknownId() {
    List<Experiment> all = Experiments.all();
    assertEquals(List.of("D0"), Experiments.select(all, "d0").stream().map(Experiment::id).toList());
    assertEquals(all, Experiments.select(all, null));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Experiments.select(all, "D0,E99"));
    assertTrue(e.getMessage().contains("'E99'") && e.getMessage().contains("D0"), e.getMessage());
  }

  @Test
  void idsSortNaturally() {
    List<String> ids = new java.util.ArrayList<>(List.of("E10", "E2", "D0", "E1"));
    ids.sort(Experiments::compareIds);
    assertEquals(List.of("D0", "E1", "E2", "E10"), ids);
  }
}
