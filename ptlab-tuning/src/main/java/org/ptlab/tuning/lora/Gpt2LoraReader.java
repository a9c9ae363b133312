package org.ptlab.tuning.lora;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.ptlab.io.OneLine;
import org.ptlab.nn.Transformer;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.GradMode;
import org.ptlab.tensor.Tensor;
import org.ptlab.tuning.SavedAdapter;

/**
 * Reads a LoRA adapter whose modules carry GPT-2's names ({@link Gpt2Names}) onto a GPT-2-shaped model, exactly:
 * c_attn's update B·A [3d, d] is split by rows into the query, key and value updates, which share A (lora_A = A,
 * lora_B = rows [0, d), [d, 2d), [2d, 3d) of B) and the file's scaling. A file PTLab wrote records its own
 * per-projection LoRA under "ptlab"."projections": when c_attn's B is still block-diagonal in its parts, each
 * projection gets its own A rows and B block back (the tensors PTLab saved, bit for bit). {@code rank_pattern} and
 * {@code alpha_pattern} are read as PEFT matches them (a key matches a module name that ends with "." + key or is
 * it, as a regular expression); PTLab's LoRA has one rank and one scaling: lower ranks are padded with zeros (the
 * same update), and modules that end up with different scalings are refused, naming them.
 */
final class Gpt2LoraReader {
  /** A GPT-2 module path inside GPT2LMHeadModel (transformer.) or GPT2Model. */
  static final Pattern MODULE = Pattern.compile("(transformer\\.)?h\\.(\\d{1,9})\\.(attn\\.c_attn|attn\\.c_proj|mlp\\.c_fc|mlp\\.c_proj)");
  private static final String A = ".lora_A.weight";
  private static final String B = ".lora_B.weight";

  private Gpt2LoraReader() {}

  /** One PTLab module's LoRA as read: A [rank, in], B [out, rank], the file's scaling for it. */
  private record Part(String module, Tensor a, Tensor b, double scaling, String source) {
    int rank() {
      return a.dim(0);
    }
  }

  /** Whether {@code path} (a key's module path after base_model.model.) is a GPT-2 module of {@code model}. */
  static boolean isModule(String path, Transformer model) {
    Matcher m = MODULE.matcher(path);
    return m.matches() && Integer.parseInt(m.group(2)) < model.config().layers();
  }

  /** The error for a module path that is neither PTLab's nor a GPT-2 module PTLab maps. */
  static IllegalArgumentException unmapped(SavedAdapter a, String path) {
    return a.error("LoRA module " + OneLine.quote(path) + " is not in the model: PTLab maps GPT-2's attn.c_attn, "
        + "attn.c_proj, mlp.c_fc and mlp.c_proj of transformer.h.0 to h." + (a.model().config().layers() - 1));
  }

  /** The LoRA of a file whose stems (key without .lora_A.weight) are GPT-2 module paths (base_model.model.…). */
  static SavedAdapter.Loaded read(SavedAdapter a, List<String> stems, int r, double alpha, double dropout) {
    boolean rs = a.config().path("use_rslora").asBoolean(false);
    Projections own = Projections.of(a);
    DType dt = a.model().config().dtype();
    List<Part> parts = new ArrayList<>();
    Map<String, Tensor> byFileKey = new LinkedHashMap<>(); // the file's tensors, read here to be split
    for (String stem : stems) {
      String path = stem.substring(org.ptlab.tuning.PeftKeys.TUNER.length());
      Matcher m = MODULE.matcher(path);
      if (!m.matches()) throw unmapped(a, path);
      int layer = Integer.parseInt(m.group(2));
      String kind = m.group(3);
      int rank = rankOf(a, path, r);
      double alphaM = alphaOf(a, path, alpha);
      double scaling = rs ? alphaM / Math.sqrt(rank) : alphaM / rank;
      String p = "encoder.layer." + layer + ".";
      int[] w = a.model().parameters().get(kind.equals("attn.c_attn") ? p + "attention.self.query.weight"
          : Gpt2Names.ptlabModule(layer, kind) + ".weight").shape(); // [out, in]
      int out = kind.equals("attn.c_attn") ? 3 * w[0] : w[0];
      a.requireShape(stem + A, rank, w[1]); // the sizes are believed only if the file agrees, before reading
      a.requireShape(stem + B, out, rank);
      Tensor ta = tensor(a, stem + A, dt, rank, w[1]);
      Tensor tb = tensor(a, stem + B, dt, out, rank);
      byFileKey.put(stem + A, ta);
      byFileKey.put(stem + B, tb);
      if (!kind.equals("attn.c_attn")) {
        parts.add(new Part(Gpt2Names.ptlabModule(layer, kind), ta, tb, scaling, path));
      } else {
        split(p, ta, tb, scaling, path, own == null ? null : own.inLayer(p), own == null ? 0 : own.r, parts);
      }
    }
    LoraConfig config = config(a, parts, own, alpha, dropout, rs);
    Lora lora = Lora.create(config, a.model(), a.unusedRng(), true);
    try (GradMode.Scope s = GradMode.noGrad()) {
      for (Part part : parts) {
        lora.trainable().get(Lora.key(part.module(), "lora_A")).copyFrom(part.a());
        lora.trainable().get(Lora.key(part.module(), "lora_B")).copyFrom(part.b());
      }
    }
    return new SavedAdapter.Loaded(lora, byFileKey);
  }

