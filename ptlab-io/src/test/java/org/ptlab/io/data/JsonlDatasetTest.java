package org.ptlab.io.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ptlab.io.tokenizer.Tokenizer;

/** Each accepted line kind, and the metadata inferred from a file. */
class JsonlDatasetTest {
  @TempDir Path dir;

  private Dataset read(String content, Tokenizer tokenizer) {
    return JsonlDataset.read(Files2.write(dir, "d.jsonl", content), tokenizer);
  }

  @Test
  void tokensWithLabels() {
    Dataset d = read("{\"tokens\":[101,7,102],\"label\":1}\n{\"tokens\":[5],\"label\":3}\n", null);
    assertEquals(2, d.size());
    assertEquals(InputKind.TOKENS, d.inputKind());
    assertEquals(TargetKind.LABEL, d.targetKind());
    assertEquals(4, d.numClasses()); // max label + 1
    assertEquals(0, d.targetDim());
    assertEquals(3, d.maxLength());
    assertArrayEquals(new int[] {101, 7, 102}, d.get(0).tokens());
    assertEquals(1, d.get(0).label());
    assertNull(d.get(0).text());
    assertEquals(2, d.get(1).line());
  }

  @Test
  void textIsTokenizedWithSpecialTokensAndKept() {
    Dataset d = read("{\"text\":\"a fine film\",\"label\":0}\n{\"tokens\":[1,4,2],\"label\":1}\n", new ToyTokenizer());
    assertArrayEquals(new int[] {ToyTokenizer.CLS, 3, 3 + 5, 3 + 5, ToyTokenizer.SEP}, d.get(0).tokens());
    assertEquals("a fine film", d.get(0).text());
    assertEquals(InputKind.TOKENS, d.inputKind()); // "text" and "tokens" lines both give token ids
  }

  @Test
  void inputsWithPerPositionTarget() {
    Dataset d = read("{\"inputs\":[[0.1,0.2],[0.3,0.4],[0.5,0.6]],\"target\":[[1,0,0],[0,1,0],[0,0,1]]}\n", null);
    Example ex = d.get(0);
    assertEquals(InputKind.VECTORS, d.inputKind());
    assertEquals(2, d.inputDim());
    assertEquals(TargetKind.PER_POSITION, d.targetKind());
    assertEquals(3, d.targetDim());
    assertArrayEquals(new double[] {0.3, 0.4}, ex.inputs()[1]);
    Target.PerPosition t = assertInstanceOf(Target.PerPosition.class, ex.target());
    assertEquals(3, t.positions());
    assertEquals(1.0, t.at(1, 1));
    assertEquals(0.0, t.at(1, 2));
    assertEquals(-1, ex.label());
  }

  @Test
  void perSequenceTargetAsArrayOrNumber() {
    Dataset arr = read("{\"inputs\":[[1]],\"target\":[0.5,-2]}\n", null);
    assertArrayEquals(new double[] {0.5, -2}, ((Target.PerSequence) arr.get(0).target()).values());
    assertEquals(2, arr.targetDim());
    Dataset num = read("{\"tokens\":[3],\"target\":0.25}\n{\"tokens\":[4],\"target\":1e-3}\n", null);
    assertEquals(TargetKind.PER_SEQUENCE, num.targetKind());
    assertEquals(1, num.targetDim());
    assertArrayEquals(new double[] {1e-3}, ((Target.PerSequence) num.get(1).target()).values());
  }

  @Test
  void unlabelledNullFieldsAndExtraFields() {
    Dataset d = read("{\"tokens\":[3],\"label\":null,\"id\":\"x-1\"}\n{\"tokens\":[4,5],\"meta\":{\"a\":1}}\n", null);
    assertEquals(TargetKind.NONE, d.targetKind());
    assertEquals(0, d.numClasses());
    assertEquals(-1, d.get(0).label());
  }

  @Test
  void blankLinesSkippedAndLinesCountedCrlfAndBom() {
    Dataset d = read("\uFEFF{\"tokens\":[1],\"label\":0}\r\n\r\n   \r\n{\"tokens\":[2],\"label\":1}\r\n\n", null);
    assertEquals(2, d.size());
    assertEquals(1, d.get(0).line());
    assertEquals(4, d.get(1).line());
    assertEquals(d.source() + ":4", d.where(1));
  }
}
