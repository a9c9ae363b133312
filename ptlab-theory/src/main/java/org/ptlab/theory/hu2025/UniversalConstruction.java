package org.ptlab.theory.hu2025;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.ptlab.nn.ForwardHooks;
import org.ptlab.nn.ForwardMode;
import org.ptlab.nn.ModelInput;
import org.ptlab.nn.Transformer;
import org.ptlab.nn.TransformerConfig.BlockKind;
import org.ptlab.nn.TransformerConfig.BlockSpec;
import org.ptlab.nn.TransformerConfig.Positional;
import org.ptlab.nn.TransformerConfig;
import org.ptlab.tensor.Tensor;

/**
 * Hu et al.'s universality by prompt tuning (ICLR 2025, Thms 2.2–2.3; spec hu2025.md §2.2–2.3) [D], built as an
 * ordinary PTLab {@link Transformer}: one attention layer with one head of size 1 between two feed-forward blocks,
 * plus one prompt per quantized function. Tokens are rows (the paper's columns).
 *
 * <pre>
 *   embeddings: token k gets + k on every entry (a position table, Yun et al.'s integer encoding [C])
 *   block 0 (MLP only):         FF_1 = {@link StaircaseQuantizer}, every entry → ⌊z/δ⌋δ on [0, n)
 *   block 1 (attention + MLP):  {@link BoltzmannContextualMapping} (rank 1, β folded into W_Q), then
 *                               FF_2 = {@link InterpolationLookup} from context ids to targets
 * </pre>
 * The ids FF_2 interpolates are read from the model itself (a probe with FF_2 switched off), so the lookup sees
 * exactly the numbers the verified forward will produce. Assumptions: inputs in [0, 1)^{L×d}; the family's prompt
 * codes on a δ_P grid that is a sub-grid of δ ({@link QuantizedFamily}). Which weights depend on the target: FF_2
 * always (it stores every member's table); built for one target f, so does the contextual map.
 *
 * <pre>{@code
 * UniversalResult r = UniversalConstruction.construct(1, 2, 0.5);  // the 256 functions of check U1
 * r.verified();                                                     // max error ≤ 1e-8 on every grid cell
 * }</pre>
 */
public final class UniversalConstruction {
  /** Largest error at a grid point for the construction to count as verified. */
  public static final double TOLERANCE = 1e-8;
  private static final int CHUNK_VALUES = 1 << 22; // doubles per forward batch (hidden activations)

  private UniversalConstruction() {}

  /** The whole family at δ = δ_out = δ_P, built and verified on every grid cell: the entry of {@code ptlab construct universal}. */
  public static UniversalResult construct(int d, int L, double delta) {
    return family(QuantizedFamily.of(d, L, delta, delta, delta));
  }

  /** Every member of {@code fam}, built and verified on every grid cell. */
  public static UniversalResult family(QuantizedFamily fam) {
    BigInteger size = fam.familySize();
    Sizes.require(fam, size, "the whole family");
    List<int[][]> tables = new ArrayList<>();
    for (BigInteger i = BigInteger.ZERO; i.compareTo(size) < 0; i = i.add(BigInteger.ONE)) tables.add(fam.member(i));
    return verify(build(fam, tables, 1));
  }

  /** One target f (X [L·d] → Y [L·d], values in [0, 1]): FF_2 and the contextual map are f's own. */
  public static UniversalBuild forTarget(QuantizedFamily fam, UnaryOperator<double[]> f) {
    Sizes.require(fam, BigInteger.ONE, "one target");
    List<int[][]> one = new ArrayList<>();
    one.add(fam.table(f));
    return build(fam, one, 1);
  }

  /** Builds the model and the prompts of {@code tables} (members of {@code fam}, as digit tables). */
  static UniversalBuild build(QuantizedFamily fam, List<int[][]> tables, long seed) {
    int d = fam.d();
    int lp = fam.promptLength();
    int n = lp + fam.L();
    List<Tensor> prompts = new ArrayList<>();
    for (int[][] t : tables) prompts.add(Tensor.of(fam.promptCode(fam.indexOf(t)), lp, d));
    double[][] seqs = quantizedSequences(fam, prompts, n);
    TokenSeparation.require(seqs, d, 0, n * Math.sqrt(d), fam.delta() / 2);
    BoltzmannContextualMapping.Choice map = BoltzmannContextualMapping.search(seqs, n, d, lp, n * fam.levels(), seed);
    FeedForwardWeights ff1 = StaircaseQuantizer.weights(d, n, fam.levels());
    Transformer probe = model(fam, n, ff1, map, FeedForwardWeights.zeros(d, 1));
    double[] ids = new double[tables.size() * fam.cells() * fam.L()];
    double[][] targets = new double[ids.length][];
    int at = 0;
    for (int m = 0; m < tables.size(); m++) {
      double[] h = forward(probe, prompts.get(m), fam); // [M·L·d]: with FF_2 off, the attention block's output
      for (int c = 0; c < fam.cells(); c++) {
        for (int j = 0; j < fam.L(); j++, at++) {
          ids[at] = dot(map.u(), h, (c * fam.L() + j) * d);
          targets[at] = new double[d];
          for (int e = 0; e < d; e++) targets[at][e] = tables.get(m)[c][j * d + e] * fam.deltaOut();
        }
      }
    }
    InterpolationLookup.Lookup lookup = InterpolationLookup.build(ids, targets, map.u());
    Transformer model = model(fam, n, ff1, map, lookup.weights());
    return new UniversalBuild(fam, model, prompts, tables, map, lookup, ff1.hidden());
  }