  /**
   * c_attn's LoRA as query/key/value LoRAs. Compact when PTLab's record lists n ≥ 2 projections of this layer, the
   * rank is n·r and B is zero outside its diagonal blocks (what PTLab wrote); else every projection gets A and its
   * rows of B, except one PTLab's record leaves out whose rows are all zero (PTLab wrote no LoRA there).
   */
  private static void split(String p, Tensor a, Tensor b, double scaling, String source, List<Integer> listed,
      int r, List<Part> parts) {
    int rank = a.dim(0);
    int d = a.dim(1);
    if (listed != null && listed.size() >= 2 && rank == listed.size() * r && blockDiagonal(b, listed, r, d)) {
      for (int i = 0; i < listed.size(); i++) {
        int k = listed.get(i);
        Tensor ai = Tensor.zeros(a.dtype(), r, d);
        Tensor bi = Tensor.zeros(a.dtype(), d, r);
        for (int x = 0; x < r * d; x++) ai.setFlat(x, a.getFlat(i * r * d + x));
        for (int o = 0; o < d; o++) {
          for (int j = 0; j < r; j++) bi.setFlat(o * r + j, b.getFlat((k * d + o) * rank + i * r + j));
        }
        parts.add(new Part(p + "attention.self." + Gpt2Names.QKV[k], ai, bi, scaling, source));
      }
      return;
    }
    for (int k = 0; k < 3; k++) {
      Tensor bk = Tensor.zeros(b.dtype(), d, rank);
      boolean zero = true;
      for (int x = 0; x < d * rank; x++) {
        double v = b.getFlat(k * d * rank + x);
        bk.setFlat(x, v);
        zero &= v == 0;
      }
      if (listed != null && !listed.contains(k) && zero) continue;
      parts.add(new Part(p + "attention.self." + Gpt2Names.QKV[k], a, bk, scaling, source));
    }
  }

  /** Whether B [3d, n·r] is zero outside block (listed[i] rows, columns [i·r, (i+1)·r)) for every i. */
  private static boolean blockDiagonal(Tensor b, List<Integer> listed, int r, int d) {
    int rank = b.dim(1);
    for (int row = 0; row < 3 * d; row++) {
      for (int col = 0; col < rank; col++) {
        int i = col / r;
        if (listed.get(i) != row / d && b.getFlat(row * rank + col) != 0) return false;
      }
    }
    return true;
  }

  /**
   * One rank and one scaling for every module: PTLab's recorded LoRA when it gives each module's scaling (to 1e-12,
   * the file's α·n / (n·r) being α/r up to rounding); else, when every module has the same scaling (to 1e-12), the
   * largest rank, lower ranks padded with zero rows of A and zero columns of B (the same update: PTLab's one LoRA
   * holds c_attn's n·r beside c_proj's r after PEFT saved the file again without PTLab's record), and the file's
   * lora_alpha when it gives that scaling at that rank.
   */
  private static LoraConfig config(SavedAdapter a, List<Part> parts, Projections own, double alpha, double dropout,
      boolean rs) {
    Part first = parts.get(0);
    List<String> modules = parts.stream().map(Part::module).toList();
    boolean oneRank = parts.stream().allMatch(p -> p.rank() == first.rank());
    if (oneRank && own != null && own.r == first.rank()) {
      LoraConfig c = new LoraConfig(own.r, own.alpha, dropout, modules, own.rs);
      if (parts.stream().allMatch(p -> close(p.scaling(), c.scaling()))) return c;
    }
    for (Part p : parts) {
      if (!close(p.scaling(), first.scaling())) {
        throw a.error("LoRA on " + OneLine.quote(p.source()) + " has scaling " + p.scaling() + " (rank " + p.rank()
            + ") and on " + OneLine.quote(first.source()) + " " + first.scaling() + " (rank " + first.rank()
            + "), from r, lora_alpha, rank_pattern and alpha_pattern; PTLab's LoRA has one scaling");
      }
    }
    int rank = parts.stream().mapToInt(Part::rank).max().getAsInt();
    parts.replaceAll(p -> pad(p, rank));
    double s = first.scaling();
    boolean fileAlpha = (rs ? alpha / Math.sqrt(rank) : alpha / rank) == s;
    return new LoraConfig(rank, fileAlpha ? alpha : rs ? s * Math.sqrt(rank) : s * rank, dropout, modules, rs);
  }

