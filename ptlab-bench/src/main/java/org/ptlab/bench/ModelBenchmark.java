package org.ptlab.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.ptlab.cli.Benchmark;
import org.ptlab.io.model.MiniLm;
import org.ptlab.io.model.ModelSource;
import org.ptlab.nn.ForwardHooks;
import org.ptlab.nn.ForwardMode;
import org.ptlab.nn.ModelInput;
import org.ptlab.nn.Transformer;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.GradMode;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;

/**
 * {@code ptlab bench model}: the real all-MiniLM-L6-v2 (weights from its ONNX file). (1) Forward throughput in
 * sentences per second at batch 8 × 32 tokens: PTLab's encoder against ONNX Runtime 1.29.0 running the same ONNX
 * file in this JVM at the same number of intra-op threads, after checking both give the same last_hidden_state;
 * (2) training steps of prompt tuning (m_p = 20) and LoRA (r = 8 on W_q, W_v) on the real weights, against libtorch
 * doing the same math ({@code ptlab bench engine}'s minilm workloads, which use random weights of the same shape),
 * with each step's GFLOP/s ({@link StepFlops}) as a fraction of PTLab's f32 1024³ matmul rate measured in the same
 * run ({@code matmul_peak_gflops}). Items for --only: forward, minilm, lora-minilm.
 */
public final class ModelBenchmark implements Benchmark {
  static final long SEED = 20_261_123L;
  static final int BATCH = 8;
  static final int TOKENS = 32;
  /** Largest |PTLab − ORT| on last_hidden_state that counts as the same computation (float32, 6 layers). */
  static final double SAME_TOL = 1e-4;

  @Override
  public String name() {
    return "model";
  }

  @Override
  public String description() {
    return "real MiniLM: forward sentences/s vs ONNX Runtime 1.29.0; prompt/LoRA training steps vs libtorch";
  }

