package org.ptlab.tensor;

import java.util.Arrays;
import org.ptlab.tensor.ops.Attention;
import org.ptlab.tensor.ops.Binary;
import org.ptlab.tensor.ops.Dropout;
import org.ptlab.tensor.ops.Losses;
import org.ptlab.tensor.ops.MatMul;
import org.ptlab.tensor.ops.Norms;
import org.ptlab.tensor.ops.Reduce;
import org.ptlab.tensor.ops.Reshape;
import org.ptlab.tensor.ops.Softmax;
import org.ptlab.tensor.ops.Unary;
import org.ptlab.tensor.random.Rng;

/**
 * A dense, row-major, contiguous tensor of {@link DType#F64} or {@link DType#F32} with reverse-mode autograd.
 *
 * <p>This class is a thin facade: each op lives in {@code org.ptlab.tensor.ops} with its backward rule beside its
 * forward. Storage is one array plus an offset, so reshape and slicing along the first axis are free views.
 *
 * <pre>{@code
 * Tensor w = Tensor.randn(rng, DType.F64, 1.0, 4, 3).requiresGrad(true);
 * Tensor loss = x.matmul(w).relu().sum();
 * loss.backward();            // w.grad() is dL/dw
 * }</pre>
 *
 * <p>Views share storage, and autograd does not check {@link #version()}: do not modify a tensor in place while a
 * graph that saved it is alive (optimizers update parameters between steps, which is fine).
 */
public final class Tensor {
  private final DType dtype;
  private final int[] shape;
  private final double[] f64;
  private final float[] f32;
  private final int offset;
  private final int numel;
  /** Count of in-place writes to the storage, shared by every view of it (see {@link #version()}). */
  private final int[] version;
  /** Values computed from the contents, each valid for one version (see {@link #derived}). */
  private volatile Derived derived;

  private boolean requiresGrad;
  private Tensor grad;
  Node node;
  private String name;

  private Tensor(DType dtype, int[] shape, double[] f64, float[] f32, int offset, int[] version) {
    this(dtype, shape, f64, f32, offset, Shape.numel(shape), version);
  }

  private Tensor(DType dtype, int[] shape, double[] f64, float[] f32, int offset, int numel, int[] version) {
    this.dtype = dtype;
    this.shape = shape;
    this.f64 = f64;
    this.f32 = f32;
    this.offset = offset;
    this.numel = numel;
    this.version = version;
    int cap = f64 != null ? f64.length : f32.length;
    if (offset < 0 || offset + numel > cap) {
      throw new ShapeException("storage of " + cap + " elements too small for shape " + Shape.str(shape)
          + " at offset " + offset);
    }
  }

  // ---- construction -------------------------------------------------------------------------------------------

  /** Wraps {@code data} (not copied) as an F64 tensor. */
  public static Tensor of(double[] data, int... shape) {
    return new Tensor(DType.F64, shape.clone(), data, null, 0, new int[1]);
  }

  /** Wraps {@code data} (not copied) as an F32 tensor. */
  public static Tensor of(float[] data, int... shape) {
    return new Tensor(DType.F32, shape.clone(), null, data, 0, new int[1]);
  }

  /** A view on existing storage: the arrays of {@code base} from {@code offset}. Used by ops for free views. */
  public static Tensor view(Tensor base, int offset, int... shape) {
    return new Tensor(base.dtype, shape.clone(), base.f64, base.f32, offset, base.version);
  }

  public static Tensor zeros(DType dtype, int... shape) {
    int n = Shape.numel(shape);
    int[] s = shape.clone();
    return dtype == DType.F64 ? new Tensor(dtype, s, new double[n], null, 0, n, new int[1])
        : new Tensor(dtype, s, null, new float[n], 0, n, new int[1]);
  }

  public static Tensor full(DType dtype, double value, int... shape) {
    Tensor t = zeros(dtype, shape);
    t.fill(value);
    return t;
  }

  public static Tensor ones(DType dtype, int... shape) {
    return full(dtype, 1.0, shape);
  }

  public static Tensor scalar(DType dtype, double value) {
    return full(dtype, value, new int[0]);
  }

  /** Uniform in [lo, hi). */
  public static Tensor rand(Rng rng, DType dtype, double lo, double hi, int... shape) {
    Tensor t = zeros(dtype, shape);
    for (int i = 0; i < t.numel; i++) t.setFlat(i, lo + (hi - lo) * rng.nextDouble());
    return t;
  }

  /** Normal with mean 0 and standard deviation {@code std}. */
  public static Tensor randn(Rng rng, DType dtype, double std, int... shape) {
    Tensor t = zeros(dtype, shape);
    for (int i = 0; i < t.numel; i++) t.setFlat(i, std * rng.nextGaussian());
    return t;
  }