  private static boolean close(double x, double y) {
    return Math.abs(x - y) <= 1e-12 * Math.abs(y);
  }

  /** {@code p} at rank {@code rank}: A [rank, in] with zero rows after its own, B [out, rank] with zero columns. */
  private static Part pad(Part p, int rank) {
    if (p.rank() == rank) return p;
    int r = p.rank();
    int in = p.a().dim(1);
    int out = p.b().dim(0);
    Tensor a = Tensor.zeros(p.a().dtype(), rank, in);
    Tensor b = Tensor.zeros(p.b().dtype(), out, rank);
    for (int x = 0; x < r * in; x++) a.setFlat(x, p.a().getFlat(x));
    for (int o = 0; o < out; o++) for (int j = 0; j < r; j++) b.setFlat(o * rank + j, p.b().getFlat(o * r + j));
    return new Part(p.module(), a, b, p.scaling(), p.source());
  }

  /**
   * PEFT's rank_pattern / alpha_pattern value for {@code module} (the first key, in file order, that matches the
   * module name as "(.*\.)?(key)$"), else {@code otherwise}.
   */
  private static int rankOf(SavedAdapter a, String module, int otherwise) {
    String field = "rank_pattern";
    JsonNode v = match(a, field, module);
    if (v == null) return otherwise;
    if (!SavedAdapter.isInt(v) || v.asInt() < 1) {
      throw a.error("\"" + field + "\" gives " + OneLine.quote(module) + " " + OneLine.of(v.toString())
          + "; a rank is a positive integer");
    }
    return v.asInt();
  }

  private static double alphaOf(SavedAdapter a, String module, double otherwise) {
    String field = "alpha_pattern";
    JsonNode v = match(a, field, module);
    if (v == null) return otherwise;
    if (!v.isNumber() || !(v.asDouble() > 0) || !Double.isFinite(v.asDouble())) {
      throw a.error("\"" + field + "\" gives " + OneLine.quote(module) + " " + OneLine.of(v.toString())
          + "; an alpha is a number > 0");
    }
    return v.asDouble();
  }

  private static JsonNode match(SavedAdapter a, String field, String module) {
    JsonNode patterns = a.config().get(field);
    if (patterns == null || patterns.isNull()) return null;
    if (!patterns.isObject()) throw a.error("\"" + field + "\" must be an object, got " + OneLine.of(patterns.toString()));
    for (Iterator<Map.Entry<String, JsonNode>> it = patterns.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      Pattern p;
      try {
        p = Pattern.compile("(.*\\.)?(" + e.getKey() + ")");
      } catch (PatternSyntaxException x) {
        throw a.error("\"" + field + "\" key " + OneLine.quote(e.getKey()) + " is not a regular expression");
      }
      if (p.matcher(module).matches()) return e.getValue();
    }
    return null;
  }

  private static Tensor tensor(SavedAdapter a, String key, DType dt, int... shape) {
    try {
      return a.weights().tensor(key, dt, shape);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** PTLab's own LoRA, recorded by {@link Gpt2Names#config}: r, alpha, rsLoRA and the modules. */
  private record Projections(int r, double alpha, boolean rs, List<String> modules) {
    static Projections of(SavedAdapter a) {
      JsonNode p = a.config().path("ptlab").get(Gpt2Names.PROJECTIONS);
      if (p == null || p.isNull()) return null;
      JsonNode r = p.get("r");
      JsonNode alpha = p.get("lora_alpha");
      JsonNode rs = p.get("use_rslora");
      JsonNode modules = p.get("modules");
      boolean ok = SavedAdapter.isInt(r) && r.asInt() >= 1 && alpha != null && alpha.isNumber()
          && alpha.asDouble() > 0 && Double.isFinite(alpha.asDouble()) && rs != null && rs.isBoolean()
          && modules != null && modules.isArray();
      List<String> names = new ArrayList<>();
      if (ok) for (JsonNode m : modules) if (m.isTextual()) names.add(m.asText()); else ok = false;
      if (!ok) {
        throw a.error("\"ptlab\".\"" + Gpt2Names.PROJECTIONS + "\" must hold r (a positive integer), lora_alpha "
            + "(> 0), use_rslora (true or false) and modules (names), got " + OneLine.of(p.toString()));
      }
      return new Projections(r.asInt(), alpha.asDouble(), rs.asBoolean(), names);
    }

    /** The query/key/value projections (0, 1, 2) listed for the layer whose module names start with {@code p}. */
    List<Integer> inLayer(String p) {
      List<Integer> out = new ArrayList<>();
      for (int k = 0; k < 3; k++) if (modules.contains(p + "attention.self." + Gpt2Names.QKV[k])) out.add(k);
      return out;
    }
  }
}
