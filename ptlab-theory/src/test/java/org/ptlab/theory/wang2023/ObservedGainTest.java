package org.ptlab.theory.wang2023;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;
import org.ptlab.theory.SpectralNorms;

/** The search on maps whose ‖·‖_{∞,2} gain is known in closed form. */
class ObservedGainTest {
  @Test
  void findsTheGainOfATokenwiseLinearMapAndNeverExceedsIt() {
    Rng rng = new Rng(1);
    int d = 5;
    double[] m = new double[d * d];
    for (int i = 0; i < m.length; i++) m[i] = rng.nextGaussian();
    Tensor mt = Tensor.of(m, d, d);
    double exact = SpectralNorms.of(mt); // x_j ↦ M x_j on every token: gain ‖M‖₂ in ‖·‖_{∞,2}
    ObservedGain.Result r = ObservedGain.maximize(x -> x.linear(mt, null), 3, d, 2.0, ObservedGain.Options.quick(2));
    assertTrue(r.gain() <= exact * (1 + 1e-9), r.gain() + " > " + exact);
    assertTrue(r.gain() >= 0.999 * exact, "ascent found " + r.gain() + " of " + exact);
    assertTrue(r.gain() >= r.randomSearchGain());
    assertEquals(r.gain(), ObservedGain.gain(x -> x.linear(mt, null), r.x1(), r.x2(), 3, d), 1e-9 * exact);
    assertTrue(ObservedGain.infTwo(r.x2(), d) <= 2.0 + 1e-12); // both ends in the ball
  }

  @Test
  void measuresTheMaxRowNormNotTheFlattenedSpectralNorm() {
    // F(X) = (Σ_j x_j) on every row: gain m in ‖·‖_{∞,2} (all rows aligned), while the Jacobian's spectral norm is m too
    // but a row-sum of m rows of norm 1 cannot exceed m: the search must find m, not √m·something.
    int m = 4;
    int d = 3;
    ObservedGain.SequenceMap f = x -> x.sum(1, true).expand(x.dim(0), m, d);
    ObservedGain.Result r = ObservedGain.maximize(f, m, d, 1.0, new ObservedGain.Options(256, 8, 300, 0.05, 1e-4, 3));
    assertTrue(r.gain() <= m + 1e-9);
    assertTrue(r.gain() >= 0.999 * m, "found " + r.gain());
    ObservedGain.Result lo = ObservedGain.minimize(x -> x.mul(0.5), m, d, 1.0, ObservedGain.Options.quick(3));
    assertEquals(0.5, lo.gain(), 1e-9);
  }
}