  // ---- metadata and raw access --------------------------------------------------------------------------------

  public DType dtype() {
    return dtype;
  }

  /** The shape (a copy-free reference: do not modify). */
  public int[] shape() {
    return shape;
  }

  public int rank() {
    return shape.length;
  }

  /** Size of {@code axis} (negative counts from the end). */
  public int dim(int axis) {
    return shape[Shape.axis("dim", axis, shape.length)];
  }

  public int numel() {
    return numel;
  }

  /** Raw F64 storage (null for F32); element 0 is at {@link #offset()}. For kernels. */
  public double[] f64() {
    return f64;
  }

  /** Raw F32 storage (null for F64); element 0 is at {@link #offset()}. For kernels. */
  public float[] f32() {
    return f32;
  }

  public int offset() {
    return offset;
  }

  public double getFlat(int i) {
    return f64 != null ? f64[offset + i] : f32[offset + i];
  }

  public void setFlat(int i, double v) {
    if (f64 != null) f64[offset + i] = v;
    else f32[offset + i] = (float) v;
    version[0]++;
  }

  /** Element at a full index. */
  public double get(int... idx) {
    if (idx.length != shape.length) {
      throw new ShapeException("get: index of rank " + idx.length + " for shape " + Shape.str(shape));
    }
    int flat = 0;
    for (int i = 0; i < idx.length; i++) {
      if (idx[i] < 0 || idx[i] >= shape[i]) {
        throw new ShapeException("get: index " + Arrays.toString(idx) + " out of range for " + Shape.str(shape));
      }
      flat = flat * shape[i] + idx[i];
    }
    return getFlat(flat);
  }

  /** The single value of a one-element tensor. */
  public double item() {
    if (numel != 1) throw new ShapeException("item: tensor of shape " + Shape.str(shape) + " is not a scalar");
    return getFlat(0);
  }

  public double[] toDoubleArray() {
    double[] out = new double[numel];
    for (int i = 0; i < numel; i++) out[i] = getFlat(i);
    return out;
  }

  public float[] toFloatArray() {
    float[] out = new float[numel];
    for (int i = 0; i < numel; i++) out[i] = (float) getFlat(i);
    return out;
  }

  /** Sets every element (in place, no graph). */
  public Tensor fill(double v) {
    if (f64 != null) Arrays.fill(f64, offset, offset + numel, v);
    else Arrays.fill(f32, offset, offset + numel, (float) v);
    markModified();
    return this;
  }

  /** Copies {@code src}'s values into this tensor (in place, no graph; same shape and dtype). */
  public Tensor copyFrom(Tensor src) {
    if (!Arrays.equals(shape, src.shape) || dtype != src.dtype) {
      throw new ShapeException("copyFrom: " + Shape.str(src.shape) + " " + src.dtype + " into "
          + Shape.str(shape) + " " + dtype);
    }
    if (f64 != null) System.arraycopy(src.f64, src.offset, f64, offset, numel);
    else System.arraycopy(src.f32, src.offset, f32, offset, numel);
    markModified();
    return this;
  }

  /** A fresh contiguous copy with no graph. */
  public Tensor copy() {
    return zeros(dtype, shape).copyFrom(this);
  }

  public boolean allFinite() {
    for (int i = 0; i < numel; i++) {
      if (!Double.isFinite(getFlat(i))) return false;
    }
    return true;
  }

  /** An optional name (e.g. a parameter's), used in error messages. */
  public String name() {
    return name;
  }

  public Tensor named(String n) {
    this.name = n;
    return this;
  }

  // ---- in-place writes and values derived from the contents ---------------------------------------------------

  /**
   * The storage's write count: it changes whenever values are written in place through this class ({@link #fill},
   * {@link #copyFrom}, {@link #setFlat}), an {@link org.ptlab.tensor.optim.Optimizer}, or a caller of
   * {@link #markModified}. Views share it with the tensor they view.
   */
  public int version() {
    return version[0];
  }

  /**
   * Records an in-place write made through the raw arrays ({@link #f32()}, {@link #f64()}). Code that modifies an
   * existing tensor's storage directly must call it, so that values derived from the old contents are dropped.
   * (Tensors made by {@link #of} over the same array do not share a counter: write through the one that is used.)
   */
  public void markModified() {
    version[0]++;
  }

  /**
   * A value computed from this tensor's contents and stored under {@code key} by {@link #setDerived} (e.g. a
   * weight packed for the matmul kernel), or null if there is none or the storage has been written since.
   */
  public Object derived(Object key) {
    int v = version[0];
    for (Derived d = derived; d != null; d = d.next) {
      if (d.key == key && d.version == v) return d.value;
    }
    return null;
  }

