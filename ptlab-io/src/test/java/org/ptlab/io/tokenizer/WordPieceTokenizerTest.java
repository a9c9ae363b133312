package org.ptlab.io.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ptlab.io.datasets.SentimentData;

/**
 * Token-for-token equality with HF tokenizers (through DJL, the test-scope oracle) on every sentence of the
 * sentiment data and on hand-made hard cases, plus every Unicode code point one at a time.
 */
class WordPieceTokenizerTest {
  static HuggingFaceTokenizer hf;
  static WordPieceTokenizer tok;

  @BeforeAll
  static void load() throws IOException {
    try (InputStream in = resource()) {
      hf = HuggingFaceTokenizer.newInstance(in, Map.of());
    }
    tok = WordPieceTokenizer.minilm();
  }

  @AfterAll
  static void close() {
    if (hf != null) hf.close();
  }

  static InputStream resource() {
    return WordPieceTokenizer.class.getClassLoader().getResourceAsStream(WordPieceTokenizer.MINILM_RESOURCE);
  }

  /** The spec's reference ids (spec/model-path.md §2). */
  @Test
  void specSentences() {
    assertArrayEquals(new int[] {101, 1037, 2158, 2003, 2652, 1037, 2858, 1012, 102}, tok.encode("A man is playing a guitar."));
    assertArrayEquals(new int[] {101, 2619, 3248, 1996, 2858, 1012, 102}, tok.encode("Someone plays the guitar."));
    assertArrayEquals(new int[] {101, 1996, 2047, 3185, 2003, 12476, 999, 102}, tok.encode("The new movie is awesome!"));
    assertEquals(List.of("cafe", "naive"), tok.tokenize("Café naïve"));
    assertEquals(List.of("una", "##ffa", "##ble"), tok.tokenize("unaffable"));
    assertEquals(0, tok.padId());
    assertEquals(30522, tok.vocabSize());
    assertEquals(128, tok.maxLength());
    assertEquals(101, tok.id("[CLS]"));
    assertEquals("[SEP]", tok.token(102));
    assertEquals(-1, tok.id("no such token"));
    assertSame(tok, WordPieceTokenizer.minilm());
  }

  @Test
  void everySentimentSentenceMatches() throws IOException {
    Path folder = SentimentData.fetch(SentimentData.defaultCache());
    List<String> texts = new ArrayList<>();
    for (String d : SentimentData.DOMAINS) {
      JsonNode items = new ObjectMapper().readTree(folder.resolve(d + ".json").toFile());
      for (JsonNode item : items) if (!item.path("class").isNull()) texts.add(item.get("text").textValue());
    }
    assertEquals(3000, texts.size());
    int matched = countMatches(texts);
    System.out.println("WordPieceTokenizerTest: " + matched + " of " + texts.size() + " sentiment sentences match HF");
    assertEquals(texts.size(), matched);
  }

