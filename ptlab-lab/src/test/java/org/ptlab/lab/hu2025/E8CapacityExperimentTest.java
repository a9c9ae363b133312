package org.ptlab.lab.hu2025;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ptlab.lab.Claim;
import org.ptlab.lab.GridSize;
import org.ptlab.lab.Results;
import org.ptlab.lab.RunRecord;

/** E8 smoke: the capacity search runs twice bit-identically; the figure and all claims build; counting holds. */
class E8CapacityExperimentTest {
  @Test
  void smokeGridRunsDeterministicallyAndRespectsTheCountingBound() throws Exception {
    E8CapacityExperiment e8 = new E8CapacityExperiment();
    List<Claim> claims = E6UniversalityExperimentTest.smokeClaims(e8); // runs twice, compares every metric
    assertEquals(4, claims.size());
    assertTrue(claims.stream().anyMatch(c -> c.name().equals("quantized-capacity-within-counting-bound")
        && c.passed()));
    // one seed per m_p in the smoke grid: the noisy comparison must not be a test
    assertTrue(claims.stream().anyMatch(c -> c.name().equals("capacity-non-decreasing-in-prompt-length")
        && c.status().equals(Claim.OBSERVED)));
    List<RunRecord> runs = E6UniversalityExperimentTest.runSmoke(e8);
    assertTrue(runs.stream().allMatch(r -> r.metric("capacity") >= 0 && r.metric("fits") >= 1));
    assertTrue(!e8.figures(new Results("E8", GridSize.SMOKE, runs)).get(0).series().isEmpty());
  }

  @Test
  void quantizationRoundsToTheGridInsideTheClip() {
    double[] q = E8Capacity.quantize(new double[] {0.007, -9, 3.999, 0.5 / 64, 0.01}, 1 / 64.0, 4);
    assertEquals(0, q[0]);
    assertEquals(-4, q[1]);
    assertEquals(4, q[2]);
    assertEquals(0, q[3]); // rint: a tie goes to the even multiple of δ_P
    assertEquals(1 / 64.0, q[4]);
  }
}