  /**
   * Stores {@code value}, computed from the contents as they were at version {@code atVersion} (read before
   * computing it, so that a write made meanwhile invalidates it). Entries of older versions are dropped.
   */
  public void setDerived(Object key, Object value, int atVersion) {
    Derived kept = null;
    for (Derived d = derived; d != null; d = d.next) {
      if (d.key != key && d.version == atVersion) kept = new Derived(d.key, d.value, d.version, kept);
    }
    derived = new Derived(key, value, atVersion, kept);
  }

  private record Derived(Object key, Object value, int version, Derived next) {}

  // ---- autograd -----------------------------------------------------------------------------------------------

  public boolean requiresGrad() {
    return requiresGrad;
  }

  /** Marks a leaf as trainable (or not). Only leaves can be switched. */
  public Tensor requiresGrad(boolean on) {
    if (node != null) throw new IllegalStateException("requiresGrad: only leaf tensors can be switched");
    this.requiresGrad = on;
    return this;
  }

  /** Whether this tensor is a leaf (not produced by a recorded op). */
  public boolean isLeaf() {
    return node == null;
  }

  /** The accumulated gradient of a leaf, or null before any backward. */
  public Tensor grad() {
    return grad;
  }

  /** Drops the accumulated gradient. */
  public void zeroGrad() {
    grad = null;
  }

  /** Replaces the accumulated gradient (used by optimizers' clipping and by checkpoint restore). */
  public void setGrad(Tensor g) {
    this.grad = g;
  }

  /** Same storage, cut from the graph. */
  public Tensor detach() {
    return new Tensor(dtype, shape, f64, f32, offset, numel, version);
  }

  /** Backward from a scalar (seed 1). Frees the graph. */
  public void backward() {
    backward(false);
  }

  /** Backward from a scalar (seed 1); keeps the graph for a second backward if {@code retainGraph}. */
  public void backward(boolean retainGraph) {
    if (numel != 1) {
      throw new ShapeException("backward: implicit seed needs a scalar, got shape " + Shape.str(shape)
          + "; pass the seed gradient");
    }
    backward(ones(dtype, shape), retainGraph);
  }

  /** Backward with an explicit seed dL/d(this). */
  public void backward(Tensor seed, boolean retainGraph) {
    if (!requiresGrad) throw new IllegalStateException("backward: tensor does not require grad (no graph)");
    if (!Arrays.equals(seed.shape, shape)) {
      throw new ShapeException("backward: seed shape " + Shape.str(seed.shape) + " != " + Shape.str(shape));
    }
    if (node == null) {
      accumulateGrad(seed);
      return;
    }
    Node.backward(this, seed, retainGraph);
  }

  void accumulateGrad(Tensor g) {
    if (node != null) {
      if (node.gradSum == null) {
        node.gradSum = g; // not ours: another op's output or the seed
        node.gradSumOwned = false;
      } else if (node.gradSumOwned) {
        Binary.addInPlace(node.gradSum, g); // third and later consumers: into the sum made for the second
      } else {
        node.gradSum = Binary.addNoGrad(node.gradSum, g);
        node.gradSumOwned = true;
      }
    } else if (grad == null) {
      grad = g.copy();
    } else {
      Binary.addInPlace(grad, g);
    }
  }

  /**
   * Whether {@link #record} will record an op on these inputs (grad mode on and some input needs a gradient): an op
   * can skip saving what only its backward would use when it will not.
   */
  public static boolean willRecord(Tensor... inputs) {
    if (!GradMode.enabled()) return false;
    for (Tensor t : inputs) {
      if (t != null && t.requiresGrad) return true;
    }
    return false;
  }

  /**
   * Records {@code out} as produced by {@code op} from {@code inputs} when grad mode is on and any input needs a
   * gradient. Returns {@code out}.
   */
  public static Tensor record(Tensor out, String op, Backward rule, Tensor... inputs) {
    boolean any = false;
    for (Tensor t : inputs) any |= t.requiresGrad;
    if (!any || !GradMode.enabled()) return out;
    out.node = new Node(op, inputs, rule);
    out.requiresGrad = true;
    return out;
  }

  // ---- ops facade (see org.ptlab.tensor.ops for formulas and shapes) ------------------------------------------

