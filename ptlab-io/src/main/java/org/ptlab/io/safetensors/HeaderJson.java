package org.ptlab.io.safetensors;

import static org.ptlab.io.safetensors.SafetensorsException.quote;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.ptlab.tensor.Tensor;

/**
 * The header a writer emits, spelled as the reference implementation's serde_json spells it (compact, keys in
 * its order, its string escapes) so PTLab and the reference produce identical bytes. Written by hand rather than
 * through Jackson because Jackson escapes control characters in upper-case hex, serde_json in lower case.
 */
final class HeaderJson {
  private HeaderJson() {}

  /** One tensor to write, in the dtype it will be stored as. */
  record Item(String name, StoredDType dtype, Tensor tensor) {}

  /**
   * {@code items} in file order: the reference's descending alignment, then name by UTF-8 bytes (Rust's string
   * order, which differs from {@link String#compareTo} beyond the Basic Multilingual Plane).
   */
  static List<Item> fileOrder(String file, List<Item> items) {
    record Keyed(Item item, byte[] name) {}
    List<Keyed> keyed = new ArrayList<>();
    for (Item item : items) {
      if (item.name().equals(HeaderParser.METADATA_KEY)) {
        throw new SafetensorsException(file + ": tensor name " + quote(item.name()) + " is reserved for metadata");
      }
      keyed.add(new Keyed(item, utf8(file, "tensor name", item.name())));
    }
    keyed.sort(Comparator.comparing((Keyed k) -> k.item().dtype(), Comparator.reverseOrder())
        .thenComparing(Keyed::name, Arrays::compareUnsigned));
    return keyed.stream().map(Keyed::item).toList();
  }

  /**
   * The padded header for {@code items}, already in {@link #fileOrder}. Metadata keys are sorted, since the
   * reference's own order (a hash map's) is not reproducible.
   */
  static byte[] build(String file, List<Item> items, Map<String, String> metadata) {
    StringBuilder json = new StringBuilder("{");
    if (!metadata.isEmpty()) {
      json.append("\"").append(HeaderParser.METADATA_KEY).append("\":{");
      String sep = "";
      for (Map.Entry<String, String> kv : new TreeMap<>(metadata).entrySet()) {
        if (kv.getValue() == null) throw new SafetensorsException(file + ": metadata " + quote(kv.getKey()) + " is null");
        utf8(file, "metadata", kv.getKey());
        utf8(file, "metadata", kv.getValue());
        json.append(sep).append(string(kv.getKey())).append(':').append(string(kv.getValue()));
        sep = ",";
      }
      json.append('}');
    }
    long offset = 0;
    for (Item item : items) {
      long end = Math.addExact(offset, (long) item.tensor().numel() * item.dtype().bytes());
      if (json.length() > 1) json.append(',');
      json.append(string(item.name())).append(":{\"dtype\":\"").append(item.dtype().name()).append("\",\"shape\":[");
      int[] shape = item.tensor().shape();
      for (int i = 0; i < shape.length; i++) json.append(i > 0 ? "," : "").append(shape[i]);
      json.append("],\"data_offsets\":[").append(offset).append(',').append(end).append("]}");
      offset = end;
    }
    json.append('}');
    byte[] raw = json.toString().getBytes(StandardCharsets.UTF_8);
    byte[] padded = Arrays.copyOf(raw, (raw.length + 7) / 8 * 8);   // the reference pads with spaces to 8
    Arrays.fill(padded, raw.length, padded.length, (byte) ' ');
    return padded;
  }

  // serde_json's escapes: quote, backslash, \b \t \n \f \r, other controls as lower-case \\u00xx; nothing else.
  private static String string(String s) {
    StringBuilder out = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\t' -> out.append("\\t");
        case '\n' -> out.append("\\n");
        case '\f' -> out.append("\\f");
        case '\r' -> out.append("\\r");
        default -> {
          if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
          else out.append(c);
        }
      }
    }
    return out.append('"').toString();
  }

  // String.getBytes would turn an unpaired surrogate into '?' silently, writing a different name than asked.
  private static byte[] utf8(String file, String what, String s) {
    try {
      ByteBuffer encoded = StandardCharsets.UTF_8.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).encode(CharBuffer.wrap(s));
      byte[] out = new byte[encoded.remaining()];
      encoded.get(out);
      return out;
    } catch (CharacterCodingException e) {
      throw new SafetensorsException(file + ": " + what + " " + quote(s) + " is not valid Unicode (unpaired surrogate)");
    }
  }
}
