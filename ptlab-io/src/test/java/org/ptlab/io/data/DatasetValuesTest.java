package org.ptlab.io.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ptlab.tensor.DType;

/** Input and target values checked against the dtype of the model they meet, naming FILE:LINE and the field. */
class DatasetValuesTest {
  @TempDir Path dir;

  @Test
  void aValueBeyondFloat32IsRefusedForAFloat32ModelOnly() {
    Path f = Files2.write(dir, "d.jsonl", "{\"inputs\":[[1,2],[3,4]],\"label\":0}\n"
        + "{\"inputs\":[[1,2],[3,-1e39]],\"label\":1}\n");
    Dataset d = JsonlDataset.read(f, null);
    d.validateFor(0, 0, 2, DType.F64); // a float64 model holds it
    d.validateFor(0, 0, 2);
    DataException e = assertThrows(DataException.class, () -> d.validateFor(0, 0, 2, DType.F32));
    assertEquals(f + ":2: \"inputs\"[1][1] is -1.0E39, beyond the range of the model's float32 (|x| <= 3.4028235E38)",
        e.getMessage());
  }

  @Test
  void targetsAreCheckedToo() {
    Path f = Files2.write(dir, "t.jsonl", "{\"inputs\":[[1],[2]],\"target\":[[0],[1e39]]}\n"
        + "{\"inputs\":[[1]],\"target\":[[-4e38]]}\n");
    Dataset d = JsonlDataset.read(f, null);
    DataException e = assertThrows(DataException.class, () -> d.validateFor(0, 0, 1, DType.F32));
    assertEquals(f + ":1: \"target\"[1][0] is 1.0E39, beyond the range of the model's float32 (|x| <= 3.4028235E38) "
        + "(and 1 more problem)", e.getMessage());
    assertEquals(f + ":2: \"target\"[0][0] is -4.0E38, beyond the range of the model's float32 (|x| <= "
        + "3.4028235E38)", e.problems().get(1));
    Path g = Files2.write(dir, "s.jsonl", "{\"inputs\":[[1]],\"target\":[0, 5e38]}\n");
    assertEquals(g + ":1: \"target\"[1] is 5.0E38, beyond the range of the model's float32 (|x| <= 3.4028235E38)",
        assertThrows(DataException.class, () -> JsonlDataset.read(g, null).validateFor(0, 0, 1, DType.F32))
            .getMessage());
  }

  /** Readers refuse NaN in files; a dataset built in code is checked when it meets the model. */
  @Test
  void aNaNBuiltInCodeIsRefused() {
    Dataset d = Dataset.of("toy", List.of(Example.ofInputs(new double[][] {{1, Double.NaN}}, Target.None.INSTANCE)));
    assertEquals("toy: example 0: \"inputs\"[0][1] is NaN; numbers must be finite",
        assertThrows(DataException.class, () -> d.validateFor(0, 0, 2)).getMessage());
  }
}
