package org.ptlab.io.safetensors;

import static org.ptlab.io.safetensors.SafetensorsException.quote;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the header JSON into raw entries, checking only its grammar: a top-level object of tensor name →
 * {"dtype", "shape", "data_offsets"} plus an optional "__metadata__" object of strings. Whether the entries fit
 * the data region is {@link HeaderChecks}' job.
 *
 * <p>A streaming parser rather than a tree: the header may be up to 100 MB, and a tree of it could take ten times
 * that; here memory stays proportional to the entries kept. Duplicate keys at any level are rejected (the
 * reference reader would silently keep one of them).
 */
final class HeaderParser {
  static final String METADATA_KEY = "__metadata__";
  /** numpy 2's limit on dimensions; a longer shape is surely an attack, and capping it bounds memory per entry. */
  static final int MAX_RANK = 64;

  private static final JsonFactory JSON = JsonFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();

  /** One tensor as written in the header; offsets are relative to the data region, dims not yet range-checked. */
  record RawEntry(String name, StoredDType dtype, long[] shape, long begin, long end) {}

  record Parsed(List<RawEntry> entries, Map<String, String> metadata) {}

  private final String file;
  private final JsonParser parser;

  private HeaderParser(String file, JsonParser parser) {
    this.file = file;
    this.parser = parser;
  }

  static Parsed parse(String file, byte[] header) {
    checkUtf8(file, header);
    try (JsonParser p = JSON.createParser(header)) {
      return new HeaderParser(file, p).top();
    } catch (JsonProcessingException e) {
      long at = e.getLocation() == null ? -1 : e.getLocation().getByteOffset();
      throw new SafetensorsException(file + ": malformed header JSON: " + e.getOriginalMessage()
          + (at >= 0 ? " (header byte " + at + ")" : ""));
    } catch (IOException e) {
      // The source is a byte array, so only the parser itself can complain; report it as malformed input.
      throw new SafetensorsException(file + ": unreadable header JSON: " + e.getMessage());
    }
  }

  // The format says UTF-8; Jackson alone does not reject every invalid sequence (overlong forms, surrogates).
  private static void checkUtf8(String file, byte[] header) {
    CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(header);
    CharBuffer out = CharBuffer.allocate(4096);
    while (true) {
      CoderResult r = utf8.decode(in, out, true);
      if (r.isError()) {
        throw new SafetensorsException(file + ": header is not valid UTF-8 (header byte " + in.position() + ")");
      }
      if (r.isUnderflow()) return;
      out.clear();
    }
  }

  private Parsed top() throws IOException {
    JsonToken t = parser.nextToken();
    if (t == null) throw fail("header holds no JSON, expected an object");
    if (t != JsonToken.START_OBJECT) throw fail("header is " + describe(t) + ", expected a JSON object");
    List<RawEntry> entries = new ArrayList<>();
    Map<String, String> metadata = null;
    while ((t = parser.nextToken()) == JsonToken.FIELD_NAME) {
      String key = parser.currentName();
      parser.nextToken();
      if (key.equals(METADATA_KEY)) metadata = metadata();
      else entries.add(entry(key));
    }
    if (parser.nextToken() != null) {
      throw fail("content after the header's JSON object (header byte " + tokenByte() + ")");
    }
    return new Parsed(entries, metadata == null ? Map.of() : metadata);
  }

  private Map<String, String> metadata() throws IOException {
    // The reference reads null as "no metadata" (it never writes it); so does PTLab.
    if (parser.currentToken() == JsonToken.VALUE_NULL) return new LinkedHashMap<>();
    if (parser.currentToken() != JsonToken.START_OBJECT) {
      throw fail(METADATA_KEY + " is " + describe(parser.currentToken()) + ", expected an object of strings");
    }
    Map<String, String> out = new LinkedHashMap<>();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String key = parser.currentName();
      JsonToken v = parser.nextToken();
      if (v != JsonToken.VALUE_STRING) {
        throw fail(METADATA_KEY + " value of " + quote(key) + " is " + describe(v) + ", expected a string");
      }
      out.put(key, parser.getText());
    }
    return out;
  }

  private RawEntry entry(String name) throws IOException {
    String what = "tensor " + quote(name);
    if (parser.currentToken() != JsonToken.START_OBJECT) {
      throw fail(what + " is " + describe(parser.currentToken())
          + ", expected an object with dtype, shape and data_offsets");
    }
    StoredDType dtype = null;
    long[] shape = null;
    long[] offsets = null;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken v = parser.nextToken();
      switch (field) {
        case "dtype" -> {
          if (v != JsonToken.VALUE_STRING) throw fail(what + ": dtype is " + describe(v) + ", expected a string");
          dtype = StoredDType.parse(parser.getText());
          if (dtype == null) {
            throw fail(what + " has unknown dtype " + quote(parser.getText()) + " (known: " + StoredDType.known() + ")");
          }
        }
        case "shape" -> shape = naturals(what + ": shape", MAX_RANK);
        case "data_offsets" -> offsets = naturals(what + ": data_offsets", 2);
        default -> throw fail(what + " has unknown field " + quote(field) + " (expected dtype, shape, data_offsets)");
      }
    }
    if (dtype == null) throw fail(what + " has no dtype");
    if (shape == null) throw fail(what + " has no shape");
    if (offsets == null) throw fail(what + " has no data_offsets");
    return new RawEntry(name, dtype, shape, offsets[0], offsets[1]);
  }

  /** A JSON array of at most {@code max} non-negative integers that fit a long (the format's are u64). */
  private long[] naturals(String what, int max) throws IOException {
    if (parser.currentToken() != JsonToken.START_ARRAY) {
      throw fail(what + " is " + describe(parser.currentToken()) + ", expected an array of integers");
    }
    long[] out = new long[Math.min(max, 4)];
    int n = 0;
    JsonToken t;
    while ((t = parser.nextToken()) != JsonToken.END_ARRAY) {
      if (t != JsonToken.VALUE_NUMBER_INT) throw fail(what + " holds " + describe(t) + ", expected integers");
      if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
        throw fail(what + " holds " + parser.getText() + ", beyond any file size");
      }
      long v = parser.getLongValue();
      if (v < 0) throw fail(what + " holds a negative number (" + v + ")");
      if (n == max) throw fail(what + " has more than " + max + " numbers");
      if (n == out.length) out = Arrays.copyOf(out, Math.min(max, 2 * n));
      out[n++] = v;
    }
    if (max == 2 && n != 2) throw fail(what + " holds " + n + " of 2 numbers [begin, end]");
    return Arrays.copyOf(out, n);
  }

  private long tokenByte() {
    return parser.currentTokenLocation().getByteOffset();
  }

  private SafetensorsException fail(String message) {
    return new SafetensorsException(file + ": " + message);
  }

  private static String describe(JsonToken t) {
    if (t == null) return "missing";
    return switch (t) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT -> "an integer";
      case VALUE_NUMBER_FLOAT -> "a non-integer number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> t.asString() == null ? t.name() : t.asString();
    };
  }
}
