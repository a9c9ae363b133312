package org.ptlab.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ptlab.nn.NnFixtures.add;
import static org.ptlab.nn.NnFixtures.assertClose;
import static org.ptlab.nn.NnFixtures.columns;
import static org.ptlab.nn.NnFixtures.combine;
import static org.ptlab.nn.NnFixtures.config;
import static org.ptlab.nn.NnFixtures.dot;
import static org.ptlab.nn.NnFixtures.matVec;
import static org.ptlab.nn.NnFixtures.matrix;
import static org.ptlab.nn.NnFixtures.randn;
import static org.ptlab.nn.NnFixtures.row;
import static org.ptlab.nn.NnFixtures.rows;
import static org.ptlab.nn.NnFixtures.scale;
import static org.ptlab.nn.NnFixtures.softmax;

import org.junit.jupiter.api.Test;
import org.ptlab.nn.NnFixtures.RecordingKernel;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;

/**
 * wang2023.md §1.7: for a query x and one head with logits s(z) = (W_k z)ᵀ W_q x,
 * Att(x, [P, X]) = λ·Att(x, P) + (1 − λ)·Att(x, X) with λ = Σ_j e^{s(p_j)} / (Σ_j e^{s(p_j)} + Σ_k e^{s(x_k)}), and
 * with h heads the prompt-induced change is Σ_h λ_h (a_h − b_h). Att(x, [P, X]) and Att(x, X) are the model's own
 * attention outputs (kernel output · W_oᵀ, read by a recording kernel); λ, a and b are computed here by hand.
 */
class AttentionDecompositionTest {
  private static final String L0 = "encoder.layer.0.";
  private static final int D = 4;
  private static final int MP = 2;
  private static final int M = 3;

  /** The model's Att(·, ·) rows [T, d] for the queries of {@code x}, with or without the prompt. */
  private static double[][] modelAttention(Transformer model, Tensor x, Tensor prompt) {
    RecordingKernel rec = new RecordingKernel();
    model.setAttentionKernel(rec);
    model.forward(ModelInput.ofVectors(x), prompt == null ? ForwardHooks.NONE : NnFixtures.prompt(prompt, 0),
        ForwardMode.EVAL);
    model.setAttentionKernel(org.ptlab.nn.attention.AttentionKernel.EXACT);
    assertEquals(1, rec.calls.size(), "one layer, one kernel call");
    Tensor out = rec.calls.get(0).out(); // [1, T, h·s], T = m_p + m with the prompt
    double[][] wo = matrix(model.parameters().get(L0 + "attention.output.dense.weight"));
    int skip = prompt == null ? 0 : prompt.dim(0);
    double[][] att = new double[x.dim(1)][];
    for (int i = 0; i < att.length; i++) att[i] = matVec(wo, row(out, 0, skip + i)); // W_o · head outputs
    return att;
  }

  /** One head's pieces for query x: the logits of the rows of {@code z} and W_o^h W_v^h z_j. */
  private record Head(double[] logits, double[][] values) {
    static Head of(ParameterSet p, int h, int s, double[] x, double[][] z) {
      double[][] wq = rows(matrix(p.get(L0 + "attention.self.query.weight")), h * s, (h + 1) * s);
      double[][] wk = rows(matrix(p.get(L0 + "attention.self.key.weight")), h * s, (h + 1) * s);
      double[][] wv = rows(matrix(p.get(L0 + "attention.self.value.weight")), h * s, (h + 1) * s);
      double[][] wo = columns(matrix(p.get(L0 + "attention.output.dense.weight")), h * s, (h + 1) * s);
      double[] q = matVec(wq, x);
      double[] logits = new double[z.length];
      double[][] values = new double[z.length][];
      for (int j = 0; j < z.length; j++) {
        logits[j] = dot(matVec(wk, z[j]), q); // s(z_j) = (W_k z_j)ᵀ W_q x
        values[j] = matVec(wo, matVec(wv, z[j]));
      }
      return new Head(logits, values);
    }

    /** Σ_j softmax(s)_j W_o W_v z_j. */
    double[] attend() {
      return combine(softmax(logits), values);
    }

    double expSum() {
      double e = 0;
      for (double l : logits) e += Math.exp(l);
      return e;
    }
  }

  private static double norm(double[] v) {
    return Math.sqrt(dot(v, v));
  }

