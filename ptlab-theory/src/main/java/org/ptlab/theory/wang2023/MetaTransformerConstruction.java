package org.ptlab.theory.wang2023;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ptlab.nn.Transformer;
import org.ptlab.nn.TransformerConfig;
import org.ptlab.nn.TransformerConfig.BlockKind;
import org.ptlab.nn.TransformerConfig.BlockSpec;
import org.ptlab.nn.TransformerConfig.Positional;
import org.ptlab.nn.attention.AttentionKernel;
import org.ptlab.tensor.Tensor;
import org.ptlab.theory.hu2025.FeedForwardWeights;
import org.ptlab.theory.hu2025.InterpolationLookup;
import org.ptlab.theory.hu2025.QuantizedFamily;
import org.ptlab.theory.hu2025.StaircaseQuantizer;
import org.ptlab.theory.hu2025.UniversalConstruction;

/**
 * Wang et al.'s universality of prompt tuning (NeurIPS 2023, spec wang2023.md §2.1 "U", check C7) [D]: the hardmax
 * meta-transformer at toy scale, d = m = 1, as an ordinary PTLab {@link Transformer} run with
 * {@link HardmaxAttentionKernel}. Tokens are rows (the paper's columns); with d = 1 the two agree.
 *
 * <p>Stages (Yun et al.'s scheme with the prompt as a function index, N = m_p + m tokens, token k shifted by k so
 * that l_j = z_j separates positions):
 * <ol>
 *   <li>quantization: one attention-free ReLU block, the staircase ⌊z/δ⌋δ on [0, N)
 *       (Yun et al. use d/δ piecewise-linear layers; one wide layer computes the same map);
 *   <li>contextual mapping: K = N/δ attention-only blocks, one per grid value b in increasing order, each Yun's
 *       selective shift with two hardmax heads (query l_j − b ∓ δ/2, key and value l): a token with
 *       |l_j − b| &lt; δ/2 gains c·(max_k l_k − min_k l_k), every other token gains 0. With c = K the shifted token
 *       becomes the new maximum, so the value of the token processed last is an injective code of the whole
 *       sequence (base-c digits). With m = 1 the input token has the largest l and is processed last, so its value
 *       is already the sequence's id: Yun's final global-shift layer (needed for m > 1) is omitted, and m > 1 is
 *       not supported here;
 *   <li>value mapping: Yun et al. use N·δ^{−dN} feed-forward layers, one per id; here one wide ReLU layer
 *       ({@link InterpolationLookup}, Hu et al.'s device) computes the same id → f̄ map.
 * </ol>
 * The family: δ = δ_out = δ_P, |F̄| = (1/δ)^{(1/δ)}, m_p from the counting formula ({@link QuantizedFamily}).
 * All values stay multiples of δ below 2^51 at δ = 1/4, so hardmax arithmetic is exact in float64.
 * {@link #softmax(double)} gives the same weights with softmax attention and scores multiplied by λ (Yun et al.'s
 * replacement of hardmax by a growing temperature).
 */
public final class MetaTransformerConstruction {
  private final QuantizedFamily family;
  private final TransformerConfig config;
  private final Map<String, Tensor> weights;
  private final List<Tensor> prompts;
  private final List<int[][]> tables;
  private final InterpolationLookup.Lookup lookup;

  private MetaTransformerConstruction(QuantizedFamily family, TransformerConfig config, Map<String, Tensor> weights,
      List<Tensor> prompts, List<int[][]> tables, InterpolationLookup.Lookup lookup) {
    this.family = family;
    this.config = config;
    this.weights = weights;
    this.prompts = prompts;
    this.tables = tables;
    this.lookup = lookup;
  }

