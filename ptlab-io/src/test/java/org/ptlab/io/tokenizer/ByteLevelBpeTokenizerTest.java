package org.ptlab.io.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ptlab.io.Json;

/** Byte-level BPE files: both tokenizer.json merge spellings and the encoder.json pair agree; bad files are named. */
class ByteLevelBpeTokenizerTest {
  @TempDir Path dir;

  private static Tokenizer read(Map<String, Object> json) {
    return TokenizerFiles.fromJson(Json.write(json).getBytes(StandardCharsets.UTF_8), "tokenizer.json");
  }

  @Test
  void mergesAsStringsOrPairsAndTheEncoderPairGiveTheSameIds() throws IOException {
    Tokenizer strings = read(TinyBpe.json(false));
    Tokenizer pairs = read(TinyBpe.json(true));
    Map<String, Integer> encoder = TinyBpe.vocab();
    encoder.put("<|endoftext|>", 261); // in GPT-2's encoder.json it is a vocabulary entry
    Files.writeString(dir.resolve("encoder.json"), Json.write(encoder));
    StringBuilder bpe = new StringBuilder("#version: 0.2\n");
    for (String[] m : TinyBpe.MERGES) bpe.append(m[0]).append(' ').append(m[1]).append('\n');
    Files.writeString(dir.resolve("vocab.bpe"), bpe);
    Tokenizer pair = TokenizerFiles.read(dir);
    assertTrue(strings instanceof ByteLevelBpeTokenizer && pair instanceof ByteLevelBpeTokenizer);
    int[] want = {116, 257, 256, 104, 260}; // "the" = t he; " thing" = Ġt h ing
    for (Tokenizer t : new Tokenizer[] {strings, pairs, pair}) {
      assertArrayEquals(want, t.encode("the thing"));
      assertArrayEquals(new int[] {258}, t.encode(" the"));
      assertArrayEquals(new int[] {258, 261, 258}, t.encode(" the<|endoftext|> the"));
      assertEquals(261, t.padId());
      assertEquals(261, t.endOfTextId(), "generation stops at <|endoftext|>");
      for (String s : new String[] {"the thing", "naïve café 🙂\n\tx", "日本語", " <|endoftext|>a"}) {
        assertEquals(s, t.decode(t.encode(s)), s);
      }
    }
  }

  @Test
  void addPrefixSpaceAndDecodingOfCutCharacters() {
    Map<String, Object> json = TinyBpe.json(false);
    edit(json, "pre_tokenizer", m -> m.put("add_prefix_space", true));
    Tokenizer t = read(json);
    assertArrayEquals(new int[] {258}, t.encode("the"));
    assertArrayEquals(new int[] {258}, t.encode(" the"), "no second space");
    byte[] smile = "🙂".getBytes(StandardCharsets.UTF_8);
    assertEquals("\uFFFD", t.decode(new int[] {smile[0] & 0xFF}), "a cut character decodes to U+FFFD");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.decode(new int[] {999}));
    assertTrue(e.getMessage().contains("999"), e.getMessage());
  }

  /** A tokenizer.json with one thing wrong, and what the one-line error must name. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "no merges          | merges",
      "bad merge          | merges\" entry 2",
      "merge not in vocab | merge 6",
      "missing byte       | byte 65",
      "no pre_tokenizer   | pre_tokenizer",
      "whitespace pre     | Whitespace",
      "normalizer         | normalizer",
      "unk token          | unk_token",
      "dropout            | dropout",
      "subword prefix     | continuing_subword_prefix",
      "byte fallback      | byte_fallback",
      "no regex           | use_regex",
      "template           | TemplateProcessing",
      "truncation         | truncation",
      "unigram            | Unigram",
  })
  void badFilesAreRefusedNamingThePart(String what, String names) {
    Map<String, Object> json = TinyBpe.json(false);
    switch (what) {
      case "no merges" -> edit(json, "model", m -> m.remove("merges"));
      case "bad merge" -> edit(json, "model", m -> m.put("merges", java.util.List.of("Ġ t", "h e x")));
      case "merge not in vocab" -> edit(json, "model", m -> m.put("merges", java.util.List.of("Ġ t", "h e",
          "Ġt he", "i n", "in g", "q q")));
      case "missing byte" -> edit(json, "model", m -> ((Map<String, Object>) m.get("vocab")).remove("A"));
      case "no pre_tokenizer" -> json.put("pre_tokenizer", null);
      case "whitespace pre" -> json.put("pre_tokenizer", Map.of("type", "Whitespace"));
      case "normalizer" -> json.put("normalizer", Map.of("type", "NFC"));
      case "unk token" -> edit(json, "model", m -> m.put("unk_token", "<unk>"));
      case "dropout" -> edit(json, "model", m -> m.put("dropout", 0.1));
      case "subword prefix" -> edit(json, "model", m -> m.put("continuing_subword_prefix", "##"));
      case "byte fallback" -> edit(json, "model", m -> m.put("byte_fallback", true));
      case "no regex" -> edit(json, "pre_tokenizer", m -> m.put("use_regex", false));
      case "template" -> json.put("post_processor", Map.of("type", "TemplateProcessing"));
      case "truncation" -> json.put("truncation", Map.of("max_length", 8));
      case "unigram" -> edit(json, "model", m -> m.put("type", "Unigram"));
      default -> throw new IllegalStateException(what);
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> read(json));
    assertTrue(e.getMessage().startsWith("tokenizer.json: ") && e.getMessage().contains(names), e.getMessage());
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
  }

  @Test
  void foldersWithoutATokenizerOrWithHalfAPair() throws IOException {
    assertNull(TokenizerFiles.read(dir));
    Files.writeString(dir.resolve("vocab.bpe"), "#version: 0.2\nĠ t\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TokenizerFiles.read(dir));
    assertTrue(e.getMessage().contains("vocab.bpe without encoder.json"), e.getMessage());
  }

  @Test
  void wordPieceDecodesWithHfsJoiningRules() {
    WordPieceTokenizer wp = WordPieceTokenizer.minilm();
    assertEquals("[CLS] hello, world! it's unaffable. [SEP]", wp.decode(wp.encode("Hello, world! It's unaffable.")));
  }

  @SuppressWarnings("unchecked")
  private static void edit(Map<String, Object> json, String part, Consumer<Map<String, Object>> change) {
    Map<String, Object> copy = new java.util.LinkedHashMap<>((Map<String, Object>) json.get(part));
    change.accept(copy);
    json.put(part, copy);
  }
}