  private static double[][] rowsOf(Tensor t) {
    double[][] r = new double[t.dim(t.rank() - 2)][];
    Tensor m = t.reshape(-1, t.dim(t.rank() - 1));
    for (int i = 0; i < r.length; i++) r[i] = m.slice(0, i, i + 1).toDoubleArray();
    return r;
  }

  @Test
  void oneHeadAttentionIsAConvexMixOfPromptAndInputAttention() {
    Transformer model = Transformer.create(Presets.paper(D, 6), new Rng(1));
    ParameterSet p = model.parameters();
    // Inputs of norm ≈ 1, so every λ stays well inside (0, 1) and recovering Att(x, P) stays well-conditioned.
    Tensor prompt = randn(2, MP, D).mul(0.5);
    Tensor x = randn(3, 1, M, D).mul(0.5);
    Tensor x2 = x.copy(); // the same first token, other tokens changed
    for (int i = D; i < M * D; i++) x2.setFlat(i, x2.getFlat(i) + 0.3 * Math.sin(i));

    double[] firstA = null;
    for (Tensor input : new Tensor[] {x, x2}) {
      double[][] full = modelAttention(model, input, prompt); // Att(x_i, [P, X])
      double[][] plain = modelAttention(model, input, null); // Att(x_i, X)
      double[][] ps = rowsOf(prompt);
      double[][] xs = rowsOf(input);
      for (int i = 0; i < M; i++) {
        Head onP = Head.of(p, 0, D, xs[i], ps);
        Head onX = Head.of(p, 0, D, xs[i], xs);
        double lambda = onP.expSum() / (onP.expSum() + onX.expSum());
        assertTrue(lambda > 0 && lambda < 1, "lambda in (0, 1): " + lambda);
        double[] a = onP.attend(); // Att(x, P), by hand
        assertClose(onX.attend(), plain[i], 1e-12, "Att(x, X) by hand vs the model");
        assertClose(add(scale(lambda, a), scale(1 - lambda, plain[i])), full[i], 1e-12,
            "Att(x, [P, X]) = λ Att(x, P) + (1 − λ) Att(x, X), token " + i);
        // Att(x, P) recovered from the model's two outputs alone: (c − (1 − λ) b) / λ. Recovering it divides by λ
        // after a cancellation, so its error bound is 1e-12 times that condition number.
        double[] fromModel = scale(1 / lambda, add(full[i], scale(-(1 - lambda), plain[i])));
        double tol = 1e-12 * (norm(full[i]) + (1 - lambda) * norm(plain[i])) / (lambda * norm(a));
        assertTrue(tol < 1e-9, "well-conditioned instance: tolerance " + tol);
        assertClose(a, fromModel, tol, "Att(x, P) from the model, token " + i);
        if (i == 0) {
          if (firstA == null) firstA = fromModel;
          else assertClose(firstA, fromModel, 2 * tol, "Att(x, P) does not depend on X");
        }
      }
    }
  }

  @Test
  void multiHeadPromptChangeIsInTheConeOfHeadDifferences() {
    int heads = 3;
    int s = 2;
    TransformerConfig c = config(Presets.paper(D, 6), "heads=" + heads, "headSize=" + s);
    Transformer model = Transformer.create(c, new Rng(9));
    ParameterSet p = model.parameters();
    Tensor prompt = randn(12, MP, D);
    Tensor x = randn(13, 1, M, D);
    double[][] full = modelAttention(model, x, prompt);
    double[][] plain = modelAttention(model, x, null);
    double[][] ps = rowsOf(prompt);
    double[][] xs = rowsOf(x);
    for (int i = 0; i < M; i++) {
      double[] change = add(full[i], scale(-1, plain[i])); // c − Σ_h b_h
      double[] cone = new double[D];
      for (int h = 0; h < heads; h++) {
        Head onP = Head.of(p, h, s, xs[i], ps);
        Head onX = Head.of(p, h, s, xs[i], xs);
        double lambda = onP.expSum() / (onP.expSum() + onX.expSum());
        assertTrue(lambda > 0 && lambda < 1, "lambda_" + h + " in (0, 1): " + lambda);
        cone = add(cone, scale(lambda, add(onP.attend(), scale(-1, onX.attend())))); // λ_h (a_h − b_h)
      }
      assertClose(cone, change, 1e-12, "prompt-induced change = Σ_h λ_h (a_h − b_h), token " + i);
    }
  }
}
