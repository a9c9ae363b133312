package org.ptlab.io.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ptlab.io.model.ModelSource;

/**
 * The gpt preset's byte tokenizer written as a tokenizer.json (byte-level BPE, no merges) reads every text to the
 * same ids and back, so a saved gpt folder reads text as the preset does.
 */
class ByteTokenizerJsonTest {
  @TempDir Path dir;

  @Test
  void theJsonFormGivesTheBytesOfEveryText() {
    ByteTokenizer bytes = new ByteTokenizer();
    Tokenizer json = ByteLevelBpeTokenizer.fromJson(new ByteArrayInputStream(ByteTokenizer.tokenizerJson()), "bytes");
    Random r = new Random(11);
    StringBuilder mixed = new StringBuilder();
    for (int i = 0; i < 400; i++) mixed.appendCodePoint(r.nextInt(4) == 0 ? 0x20 + r.nextInt(0x3000) : 0x20 + r.nextInt(95));
    for (String s : new String[] {"hello world", "  two  spaces\n\ttab", "naïve café 🙂", "日本語のテキスト", "it's 42!",
        "<|endoftext|> is plain text here", "\u0000\u0001\u007f", mixed.toString()}) {
      assertArrayEquals(bytes.encode(s), json.encode(s), s);
      assertEquals(s, json.decode(json.encode(s)), s);
    }
    int[] all = new int[256];
    for (int b = 0; b < 256; b++) all[b] = b;
    assertEquals(bytes.decode(all), json.decode(all), "every byte decodes alike, invalid UTF-8 included");
    assertEquals(-1, json.endOfTextId(), "no end-of-text token: generation runs to --max-new-tokens");
  }

  @Test
  void aSavedGptFolderReadsTextAsThePreset() throws Exception {
    ModelSource gpt = ModelSource.of("gpt", Map.of());
    gpt.copyTokenizerTo(dir);
    assertTrue(Files.isRegularFile(dir.resolve("tokenizer.json")));
    Tokenizer saved = TokenizerFiles.read(dir);
    String text = "Prompt: 2+2=4 ✓";
    assertEquals(text.getBytes(StandardCharsets.UTF_8).length, saved.encode(text).length);
    assertArrayEquals(gpt.tokenizer().encode(text), saved.encode(text));
  }
}