  @Override
  public ObjectNode run(BenchOptions options, PrintStream log) throws Exception {
    java.util.Set<String> items = new java.util.HashSet<>(List.of("forward", "minilm", "lora-minilm"));
    if (options.only() != null && !options.only().isBlank()) {
      items.clear();
      for (String p : options.only().split(",")) {
        String s = p.trim();
        if (!List.of("forward", "minilm", "lora-minilm").contains(s)) {
          throw new org.ptlab.cli.UserError("--only: unknown item '" + s + "' (forward, minilm, lora-minilm)");
        }
        items.add(s);
      }
    }
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("threads", options.threads());
    double load0 = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    if (items.contains("forward")) out.set("forward", forward(options, log));
    ArrayNode ws = out.putArray("training");
    if (items.contains("minilm") || items.contains("lora-minilm")) {
      List<Integer> peerThreads = new ArrayList<>(new TreeSet<>(List.of(1, 2, options.threads())));
      double peak = matmulPeak(options.quick()); // GFLOP/s of f32 1024³ on --threads, this JVM, just before
      out.put("matmul_peak_gflops", round(peak));
      try (Peer peer = Peer.start()) {
        for (String name : List.of("minilm", "lora-minilm")) {
          if (!items.contains(name)) continue;
          Workloads.Data data = Workloads.buildReal(Workloads.byName(name), SEED);
          ObjectNode o = EngineBenchmark.workload(data, peer, options.threads(), peerThreads, options.quick(), log);
          o.put("steps_per_second", round(1000.0 / o.get("ms_per_step").asDouble()));
          o.put("peer_steps_per_second", round(1000.0 / o.get("peer_ms_per_step").asDouble()));
          double gflop = StepFlops.gflop(Workloads.byName(name));
          double gflops = gflop / (o.get("ms_per_step").asDouble() / 1000);
          o.put("gflop_per_step", round(gflop));
          o.put("gflops", round(gflops));
          o.put("fraction_of_matmul_peak", round(gflops / peak));
          log.printf("%s: %.1f GFLOP/s = %.2f of the %.0f GFLOP/s matmul (f32 1024^3, same threads)%n", name, gflops,
              gflops / peak, peak);
          ws.add(o);
        }
      }
    }
    out.put("jvm", System.getProperty("java.vm.name") + " " + Runtime.version() + ", "
        + Runtime.getRuntime().availableProcessors() + " cpus");
    out.put("heap_pages", Memory.heapPages());
    out.putArray("load_average").add(round(load0))
        .add(round(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
    out.put("quick", options.quick());
    return out;
  }

  /**
   * PTLab's float32 1024×1024·1024×1024 rate on the engine's pool (the --threads of this run): the reference for
   * the training steps' GFLOP/s. Median of at least 9 products after about 1 s of warm-up (0.3 s with --quick).
   */
  static double matmulPeak(boolean quick) {
    Rng rng = new Rng(SEED);
    Tensor a = Tensor.randn(rng, DType.F32, 1.0, 1024, 1024);
    Tensor b = Tensor.randn(rng, DType.F32, 1.0, 1024, 1024);
    long warmEnd = System.nanoTime() + (quick ? 300_000_000L : 1_000_000_000L);
    while (System.nanoTime() < warmEnd) a.matmul(b);
    double[] ms = new double[quick ? 9 : 21];
    for (int i = 0; i < ms.length; i++) {
      long t0 = System.nanoTime();
      a.matmul(b);
      ms[i] = (System.nanoTime() - t0) / 1e6;
    }
    java.util.Arrays.sort(ms);
    return 2.0 * 1024 * 1024 * 1024 / ms[ms.length / 2] / 1e6;
  }

  /** Sentences/s of PTLab's and ORT's forward on the same batch, and their largest output difference. */
  private static ObjectNode forward(BenchOptions options, PrintStream log) throws Exception {
    ModelSource minilm = ModelSource.of(MiniLm.NAME);
    Transformer model = minilm.load(minilm.config(), null);
    int[][] tokens = batch(model.config().vocabSize());
    ModelInput input = ModelInput.ofTokens(tokens);
    Runnable ours = () -> {
      try (GradMode.Scope s = GradMode.noGrad()) {
        model.encode(input, ForwardHooks.NONE, ForwardMode.EVAL);
      }
    };
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    OrtSession.SessionOptions so = new OrtSession.SessionOptions();
    so.setIntraOpNumThreads(options.threads());
    so.setInterOpNumThreads(1);
    try (OrtSession session = env.createSession(MiniLm.onnxBytes(), so)) {
      Map<String, OnnxTensor> feeds = feeds(env, tokens);
      Runnable theirs = () -> {
        try (OrtSession.Result r = session.run(feeds)) {
          r.get(0); // the output tensor is materialised by run
        } catch (Exception e) {
          throw new IllegalStateException("ONNX Runtime failed: " + e.getMessage(), e);
        }
      };
      double diff = maxDiff(model, input, session, feeds);
      log.printf("forward: PTLab vs ONNX Runtime last_hidden_state max |diff| %.3g (same if <= %.0e)%n", diff, SAME_TOL);
      List<Timing.Result> rs = Timing.interleaved(List.of(new Timing.Contender("ptlab", null, ours),
          new Timing.Contender("onnxruntime", null, theirs)), Timing.Budget.steps(options.quick(), false));
      double oursPerS = BATCH / (rs.get(0).medianMs() / 1000);
      double theirsPerS = BATCH / (rs.get(1).medianMs() / 1000);
      log.printf("forward: PTLab %.1f sentences/s (%.2f ms/batch), ONNX Runtime %.1f sentences/s (%.2f ms), ratio "
          + "%.2f%n", oursPerS, rs.get(0).medianMs(), theirsPerS, rs.get(1).medianMs(), oursPerS / theirsPerS);
      ObjectNode o = JsonNodeFactory.instance.objectNode();
      o.put("batch", BATCH);
      o.put("tokens", TOKENS);
      o.put("sentences_per_second", round(oursPerS));
      o.put("peer_sentences_per_second", round(theirsPerS));
      o.put("throughput_ratio", round(oursPerS / theirsPerS));
      o.put("ms_per_batch", round(rs.get(0).medianMs()));
      o.put("peer_ms_per_batch", round(rs.get(1).medianMs()));
      o.put("max_abs_diff", diff);
      o.put("same_output", diff <= SAME_TOL);
      o.put("peer", "ONNX Runtime " + env.getVersion() + " (CPU, intra-op " + options.threads() + ", inter-op 1)");
      o.put("steps_timed", rs.get(0).steps());
      for (OnnxTensor t : feeds.values()) t.close();
      return o;
    }
  }

  /** B sentences of m word-piece ids: [CLS], ids drawn from the real word pieces, [SEP]; no padding. */
  static int[][] batch(int vocab) {
    Rng rng = new Rng(SEED);
    int[][] t = new int[BATCH][TOKENS];
    for (int[] row : t) {
      row[0] = 101;
      for (int j = 1; j < TOKENS - 1; j++) row[j] = 1996 + rng.nextInt(vocab - 1996); // past [unused] and symbols
      row[TOKENS - 1] = 102;
    }
    return t;
  }

  private static Map<String, OnnxTensor> feeds(OrtEnvironment env, int[][] tokens) throws Exception {
    long[] ids = new long[BATCH * TOKENS];
    long[] mask = new long[ids.length];
    for (int i = 0; i < BATCH; i++) {
      for (int j = 0; j < TOKENS; j++) {
        ids[i * TOKENS + j] = tokens[i][j];
        mask[i * TOKENS + j] = 1;
      }
    }
    long[] shape = {BATCH, TOKENS};
    return Map.of("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape),
        "attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape),
        "token_type_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(new long[ids.length]), shape));
  }

  private static double maxDiff(Transformer model, ModelInput input, OrtSession session, Map<String, OnnxTensor> feeds)
      throws Exception {
    double[] ours;
    try (GradMode.Scope s = GradMode.noGrad()) {
      Tensor h = model.encode(input, ForwardHooks.NONE, ForwardMode.EVAL); // [B, m, 384]
      ours = h.toDoubleArray();
    }
    try (OrtSession.Result r = session.run(feeds)) {
      FloatBuffer fb = ((OnnxTensor) r.get(0)).getFloatBuffer();
      double max = 0;
      for (int i = 0; i < ours.length; i++) max = Math.max(max, Math.abs(ours[i] - fb.get(i)));
      return max;
    }
  }

  private static double round(double x) {
    return Math.round(x * 1000.0) / 1000.0;
  }
}