  public Tensor add(Tensor b) { return Binary.add(this, b); }
  public Tensor sub(Tensor b) { return Binary.sub(this, b); }
  public Tensor mul(Tensor b) { return Binary.mul(this, b); }
  public Tensor div(Tensor b) { return Binary.div(this, b); }
  public Tensor add(double c) { return Unary.affine(this, 1.0, c); }
  public Tensor mul(double c) { return Unary.affine(this, c, 0.0); }
  public Tensor neg() { return Unary.affine(this, -1.0, 0.0); }
  public Tensor exp() { return Unary.exp(this); }
  public Tensor log() { return Unary.log(this); }
  public Tensor sqrt() { return Unary.sqrt(this); }
  public Tensor tanh() { return Unary.tanh(this); }
  public Tensor relu() { return Unary.relu(this); }
  public Tensor gelu() { return Unary.gelu(this); }
  /** GELU over this tensor's own storage, no graph; see {@link Unary#geluInPlace}. */
  public Tensor geluInPlace() { return Unary.geluInPlace(this); }
  /** GELU's tanh approximation (GPT-2's {@code gelu_new}); see {@link org.ptlab.tensor.ops.GeluTanh}. */
  public Tensor geluTanh() { return org.ptlab.tensor.ops.GeluTanh.forward(this); }
  /** {@link #geluTanh} over this tensor's own storage, no graph; see {@link org.ptlab.tensor.ops.GeluTanh#inPlace}. */
  public Tensor geluTanhInPlace() { return org.ptlab.tensor.ops.GeluTanh.inPlace(this); }
  public Tensor square() { return Unary.square(this); }
  public Tensor to(DType t) { return Unary.cast(this, t); }

  public Tensor matmul(Tensor b) { return MatMul.matmul(this, b, false, false); }
  public Tensor matmul(Tensor b, boolean transA, boolean transB) { return MatMul.matmul(this, b, transA, transB); }
  /** this·Wᵀ + bias (bias may be null); see {@link MatMul#linear}. */
  public Tensor linear(Tensor weight, Tensor bias) { return MatMul.linear(this, weight, bias); }

  public Tensor sum() { return Reduce.sumAll(this); }
  public Tensor mean() { return Reduce.meanAll(this); }
  public Tensor sum(int axis, boolean keepDim) { return Reduce.sum(this, axis, keepDim); }
  public Tensor mean(int axis, boolean keepDim) { return Reduce.mean(this, axis, keepDim); }
  public Tensor max(int axis, boolean keepDim) { return Reduce.max(this, axis, keepDim); }

  public Tensor softmax(int axis) { return Softmax.softmax(this, axis); }
  public Tensor logSoftmax(int axis) { return Softmax.logSoftmax(this, axis); }
  public Tensor hardmax(int axis) { return Softmax.hardmax(this, axis); }

  public Tensor reshape(int... newShape) { return Reshape.reshape(this, newShape); }
  public Tensor transpose(int axis1, int axis2) { return Reshape.transpose(this, axis1, axis2); }
  public Tensor slice(int axis, int start, int end) { return Reshape.slice(this, axis, start, end); }
  public static Tensor concat(int axis, Tensor... parts) { return Reshape.concat(axis, parts); }
  public Tensor expand(int... shape) { return Reshape.expand(this, shape); }

  /** Where {@code mask} (broadcastable, nonzero = masked) is set, the value becomes {@code value}. */
  public Tensor maskedFill(Tensor mask, double value) { return Binary.maskedFill(this, mask, value); }

  public Tensor dropout(double p, Rng rng, boolean training) { return Dropout.dropout(this, p, rng, training); }

  public Tensor layerNorm(Tensor gamma, Tensor beta, double eps) { return Norms.layerNorm(this, gamma, beta, eps); }
  /** layerNorm(this + other) without the sum as a tensor (a residual and its layer norm); see {@link Norms}. */
  public Tensor addLayerNorm(Tensor other, Tensor gamma, Tensor beta, double eps) {
    return Norms.addLayerNorm(this, other, gamma, beta, eps);
  }
  /** this ← layerNorm(other + this), no graph; see {@link Norms#addLayerNormInPlace}. */
  public Tensor addLayerNormInPlace(Tensor other, Tensor gamma, Tensor beta, double eps) {
    return Norms.addLayerNormInPlace(this, other, gamma, beta, eps);
  }

  /** Mean cross-entropy of logits [N, C] (or [.., C]) against integer labels (length N). */
  public Tensor crossEntropy(int[] labels) { return Losses.crossEntropy(this, labels); }

  public Tensor mse(Tensor target) { return Losses.mse(this, target); }

  /** Rows of this [V, D] table at {@code ids} → [ids.length, D] (reshape for batches). */
  public Tensor gather(int[] ids) { return Reshape.embedding(this, ids); }

  /** Fused multi-head attention; see {@link Attention#sdpa}. */
  public static Tensor attention(Tensor q, Tensor k, Tensor v, int heads, double scale, Tensor keyMask,
      boolean causal) {
    return Attention.sdpa(q, k, v, heads, scale, keyMask, causal);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Tensor(").append(dtype).append(Shape.str(shape));
    if (requiresGrad) sb.append(", requiresGrad");
    sb.append(", [");
    int show = Math.min(numel, 8);
    for (int i = 0; i < show; i++) sb.append(i > 0 ? ", " : "").append(getFlat(i));
    if (numel > show) sb.append(", …");
    return sb.append("])").toString();
  }
}
