package org.ptlab.io.safetensors;

import static org.ptlab.io.safetensors.SafetensorsException.quote;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.ptlab.io.safetensors.HeaderParser.RawEntry;
import org.ptlab.io.safetensors.SafetensorsFile.Entry;

/**
 * Checks that parsed header entries describe the data region exactly, as the reference reader does: every
 * tensor's byte length is its shape times its dtype size, offsets run forwards and stay inside the region, and
 * the tensors, sorted by offset, tile the region with no overlap and no hole. The reference rejects holes too, so
 * a file accepted here loads everywhere; it also means no byte of the file goes unaccounted for.
 */
final class HeaderChecks {
  private HeaderChecks() {}

  /** The entries in data order (by begin, then end, then name for zero-length tensors sharing an offset). */
  static List<Entry> check(String file, List<RawEntry> raw, long dataLength) {
    List<Entry> entries = new ArrayList<>(raw.size());
    for (RawEntry r : raw) entries.add(checkOne(file, r, dataLength));
    entries.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end).thenComparing(Entry::name));
    long cursor = 0;
    Entry previous = null;
    for (Entry e : entries) {
      if (e.begin() < cursor) {
        throw new SafetensorsException(file + ": tensors " + quote(previous.name()) + " " + span(previous) + " and "
            + quote(e.name()) + " " + span(e) + " overlap");
      }
      if (e.begin() > cursor) {
        throw new SafetensorsException(file + ": data bytes [" + cursor + ", " + e.begin() + ") before tensor "
            + quote(e.name()) + " belong to no tensor (holes are not allowed)");
      }
      cursor = e.end();
      previous = e;
    }
    if (cursor != dataLength) {
      throw new SafetensorsException(file + ": data bytes [" + cursor + ", " + dataLength
          + ") at the end of the file belong to no tensor (holes are not allowed)");
    }
    return entries;
  }

  private static Entry checkOne(String file, RawEntry r, long dataLength) {
    String what = file + ": tensor " + quote(r.name());
    int[] shape = new int[r.shape().length];
    for (int i = 0; i < shape.length; i++) {
      // Tensor dims are ints; a larger dim could only describe an empty tensor or one bigger than any array.
      if (r.shape()[i] > Integer.MAX_VALUE) {
        throw new SafetensorsException(what + ": dimension " + r.shape()[i] + " exceeds " + Integer.MAX_VALUE);
      }
      shape[i] = (int) r.shape()[i];
    }
    String offsets = "data_offsets [" + r.begin() + ", " + r.end() + "]";
    if (r.begin() > r.end()) throw new SafetensorsException(what + ": " + offsets + " has begin > end");
    if (r.end() > dataLength) {
      throw new SafetensorsException(what + ": " + offsets + " reaches past the data region of " + dataLength
          + " bytes");
    }
    long bytes = byteLength(what, shape, r.dtype());
    if (bytes != r.end() - r.begin()) {
      throw new SafetensorsException(what + ": shape " + Arrays.toString(shape) + " of " + r.dtype() + " takes "
          + bytes + " bytes but " + offsets + " span " + (r.end() - r.begin()));
    }
    return new Entry(r.name(), r.dtype().name(), shape, r.begin(), r.end());
  }

  // In long with exact arithmetic: dims come from the file, and a wrapped product could match a small span.
  private static long byteLength(String what, int[] shape, StoredDType dtype) {
    long bits;
    try {
      long numel = 1;
      for (int d : shape) numel = Math.multiplyExact(numel, d);
      bits = Math.multiplyExact(numel, dtype.bits);
    } catch (ArithmeticException e) {
      throw new SafetensorsException(what + ": shape " + Arrays.toString(shape) + " of " + dtype
          + " is larger than 2^63 bits");
    }
    if (bits % 8 != 0) {
      throw new SafetensorsException(what + ": shape " + Arrays.toString(shape) + " of " + dtype + " takes "
          + bits + " bits, not a whole number of bytes");
    }
    return bits / 8;
  }

  private static String span(Entry e) {
    return "[" + e.begin() + ", " + e.end() + "]";
  }
}
