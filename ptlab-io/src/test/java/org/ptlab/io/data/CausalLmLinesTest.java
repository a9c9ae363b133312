package org.ptlab.io.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ptlab.io.tokenizer.ByteTokenizer;
import org.ptlab.io.tokenizer.Tokenizer;

/** Causal-LM lines as Hugging Face and TRL users bring them: per-token "labels" and prompt-completion pairs. */
class CausalLmLinesTest {
  @TempDir Path dir;

  private Dataset read(String content, Tokenizer tokenizer) {
    return JsonlDataset.read(Files2.write(dir, "d.jsonl", content), tokenizer);
  }

  @Test
  void labelsWithInputIdsOrTokens() {
    Dataset d = read("{\"input_ids\":[5,6,7,8],\"labels\":[-100,-100,7,8]}\n{\"tokens\":[1,2],\"labels\":[1,2]}\n", null);
    assertEquals(TargetKind.TOKEN_LABELS, d.targetKind());
    assertArrayEquals(new int[] {5, 6, 7, 8}, d.get(0).tokens());
    Target.TokenLabels t = assertInstanceOf(Target.TokenLabels.class, d.get(0).target());
    assertArrayEquals(new int[] {-100, -100, 7, 8}, t.labels());
    assertEquals(2, t.answerStart());
    assertArrayEquals(new int[] {7, 8}, t.answer());
  }

  @Test
  void labelsWithText() {
    Dataset d = read("{\"text\":\"ab\",\"labels\":[-100,98]}\n", new ByteTokenizer());
    assertArrayEquals(new int[] {97, 98}, d.get(0).tokens());
    assertArrayEquals(new int[] {-100, 98}, ((Target.TokenLabels) d.get(0).target()).labels());
  }

  /** TRL: the model reads encode(prompt + completion); positions of encode(prompt) are -100, the rest are scored. */
  @Test
  void promptCompletionMasksThePromptAsTrlDoes() {
    Dataset d = read("{\"prompt\":\"2+2=\",\"completion\":\"4!\"}\n", new ByteTokenizer());
    Example ex = d.get(0);
    assertArrayEquals(new int[] {'2', '+', '2', '=', '4', '!'}, ex.tokens());
    Target.TokenLabels t = (Target.TokenLabels) ex.target();
    assertArrayEquals(new int[] {-100, -100, -100, -100, '4', '!'}, t.labels());
    assertEquals(4, t.answerStart());
    assertArrayEquals(new int[] {'4', '!'}, t.answer());
    assertEquals("2+2=4!", ex.text());
  }

  /** Non-ASCII text: UTF-8 bytes, and a later run of -100s ends the answer that exact match compares. */
  @Test
  void bytesOfUtf8AndTheFirstScoredRun() {
    assertArrayEquals(new int[] {0xC3, 0xA9}, new ByteTokenizer().encode("é"));
    assertEquals("é", new ByteTokenizer().decode(new int[] {0xC3, 0xA9}));
    Target.TokenLabels t = new Target.TokenLabels(new int[] {-100, 3, 4, -100, 6});
    assertArrayEquals(new int[] {3, 4}, t.answer());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"tokens\":[1,2,3],\"labels\":[-100,2]}|\"labels\" has 2 entries but the input has 3 tokens",
      "{\"tokens\":[1,2],\"labels\":[-100,-5]}|\"labels\"[1] must be a token id or -100 (ignored), got a number -5",
      "{\"tokens\":[1,2],\"labels\":[1,-100]}|\"labels\" score no token",
      "{\"tokens\":[1,2],\"labels\":\"x\"}|\"labels\" must be an array",
      "{\"tokens\":[1,2],\"labels\":[1,2],\"label\":0}|both \"labels\" and \"label\" or \"target\"",
      "{\"inputs\":[[0.5]],\"labels\":[1]}|\"labels\" are per-token language-model labels: they need token ids",
      "{\"prompt\":\"a\"}|\"prompt\" without \"completion\"",
      "{\"completion\":\"a\"}|\"completion\" without \"prompt\"",
      "{\"prompt\":\"a\",\"completion\":\"\"}|\"completion\" is empty",
      "{\"prompt\":\"a\",\"completion\":\"b\",\"text\":\"c\"}|\"prompt\"/\"completion\" with \"text\"",
      "{\"prompt\":\"a\",\"completion\":3}|\"completion\" must be a string",
  })
  void badLinesAreNamed(String line, String message) {
    DataException e = assertThrows(DataException.class, () -> read("{\"tokens\":[1,2],\"labels\":[1,2]}\n" + line + "\n",
        new ByteTokenizer()));
    assertTrue(e.getMessage().startsWith(dir.resolve("d.jsonl") + ":2: " + message), e.getMessage());
  }

  @Test
  void aPromptCompletionLineNeedsATokenizer() {
    DataException e = assertThrows(DataException.class, () -> read("{\"prompt\":\"a\",\"completion\":\"b\"}\n", null));
    assertTrue(e.getMessage().contains("\"prompt\" needs a tokenizer"), e.getMessage());
  }

  @Test
  void labelsMustFitTheVocabulary() {
    Dataset d = read("{\"tokens\":[1,2],\"labels\":[-100,300]}\n", null);
    DataException e = assertThrows(DataException.class, () -> d.validateFor(256, 0, 0));
    assertTrue(e.getMessage().endsWith(":1: \"labels\"[1] is 300, not below the model's vocabulary size 256"), e.getMessage());
  }

  /** The gpt preset's 256-entry vocabulary is the bytes; with a smaller vocabulary it reads token ids only. */
  @Test
  void theGptPresetReadsUtf8Bytes() throws Exception {
    assertInstanceOf(ByteTokenizer.class, org.ptlab.io.model.ModelSource.of("gpt").tokenizer());
    assertEquals(null, org.ptlab.io.model.ModelSource.of("gpt", java.util.Map.of("vocabSize", "100")).tokenizer());
    assertEquals(null, org.ptlab.io.model.ModelSource.of("bert").tokenizer());
  }
}
