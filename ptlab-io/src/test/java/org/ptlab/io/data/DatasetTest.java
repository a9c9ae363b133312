package org.ptlab.io.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks of a dataset against a model, and datasets built in code. */
class DatasetTest {
  @TempDir Path dir;

  private Path file(String content) {
    return Files2.write(dir, "d.jsonl", content);
  }

  @Test
  void tokenIdAtOrAboveVocabularyNamesTheLine() {
    Path f = file("{\"tokens\":[1,2],\"label\":0}\n\n{\"tokens\":[1,30522],\"label\":1}\n");
    Dataset d = JsonlDataset.read(f, null);
    d.validateFor(30523, 512, 0);
    DataException e = assertThrows(DataException.class, () -> d.validateFor(30522, 512, 0));
    assertEquals(f + ":3: token id 30522 at position 1 is not below the model's vocabulary size 30522", e.getMessage());
  }

  @Test
  void sequenceLongerThanThePositionsLeftNamesTheLine() {
    Path f = file("{\"tokens\":[1,2,3],\"label\":0}\n{\"tokens\":[1,2,3,4,5],\"label\":1}\n");
    Dataset d = JsonlDataset.read(f, null);
    d.validateFor(10, 5, 0);
    d.validateFor(10, 0, 0); // 0: no position limit
    DataException e = assertThrows(DataException.class, () -> d.validateFor(10, 4, 0));
    assertEquals(f + ":2: sequence of 5 positions does not fit the 4 positions the model has for it", e.getMessage());
  }

  @Test
  void inputKindAndWidthMustMatchTheModel() {
    Path f = file("{\"inputs\":[[1,2,3]],\"target\":[[0]]}\n");
    Dataset vectors = JsonlDataset.read(f, null);
    vectors.validateFor(0, 0, 3);
    assertEquals(f + ":1: \"inputs\" rows have 3 numbers but the model's input dimension is 4",
        assertThrows(DataException.class, () -> vectors.validateFor(0, 0, 4)).getMessage());
    assertTrue(assertThrows(DataException.class, () -> vectors.validateFor(100, 0, 0)).getMessage()
        .contains("the model reads token ids"));
    Dataset tokens = JsonlDataset.read(file("{\"tokens\":[1]}\n"), null);
    assertTrue(assertThrows(DataException.class, () -> tokens.validateFor(0, 0, 8)).getMessage()
        .contains("the model has no token embedding"));
  }

  @Test
  void classesMustFitAnExistingHead() {
    Path f = file("{\"tokens\":[1],\"label\":0}\n{\"tokens\":[1],\"label\":2}\n");
    Dataset d = JsonlDataset.read(f, null);
    d.validateClasses(3);
    assertEquals(f + ":2: label 2 is not below the head's 2 classes",
        assertThrows(DataException.class, () -> d.validateClasses(2)).getMessage());
  }

  @Test
  void builtInCodeInfersMetadataAndRejectsMixedExamples() {
    Dataset d = Dataset.of("toy", List.of(Example.ofTokens(new int[] {1, 2}, 0), Example.ofTokens(new int[] {3}, 4)));
    assertEquals(5, d.numClasses());
    assertEquals("toy: example 1", d.where(1));
    DataException e = assertThrows(DataException.class, () -> Dataset.of("toy", List.of(
        Example.ofTokens(new int[] {1}, 0),
        Example.ofInputs(new double[][] {{1.0}}, Target.None.INSTANCE))));
    assertTrue(e.getMessage().startsWith("toy: example 1: uses \"inputs\" but example 0 uses token ids"), e.getMessage());
    assertEquals("toy: no examples", assertThrows(DataException.class, () -> Dataset.of("toy", List.of())).getMessage());
  }

  @Test
  void examplesRejectInconsistentShapes() {
    assertThrows(IllegalArgumentException.class, () -> new Example(null, null, Target.None.INSTANCE, null, 0));
    assertThrows(IllegalArgumentException.class, () -> Example.ofInputs(new double[][] {{1, 2}, {3}}, Target.None.INSTANCE));
    assertThrows(IllegalArgumentException.class,
        () -> Example.ofInputs(new double[][] {{1}}, new Target.PerPosition(new double[] {1, 2}, 2, 1)));
    assertThrows(IllegalArgumentException.class, () -> Example.ofTokens(new int[0], 0));
  }

  @Test
  void subsetKeepsTheParentsMetadata() {
    Dataset d = Dataset.of("toy", List.of(Example.ofTokens(new int[] {1}, 0), Example.ofTokens(new int[] {1, 2}, 3)));
    Dataset first = d.subset(new int[] {0});
    assertEquals(4, first.numClasses()); // the head is sized from the whole file, not the split
    assertEquals(1, first.maxLength());
  }
}
