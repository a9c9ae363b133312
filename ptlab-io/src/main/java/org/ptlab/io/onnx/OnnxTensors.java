package org.ptlab.io.onnx;

import static org.ptlab.io.onnx.OnnxModelException.quote;

import com.google.protobuf.ByteString;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.ptlab.io.onnx.proto.Onnx;
import org.ptlab.tensor.Tensor;

/**
 * One ONNX initializer → a float32 {@link Tensor}, after checking everything the file claims against what the
 * config expects: element type FLOAT, the exact shape, data inside the file, a byte count that matches the shape,
 * finite values. The shape comes from the config, and the data length is checked before any array is allocated,
 * so a corrupt header never makes PTLab allocate more than the file holds.
 */
final class OnnxTensors {
  static final int FLOAT = 1;
  static final int EXTERNAL = 1;

  private OnnxTensors() {}

  /**
   * The values of {@code t}, shaped {@code shape}. With {@code transposed}, the file holds the matrix as [in, out]
   * (ONNX MatMul computes x·W) and the result is PyTorch's [out, in] = Wᵀ.
   *
   * @param t the initializer (not modified)
   * @param target the Hugging Face name the values go to (for messages)
   * @param shape PTLab's shape of that weight
   */
  static Tensor decode(Onnx.TensorProto t, String target, int[] shape, boolean transposed, String source) {
    String what = source + ": initializer " + quote(t.getName())
        + (t.getName().equals(target) ? "" : " (" + target + ")");
    if (t.getDataLocation() == EXTERNAL || t.getExternalDataCount() > 0) {
      throw new OnnxModelException(what + " keeps its data in an external file; PTLab reads self-contained models");
    }
    if (t.getDataType() != FLOAT) {
      throw new OnnxModelException(what + " has data type " + typeName(t.getDataType()) + ", PTLab reads FLOAT");
    }
    if (transposed && shape.length != 2) { // a MatMul whose Add names a norm's or an embedding's bias
      throw new OnnxModelException(what + " is a MatMul's weight, but " + target + " is not a matrix (shape "
          + Arrays.toString(shape) + ")");
    }
    int[] fileShape = transposed ? new int[] {shape[1], shape[0]} : shape;
    if (!sameDims(t, fileShape)) {
      throw new OnnxModelException(what + " has shape " + t.getDimsList() + ", the config needs "
          + Arrays.toString(fileShape) + (transposed ? " ([in, out] of a MatMul)" : ""));
    }
    int n = 1;
    for (int dim : shape) n = Math.multiplyExact(n, dim);
    float[] values = values(t, n, what);
    for (int i = 0; i < n; i++) {
      if (!Float.isFinite(values[i])) {
        throw new OnnxModelException(what + " holds " + values[i] + " at element " + i);
      }
    }
    float[] out = transposed ? transpose(values, fileShape[0], fileShape[1]) : values;
    return Tensor.of(out, shape.clone());
  }

  /** n floats from raw_data (little-endian) or float_data, whichever the file uses; the count must be exact. */
  private static float[] values(Onnx.TensorProto t, int n, String what) {
    ByteString raw = t.getRawData();
    if (!raw.isEmpty() || t.getFloatDataCount() == 0) {
      if (raw.size() != 4L * n) {
        throw new OnnxModelException(what + " has " + raw.size() + " bytes of raw_data, its shape needs " + 4L * n);
      }
      float[] v = new float[n];
      raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
      return v;
    }
    if (t.getFloatDataCount() != n) {
      throw new OnnxModelException(what + " has " + t.getFloatDataCount() + " float_data values, its shape needs " + n);
    }
    float[] v = new float[n];
    for (int i = 0; i < n; i++) v[i] = t.getFloatData(i);
    return v;
  }

  private static boolean sameDims(Onnx.TensorProto t, int[] shape) {
    if (t.getDimsCount() != shape.length) return false;
    for (int i = 0; i < shape.length; i++) if (t.getDims(i) != shape[i]) return false;
    return true;
  }

  /** a [rows, cols] → aᵀ [cols, rows]. */
  private static float[] transpose(float[] a, int rows, int cols) {
    float[] t = new float[a.length];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) t[j * rows + i] = a[i * cols + j];
    }
    return t;
  }

  /** TensorProto.DataType names of the ONNX documentation, for messages. */
  static String typeName(int type) {
    String[] names = {"UNDEFINED", "FLOAT", "UINT8", "INT8", "UINT16", "INT16", "INT32", "INT64", "STRING", "BOOL",
        "FLOAT16", "DOUBLE", "UINT32", "UINT64", "COMPLEX64", "COMPLEX128", "BFLOAT16"};
    return type >= 0 && type < names.length ? names[type] + " (" + type + ")" : String.valueOf(type);
  }
}