  static final List<String> HARD = List.of(
      "Café naïve", "unaffable", "A man is playing a guitar.", "ÀÉÎÕÜ àéîõü ñ ç ø å æ œ ß", "İstanbul ΣΊΣΥΦΟΣ ΟΔΟΣ",
      "北京欢迎你 and 東京", "中文English混合", "日本語のテキスト カタカナ 한국어 텍스트", "𠀀𠀁 𪜀 extension-B",
      "emoji 😀😂👍🏽 ❤️ 🇫🇷 👨‍👩‍👧", "🥲🫠 newer emoji", "ctrl\u0000a\u0001b\u0007c\u001Fd\u007Fe\u0085f\u009Fg",
      "bom\uFEFFin\u200Bside\u200D\u200C\u2060", "replacement \uFFFD char", "private \uE000\uF8FF \uDB80\uDC00",
      "nbsp\u00A0thin\u2009ideo\u3000line\u2028para\u2029narrow\u202Fend", "tab\tnew\nline\r\ncr\u000Bvt\u000Cff",
      "multiple     spaces   here", "  leading and trailing  ", "", " ", "\t\n", "...", "!!!???", "a-b_c/d\\e|f~g^h`i",
      "$100.00 + 3,000,000 = 12:30pm 50% #1 @user", "3.14159 1e-10 0x1F 1,234.56", "don't won't y'all 'quoted' \"dq\"",
      "it’s “smart” ‘quotes’ — em–en dash … ellipsis « guillemets » ¿qué? ¡sí!", "§ ¶ † ‡ • · ° ± × ÷ ™ © ®",
      "ﬁ ﬂ ligatures ﬀ Å Ω K", "x²³ ½ ⅓ ① Ⅳ ⅳ Ⓐ ⓐ", "e\u0301 o\u0308 a\u030A n\u0303 combining",
      "\u0301leading combining mark", "Ǆ ǅ ǆ Ǳ ǲ ǳ", "ΑΒΓ ΆΈΉ ά", "Привет мир ЁЖ", "שלום עולם مرحبا بالعالم",
      "हिन्दी தமிழ் ไทย", "supercalifragilisticexpialidocious antidisestablishmentarianism",
      "a".repeat(100), "a".repeat(101), "ab".repeat(60), "x" + "é".repeat(100), "word " + "z".repeat(150) + " word",
      "[CLS] [SEP] [MASK] [PAD] [UNK]", "a[MASK]b", "[mask] [Mask] [MASK", "[[MASK]]", "[UNK]unk",
      "#hashtag ##double ###", "http://example.com/path?q=1&r=2#frag", "user@example.com", "C++ C# F#",
      "10/10", "The script is\u0085was there a script?", "It's practically perfect \u0096 a true masterpiece",
      "Mr. Smith's 2nd-floor office (room #42) [closed]", "ALL CAPS SHOUTING!!!", "MiXeD cAsE wOrDs",
      "ﾊﾝｶｸ half-width ＦＵＬＬ　ＷＩＤＴＨ", "\uD83D", "lone\uDC00surrogate");

  @Test
  void hardCasesMatch() {
    int matched = countMatches(HARD);
    System.out.println("WordPieceTokenizerTest: " + matched + " of " + HARD.size() + " hard cases match HF");
    for (String s : HARD) assertArrayEquals(hfIds(s, true), tok.encode(s), () -> "encode " + show(s));
    for (String s : HARD) assertArrayEquals(hfIds(s, false), tok.encodePieces(s), () -> "encodePieces " + show(s));
  }

  @Test
  void truncationKeepsSepAt128() {
    String longText = "word ".repeat(300);
    int[] ids = tok.encode(longText);
    assertEquals(128, ids.length);
    assertEquals(101, ids[0]);
    assertEquals(102, ids[127]);
    assertArrayEquals(hfIds(longText, true), ids);
    assertArrayEquals(hfIds(longText, false), tok.encodePieces(longText));
    assertEquals(128, tok.encodePieces(longText).length);
  }

  /** Each code point inside a word, in runs of 40: agrees everywhere, or the test names the few that don't. */
  @Test
  void everyCodePoint() {
    List<Integer> differ = new ArrayList<>();
    int chunk = 40;
    for (int start = 0; start <= Character.MAX_CODE_POINT; start += chunk) {
      String text = run(start, Math.min(Character.MAX_CODE_POINT + 1, start + chunk));
      if (Arrays.equals(hfIds(text, false), tok.encodePieces(text))) continue;
      for (int c = start; c < Math.min(Character.MAX_CODE_POINT + 1, start + chunk); c++) {
        String one = run(c, c + 1);
        if (!Arrays.equals(hfIds(one, false), tok.encodePieces(one))) differ.add(c);
      }
    }
    System.out.println("WordPieceTokenizerTest: " + differ.size() + " code points differ from HF: " + ranges(differ));
    assertTrue(differ.isEmpty(), () -> differ.size() + " code points differ: " + ranges(differ));
  }

  private static String run(int from, int to) {
    StringBuilder sb = new StringBuilder();
    for (int c = from; c < to; c++) {
      if (c >= 0xD800 && c <= 0xDFFF) continue; // surrogates are not characters; see the hard cases for lone ones
      sb.append('a').appendCodePoint(c).append("b "); // inside a word: shows punctuation, marks and controls
    }
    return sb.toString();
  }