  /** The sequences [P + positions; G + positions] after FF_1 (exact on the grid): what the attention sees. */
  private static double[][] quantizedSequences(QuantizedFamily fam, List<Tensor> prompts, int n) {
    int d = fam.d();
    int lp = n - fam.L();
    double[][] seqs = new double[prompts.size() * fam.cells()][];
    for (int m = 0; m < prompts.size(); m++) {
      double[] p = prompts.get(m).toDoubleArray();
      for (int c = 0; c < fam.cells(); c++) {
        double[] s = new double[n * d];
        double[] g = fam.cellPoint(c);
        for (int k = 0; k < n; k++) {
          for (int e = 0; e < d; e++) s[k * d + e] = k + (k < lp ? p[k * d + e] : g[(k - lp) * d + e]);
        }
        seqs[m * fam.cells() + c] = s;
      }
    }
    return seqs;
  }

  /** The PTLab model: positions, FF_1 block, attention + FF_2 block, weights under the usual names. */
  static Transformer model(QuantizedFamily fam, int n, FeedForwardWeights ff1, BoltzmannContextualMapping.Choice map,
      FeedForwardWeights ff2) {
    int d = fam.d();
    TransformerConfig config = TransformerConfig.builder()
        .maxPositions(n).dModel(d).layers(2).heads(1).headSize(1).mlpHidden(ff1.hidden())
        .positional(Positional.LEARNED)
        .blocks(List.of(new BlockSpec(BlockKind.MLP, ff1.hidden(), 1),
            new BlockSpec(BlockKind.ATTENTION_MLP, ff2.hidden(), 1)))
        .build();
    Map<String, Tensor> w = new LinkedHashMap<>();
    double[] pos = new double[n * d];
    for (int k = 0; k < n; k++) for (int e = 0; e < d; e++) pos[k * d + e] = k;
    w.put("embeddings.position_embeddings.weight", Tensor.of(pos, n, d));
    ff1.putInto(w, 0);
    String a = "encoder.layer.1.attention.";
    double[] q = map.u().clone();
    for (int e = 0; e < d; e++) q[e] *= map.beta(); // scores β·a_k·a_j with scoreScale 1
    w.put(a + "self.query.weight", Tensor.of(q, 1, d));
    w.put(a + "self.key.weight", Tensor.of(map.u().clone(), 1, d));
    w.put(a + "self.value.weight", Tensor.of(map.u().clone(), 1, d));
    double[] out = new double[d];
    out[0] = 1; // boltz into coordinate 0; u_0 = 1 so the id reads it back with weight 1
    w.put(a + "output.dense.weight", Tensor.of(out, d, 1));
    ff2.putInto(w, 1);
    return Transformer.withWeights(config, w, "universal construction");
  }

  /** τ([P, G])_{L_p:} for every cell G of {@code fam}, flattened [M·L·d], batched to bound memory. */
  static double[] forward(Transformer model, Tensor prompt, QuantizedFamily fam) {
    int cells = fam.cells();
    double[] x = new double[cells * fam.entries()];
    for (int c = 0; c < cells; c++) System.arraycopy(fam.cellPoint(c), 0, x, c * fam.entries(), fam.entries());
    return predict(model, prompt, x, cells, fam.L());
  }

  /** τ([P, X_b])_{L_p:} for B inputs x [B·L·d] (rows of d), batched so activations stay bounded. */
  public static double[] predict(Transformer model, Tensor prompt, double[] x, int batch, int L) {
    TransformerConfig c = model.config();
    int d = c.dModel();
    int widest = Math.max(c.mlpHidden(0), c.mlpHidden(1));
    int chunk = Math.max(1, CHUNK_VALUES / (c.maxPositions() * widest));
    double[] out = new double[x.length];
    ForwardHooks hooks = new ForwardHooks() {
      @Override
      public Tensor prompt() {
        return prompt;
      }
    };
    for (int b0 = 0; b0 < batch; b0 += chunk) {
      int b = Math.min(chunk, batch - b0);
      double[] part = java.util.Arrays.copyOfRange(x, b0 * L * d, (b0 + b) * L * d);
      Tensor y = model.forward(ModelInput.ofVectors(Tensor.of(part, b, L, d)), hooks, ForwardMode.EVAL); // [b, L, d]
      System.arraycopy(y.toDoubleArray(), 0, out, b0 * L * d, b * L * d);
    }
    return out;
  }

  /** Runs every member's prompt over every grid cell and compares with its table. */
  static UniversalResult verify(UniversalBuild b) {
    QuantizedFamily fam = b.family();
    double maxError = 0;
    for (int m = 0; m < b.prompts().size(); m++) {
      double[] y = forward(b.model(), b.prompts().get(m), fam);
      int[][] table = b.tables().get(m);
      for (int c = 0; c < fam.cells(); c++) {
        for (int e = 0; e < fam.entries(); e++) {
          double err = Math.abs(y[c * fam.entries() + e] - table[c][e] * fam.deltaOut());
          maxError = Double.isNaN(err) ? Double.POSITIVE_INFINITY : Math.max(maxError, err);
        }
      }
    }
    return new UniversalResult(b, maxError, maxError <= TOLERANCE);
  }

  private static double dot(double[] u, double[] h, int at) {
    double s = 0;
    for (int c = 0; c < u.length; c++) s += u[c] * h[at + c];
    return s;
  }
}
