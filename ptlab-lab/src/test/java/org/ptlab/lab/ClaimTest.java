package org.ptlab.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ptlab.lab.Claim.Relation;
import org.ptlab.lab.Claim.Source;
import org.ptlab.lab.run.Exports;

class ClaimTest {
  private static Claim.Builder slope() {
    return Claim.test("time-slope-exact").says("Exact attention time grows quadratically.").source(Source.DERIVED)
        .equalTo(2).within(0.25);
  }

  @Test
  void theBuilderKeepsEveryPartOfTheSentence() {
    Claim c = slope().measured(1.76);
    assertEquals("time-slope-exact", c.name());
    assertEquals("Exact attention time grows quadratically.", c.statement());
    assertEquals(Source.DERIVED, c.source());
    assertEquals(Relation.EQUAL, c.relation());
    assertEquals(2, c.bound());
    assertEquals(0.25, c.tolerance());
    assertEquals(1.76, c.measured());
    assertTrue(c.passed() && c.isTest() && c.status().equals(Claim.PASSED) && c.note().isEmpty(), c.toString());
  }

  @Test
  void relationsHoldWithinTheirTolerance() {
    assertTrue(Relation.AT_MOST.holds(1e-4, 1e-3, 0));
    assertFalse(Relation.AT_MOST.holds(2e-3, 1e-3, 0));
    assertTrue(Relation.AT_MOST.holds(1.1, 1, 0.1));
    assertTrue(Relation.AT_LEAST.holds(5, 5.5, 0.5));
    assertFalse(Relation.AT_LEAST.holds(4.9, 5.5, 0.5));
    assertTrue(Relation.EQUAL.holds(1e-16, 0, 1e-15));
    assertFalse(Relation.EQUAL.holds(1.74, 2, 0.25));
    assertTrue(Relation.EQUAL.holds(2.25, 2, 0.25));
    for (Relation r : Relation.values()) assertFalse(r.holds(Double.NaN, 1, 1), r + " must not pass NaN");
    assertEquals(Claim.FAILED, slope().measured(1.7).status());
    Claim nan = slope().measured(Double.NaN);
    assertEquals(Claim.FAILED, nan.status());
    assertEquals("measurement is NaN", nan.note());
  }

  @Test
  void anObservationNeverPassesOrFails() {
    for (double m : new double[] {-1, 0, 1, 100, Double.NaN}) {
      Claim c = Claim.observation("gap").says("A gap.").source(Source.RECALLED).atLeast(0).measured(m);
      assertFalse(c.passed() || c.isTest(), c.toString());
      assertEquals(Claim.OBSERVED, c.status());
    }
    Claim one = Claim.test("gap").says("A gap.").source(Source.RECALLED).atLeast(0)
        .observationIf(true, "one seed").measured(-5);
    assertEquals(Claim.OBSERVED, one.status());
    assertEquals("one seed", one.note());
    assertEquals(Claim.FAILED, Claim.test("gap").says("A gap.").source(Source.RECALLED).atLeast(0)
        .observationIf(false, "one seed").measured(-5).status());
  }

  @Test
  void measureTurnsNoDataIntoSkippedAndOtherExceptionsIntoError() {
    Claim skipped = slope().measure(() -> {
      throw Claim.noData("no completed 'time' run");
    });
    assertEquals(Claim.SKIPPED, skipped.status());
    assertEquals("no completed 'time' run", skipped.note());
    assertTrue(Double.isNaN(skipped.measured()));
    Claim error = slope().measure(() -> {
      throw new IllegalStateException("broken");
    });
    assertEquals(Claim.ERROR, error.status());
    assertTrue(error.note().contains("broken"), error.note());
    assertEquals(Claim.PASSED, slope().measure(() -> 2.1).status());
  }

  @Test
  void anIncompleteClaimNamesWhatIsMissing() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Claim.test("x").says("s").atMost(1).measured(0));
    assertTrue(e.getMessage().contains("source"), e.getMessage());
    e = assertThrows(IllegalStateException.class, () -> Claim.test("x").says("s").source(Source.PAPER).measured(0));
    assertTrue(e.getMessage().contains("relation"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Claim.test("two words"));
    assertThrows(IllegalArgumentException.class, () -> slope().within(-1).measured(2));
  }

  @Test
  void boundTextShowsRelationAndTolerance() {
    assertEquals("= 2 ± 0.25", slope().measured(2).boundText(ClaimTest::num));
    Claim.Builder b = Claim.test("x").says("s").source(Source.DERIVED);
    assertEquals("≤ 1", b.atMost(1).within(0).measured(0).boundText(ClaimTest::num));
    assertEquals("≤ 0 + 1e-15", b.atMost(0).within(1e-15).measured(0).boundText(ClaimTest::num));
    assertEquals("≥ 1 − 0.1", b.atLeast(1).within(0.1).measured(1).boundText(ClaimTest::num));
  }

  @Test
  void jsonKeepsTheContractFieldsAndAddsKindSourceRelation() {
    Map<String, Object> m = Exports.claim(slope().measured(1.76));
    for (String field : new String[] {"name", "measured", "bound", "tolerance", "passed", "status"}) {
      assertTrue(m.containsKey(field), field + " in " + m);
    }
    assertEquals("test", m.get("kind"));
    assertEquals("D", m.get("source"));
    assertEquals("==", m.get("relation"));
    assertEquals(0.25, m.get("tolerance"));
    assertEquals(true, m.get("passed"));
    Map<String, Object> o = Exports.claim(Claim.observation("norm").says("s").source(Source.RECALLED).atLeast(1)
        .measured(Double.NaN));
    assertEquals("observation", o.get("kind"));
    assertEquals("R", o.get("source"));
    assertEquals(">=", o.get("relation"));
    assertEquals("observed", o.get("status"));
    assertEquals(false, o.get("passed"));
    assertEquals(null, o.get("measured"), "NaN is written as null");
  }

  private static String num(double x) {
    return x == Math.rint(x) ? Long.toString((long) x) : x < 1e-3 ? String.format(java.util.Locale.ROOT, "%.0e", x)
        : Double.toString(x);
  }
}