  @Test
  void badJsonIsOneLineNamingWhatIsMissing() throws IOException {
    ObjectNode good;
    try (InputStream in = resource()) {
      good = (ObjectNode) new ObjectMapper().readTree(in);
    }
    assertBad("{}", "t.json: no \"model\" object");
    assertBad("[1]", "t.json: not a tokenizer.json: expected a JSON object");
    assertBad("{not json", "t.json: not a tokenizer.json:");
    assertBad(edit(good, g -> ((ObjectNode) g.get("model")).put("type", "BPE")), "\"model\".\"type\" is \"BPE\"; only WordPiece");
    assertBad(edit(good, g -> ((ObjectNode) g.get("model")).remove("vocab")), "no \"vocab\" object");
    assertBad(edit(good, g -> ((ObjectNode) g.get("model")).put("unk_token", "<unk>")), "\"unk_token\" \"<unk>\" is not in the vocab");
    assertBad(edit(good, g -> ((ObjectNode) g.get("model")).remove("unk_token")), "no \"unk_token\"");
    assertBad(edit(good, g -> g.remove("pre_tokenizer")), "no \"pre_tokenizer\"; expected BertPreTokenizer");
    assertBad(edit(good, g -> ((ObjectNode) g.get("pre_tokenizer")).put("type", "Whitespace")), "\"pre_tokenizer\" is Whitespace");
    assertBad(edit(good, g -> ((ObjectNode) g.get("normalizer")).put("type", "NFKC")), "\"normalizer\" is NFKC; only BertNormalizer");
    assertBad(edit(good, g -> ((ObjectNode) g.get("post_processor")).put("type", "RobertaProcessing")), "\"post_processor\" is RobertaProcessing");
    assertBad(edit(good, g -> ((ObjectNode) g.get("added_tokens").get(4)).put("lstrip", true)), "added token \"[MASK]\" sets lstrip");
    assertBad(edit(good, g -> ((ObjectNode) g.get("model").get("vocab")).put("oops", "x")), "\"vocab\" maps \"oops\" to \"x\", not a token id");
  }

  @Test
  void variantsFromTheJsonAreFollowed() throws IOException {
    ObjectNode good;
    try (InputStream in = resource()) {
      good = (ObjectNode) new ObjectMapper().readTree(in);
    }
    // No truncation, no normalizer: cased text goes to WordPiece as typed (most of it becomes [UNK]).
    String noTrunc = edit(good, g -> {
      g.putNull("truncation");
      g.putNull("normalizer");
    });
    WordPieceTokenizer raw = WordPieceTokenizer.fromJson(stream(noTrunc), "raw.json");
    assertEquals(302, raw.encode("word ".repeat(300)).length);
    assertEquals(List.of("[UNK]", "is", "here"), raw.tokenize("Café is here"));
    // BertProcessing instead of a template gives the same ids.
    String bert = edit(good, g -> {
      ObjectNode p = g.putObject("post_processor");
      p.put("type", "BertProcessing");
      p.putArray("sep").add("[SEP]").add(102);
      p.putArray("cls").add("[CLS]").add(101);
    });
    assertArrayEquals(tok.encode("A man is playing a guitar."),
        WordPieceTokenizer.fromJson(stream(bert), "b.json").encode("A man is playing a guitar."));
  }

  private static String edit(ObjectNode good, Consumer<ObjectNode> change) {
    ObjectNode copy = good.deepCopy();
    change.accept(copy);
    return copy.toString();
  }

  private static InputStream stream(String json) {
    return new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
  }

  private static void assertBad(String json, String fragment) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> WordPieceTokenizer.fromJson(stream(json), "t.json"));
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
    assertTrue(e.getMessage().startsWith("t.json: "), e.getMessage());
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
  }

  private static int countMatches(List<String> texts) {
    int matched = 0;
    for (String s : texts) if (Arrays.equals(hfIds(s, true), tok.encode(s))) matched++;
    return matched;
  }

  private static int[] hfIds(String text, boolean special) {
    Encoding e = hf.encode(text, special, false);
    return Arrays.stream(e.getIds()).mapToInt(Math::toIntExact).toArray();
  }

  private static String show(String s) {
    StringBuilder sb = new StringBuilder();
    s.codePoints().forEach(c -> sb.append(c < 0x20 || c > 0x7E ? String.format("\\u{%X}", c) : String.valueOf((char) c)));
    return sb.toString();
  }

  private static String ranges(List<Integer> cps) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < cps.size() && i < 400; ) {
      int j = i;
      while (j + 1 < cps.size() && cps.get(j + 1) == cps.get(j) + 1) j++;
      sb.append(String.format(j > i ? "%X-%X " : "%X ", cps.get(i), cps.get(j)));
      i = j + 1;
    }
    return sb.toString().trim();
  }
}
