package org.ptlab.theory.hu2025;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.ptlab.nn.TransformerConfig.BlockKind;

/**
 * Checks U1, U3 and U5 of spec hu2025.md §7 D: the whole quantized family at d = 1, L = 2, δ = δ_out = δ_P = 1/2 is
 * memorized exactly by one PTLab transformer (one head) through its prompts, with the sizes the formulas give.
 */
class UniversalMemorizationTest {
  private static final UniversalResult U1 = UniversalConstruction.construct(1, 2, 0.5);

  /** U1: 256 functions × 4 cells × 2 positions = 2,048 distinct ids; every function reproduced on every cell. */
  @Test
  void u1EveryFunctionIsReproducedOnEveryGridCell() {
    assertEquals(256, U1.prompts().size());
    assertEquals(2048, U1.build().lookup().distinctIds(), "all ids distinct");
    assertTrue(U1.minIdGap() > 0);
    assertTrue(U1.maxError() <= 1e-8, "max error " + U1.maxError());
    assertTrue(U1.verified());
    System.out.printf("U1: ids %d, min id gap %.3e, max error %.3e, max FF2 slope %.3e, beta %.4g%n",
        U1.build().lookup().distinctIds(), U1.minIdGap(), U1.maxError(), U1.build().lookup().maxSlope(),
        U1.build().map().beta());
  }

  /** d = 2 exercises the u search over digit weights: 256 functions of one 2-d token, 1,024 ids. */
  @Test
  void twoDimensionalTokensAreMemorizedToo() {
    UniversalResult r = UniversalConstruction.construct(2, 1, 0.5);
    System.out.printf("d=2 L=1: ids %d, min id gap %.3e, max error %.3e%n", r.build().lookup().distinctIds(),
        r.minIdGap(), r.maxError());
    assertEquals(4, r.promptLength());
    assertEquals(1024, r.build().lookup().distinctIds());
    assertTrue(r.verified(), "max error " + r.maxError());
  }

  /** The model is a normal PTLab transformer: an attention-free quantizer block, then attention + lookup. */
  @Test
  void theModelIsAnOrdinaryTwoBlockTransformer() {
    var c = U1.model().config();
    assertEquals(BlockKind.MLP, c.blockKind(0));
    assertEquals(BlockKind.ATTENTION_MLP, c.blockKind(1));
    assertEquals(1, c.heads(1));
    assertEquals(1, c.headSize());
    assertTrue(U1.model().parameters().has("encoder.layer.1.attention.self.query.weight"));
    assertFalse(U1.model().parameters().has("encoder.layer.0.attention.self.query.weight"));
    assertArrayEquals(new int[] {8, 1}, U1.prompts().get(0).shape());
  }

  /** U3: L_p = ⌈log|F̄| / (d log(1/δ_P))⌉ and FF_2 width = distinct ids − 1 (+1 flattening, +2d identity units). */
  @Test
  void u3SizesEqualTheirFormulas() {
    QuantizedFamily fam = U1.build().family();
    assertEquals(BigInteger.valueOf(256), fam.familySize());
    assertEquals((int) Math.ceil(Math.log(256) / (1 * Math.log(2)) - 1e-12), U1.promptLength());
    assertEquals(8, U1.promptLength());
    assertEquals(2047, U1.ffnWidth());
    assertEquals(2048 + 2, U1.ff2Hidden());
    assertEquals(2 * 10 * 2 * 1, U1.build().quantizerWidth(), "FF1: 2 units per step, n/δ = 20 steps");
    // the counting formula elsewhere: d = 2, L = 1, δ = 1/2, δ_out = 1/4, δ_P = 1/2 → log 4^8 / (2 log 2) = 8
    assertEquals(8, QuantizedFamily.of(2, 1, 0.5, 0.25, 0.5).promptLength());
    // δ = 1/3: 3^18 members, L_p = ⌈18 log 3 / log 3⌉ = 18
    assertEquals(18, QuantizedFamily.of(1, 2, 1 / 3.0, 1 / 3.0, 1 / 3.0).promptLength());
  }

  @Test
  void promptCodesRoundTripAndSitOnTheGrid() {
    QuantizedFamily fam = QuantizedFamily.of(1, 2, 0.25, 0.5, 0.5);
    BigInteger i = BigInteger.valueOf(12345);
    assertEquals(i, fam.indexOf(fam.member(i)));
    for (double p : fam.promptCode(i)) assertEquals(0.0, p * 4 - Math.rint(p * 4), 0.0);
  }

  @Test
  void deltaPOffTheDeltaGridIsRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> QuantizedFamily.of(1, 2, 0.5, 0.5, 0.25));
    assertTrue(e.getMessage().contains("δ_P"), e.getMessage());
  }

  /** U5: tokens closer than ε but not equal are rejected in one line naming them. */
  @Test
  void u5UnseparatedTokensAreRejected() {
    double[][] seqs = {{0.1, 0.5, 0.9}, {0.3, 0.5 + 1e-9, 0.7}};
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TokenSeparation.require(seqs, 1, 0, 10, 1e-3));
    assertFalse(e.getMessage().contains("\n"));
    assertTrue(e.getMessage().contains("sequence 1") && e.getMessage().contains("token separation"), e.getMessage());
    TokenSeparation.require(new double[][] {{0.1, 0.5}, {0.5, 0.9}}, 1, 0, 10, 1e-3); // repeats are fine
    assertThrows(IllegalArgumentException.class, () -> TokenSeparation.require(seqs, 1, 0.2, 10, 1e-6));
  }

  @Test
  void familiesThatDoNotFitAreRefusedWithTheirSize() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> UniversalConstruction.construct(1, 2, 1 / 3.0));
    assertTrue(e.getMessage().contains("3.87e+08 members"), e.getMessage());
    assertTrue(e.getMessage().contains("would need about"), e.getMessage());
  }
}
