package org.ptlab.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;

/**
 * libtorch 2.7.1 through DJL 0.35.1 in this JVM, started offline as spec/stack.md verified: {@code ai.djl.offline}
 * and {@code OPT_OUT_TRACKING} are set before the first {@link Engine} call (without them engine start queries a
 * cloud metadata address); {@code PYTORCH_VERSION} is never set (any value but the bundled 2.7.1 forces a
 * download). The natives are extracted once from the pytorch-native-cpu jar into the DJL cache (~/.djl.ai, or
 * ENGINE_CACHE_DIR / DJL_CACHE_DIR).
 */
final class Peer implements AutoCloseable {
  static final String LABEL = "libtorch 2.7.1 via DJL 0.35.1";

  private final Engine engine;
  private final NDManager manager;

  private Peer(Engine engine) {
    this.engine = engine;
    this.manager = engine.newBaseManager();
  }

  /** Starts the engine (the first start in a machine extracts 432 MB of natives). */
  static Peer start() {
    System.setProperty("ai.djl.offline", "true");
    System.setProperty("OPT_OUT_TRACKING", "true"); // DJL reads the env variable or this property
    if (System.getenv("PYTORCH_VERSION") != null) {
      throw new IllegalStateException("PYTORCH_VERSION is set (" + System.getenv("PYTORCH_VERSION")
          + "): unset it, any value other than the bundled 2.7.1 makes DJL download libtorch");
    }
    return new Peer(Engine.getEngine("PyTorch"));
  }

  NDManager manager() {
    return manager;
  }

  /** The version the engine reports (e.g. 2.7.1). */
  String version() {
    return engine.getVersion();
  }

  /** libtorch's intra-op threads (at::set_num_threads), settable at any time. */
  static void threads(int n) {
    JniUtils.setNumThreads(n);
  }

  static int threads() {
    return JniUtils.getNumThreads();
  }

  /** Inter-op threads: only settable before engine start (-Dai.djl.pytorch.num_interop_threads); unused here. */
  static int interopThreads() {
    return JniUtils.getNumInteropThreads();
  }

  /**
   * The contenders of one comparison: PTLab's step (named "ptlab"), then the peer's step at each intra-op thread
   * count (named by the count), each setting its count before its rounds.
   */
  static List<Timing.Contender> contenders(Runnable ours, List<Integer> threadCounts, Runnable theirs) {
    List<Timing.Contender> cs = new ArrayList<>();
    cs.add(new Timing.Contender("ptlab", null, ours));
    for (int t : threadCounts) cs.add(new Timing.Contender(Integer.toString(t), () -> threads(t), theirs));
    return cs;
  }

  @Override
  public void close() {
    manager.close();
  }
}
