package org.ptlab.tensor;

/** Element type of a tensor. Theory checks run in {@link #F64}; training on real models in {@link #F32}. */
public enum DType {
  F64(8, "float64"),
  F32(4, "float32");

  private final int bytes;
  private final String label;

  DType(int bytes, String label) {
    this.bytes = bytes;
    this.label = label;
  }

  public int bytes() {
    return bytes;
  }

  @Override
  public String toString() {
    return label;
  }
}