  /** The whole family at d = m = 1 and grid width δ = 1/levels (δ_out = δ_P = δ). */
  public static MetaTransformerConstruction build(int levels) {
    QuantizedFamily fam = new QuantizedFamily(1, 1, levels, levels, levels);
    if (fam.familySize().compareTo(BigInteger.valueOf(1 << 16)) > 0) {
      throw new IllegalArgumentException("meta-transformer: δ = 1/" + levels + " gives |F̄| = " + fam.familySize()
          + " members; toy scale only (≤ 65536)");
    }
    int n = fam.promptLength() + 1;
    List<int[][]> tables = new ArrayList<>();
    List<Tensor> prompts = new ArrayList<>();
    for (BigInteger i = BigInteger.ZERO; i.compareTo(fam.familySize()) < 0; i = i.add(BigInteger.ONE)) {
      tables.add(fam.member(i));
      prompts.add(Tensor.of(fam.promptCode(i), n - 1, 1));
    }
    Map<String, Tensor> w = weights(fam, n, FeedForwardWeights.zeros(1, 1));
    Transformer probe = hardmax(config(fam, n, 1), w);
    List<double[]> ids = new ArrayList<>();
    List<double[]> targets = new ArrayList<>();
    for (int m = 0; m < tables.size(); m++) {
      double[] h = run(probe, prompts.get(m), fam); // value mapping off: the id of the input token per cell
      for (int c = 0; c < fam.cells(); c++) {
        ids.add(new double[] {h[c]});
        targets.add(new double[] {tables.get(m)[c][0] * fam.deltaOut()});
      }
    }
    double[] flat = new double[ids.size()];
    for (int i = 0; i < flat.length; i++) flat[i] = ids.get(i)[0];
    InterpolationLookup.Lookup lookup = InterpolationLookup.build(flat, targets.toArray(new double[0][]), new double[] {1});
    TransformerConfig config = config(fam, n, lookup.weights().hidden());
    return new MetaTransformerConstruction(fam, config, weights(fam, n, lookup.weights()), prompts, tables, lookup);
  }

  /** Layout: quantizer block, K selective-shift blocks (2 heads of size 1), value-mapping block. */
  private static TransformerConfig config(QuantizedFamily fam, int n, int lookupWidth) {
    int shifts = n * fam.levels();
    int ff1 = StaircaseQuantizer.width(1, shifts);
    List<BlockSpec> blocks = new ArrayList<>();
    blocks.add(new BlockSpec(BlockKind.MLP, ff1, 0));
    for (int i = 0; i < shifts; i++) blocks.add(new BlockSpec(BlockKind.ATTENTION, 0, 2));
    blocks.add(new BlockSpec(BlockKind.MLP, lookupWidth, 0));
    return TransformerConfig.builder().maxPositions(n).dModel(1).layers(shifts + 2).heads(2).headSize(1)
        .mlpHidden(ff1).positional(Positional.LEARNED).attentionBias(true).blocks(blocks).build();
  }

  private static Map<String, Tensor> weights(QuantizedFamily fam, int n, FeedForwardWeights lookup) {
    int shifts = n * fam.levels();
    double delta = fam.delta();
    Map<String, Tensor> w = new LinkedHashMap<>();
    double[] pos = new double[n];
    for (int k = 0; k < n; k++) pos[k] = k;
    w.put("embeddings.position_embeddings.weight", Tensor.of(pos, n, 1));
    StaircaseQuantizer.weights(1, n, fam.levels()).putInto(w, 0);
    for (int i = 0; i < shifts; i++) {
      double b = i * delta;
      String a = "encoder.layer." + (i + 1) + ".attention.";
      w.put(a + "self.query.weight", Tensor.of(new double[] {1, 1}, 2, 1));
      w.put(a + "self.query.bias", Tensor.of(new double[] {-(b - delta / 2), -(b + delta / 2)}, 2));
      for (String m : new String[] {"key", "value"}) {
        w.put(a + "self." + m + ".weight", Tensor.of(new double[] {1, 1}, 2, 1));
        w.put(a + "self." + m + ".bias", Tensor.of(new double[2], 2));
      }
      w.put(a + "output.dense.weight", Tensor.of(new double[] {shifts, -shifts}, 1, 2)); // c·(max − min), c = K
      w.put(a + "output.dense.bias", Tensor.of(new double[1], 1));
    }
    lookup.putInto(w, shifts + 1);
    return w;
  }

  private static Transformer hardmax(TransformerConfig config, Map<String, Tensor> w) {
    Transformer t = Transformer.withWeights(config, w, "meta-transformer");
    t.setAttentionKernel(HardmaxAttentionKernel.INSTANCE);
    return t;
  }

  private static double[] run(Transformer model, Tensor prompt, QuantizedFamily fam) {
    double[] x = new double[fam.cells()];
    for (int c = 0; c < x.length; c++) x[c] = fam.cellPoint(c)[0];
    return UniversalConstruction.predict(model, prompt, x, x.length, 1);
  }

  /** The meta-transformer with hardmax attention. */
  public Transformer hardmaxModel() {
    return hardmax(config, weights);
  }

  /** The same weights with softmax attention and every score multiplied by λ = {@code scoreScale}. */
  public Transformer softmax(double scoreScale) {
    Transformer t = Transformer.withWeights(config.toBuilder().scoreScale(scoreScale).build(), weights,
        "meta-transformer");
    t.setAttentionKernel(AttentionKernel.EXACT);
    return t;
  }

  public QuantizedFamily family() { return family; }
  public List<Tensor> prompts() { return prompts; }
  public List<int[][]> tables() { return tables; }
  public InterpolationLookup.Lookup lookup() { return lookup; }
}
