package org.ptlab.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ptlab.io.model.ModelFiles;
import org.ptlab.nn.Presets;
import org.ptlab.nn.Transformer;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;

/** The first NaN/inf of tensors and JSON, named; the model-folder writer refuses one before writing anything. */
class FiniteValuesTest {
  @Test
  void namesTheFirstNonFiniteTensorAndItsIndex() {
    Map<String, Tensor> m = new LinkedHashMap<>();
    m.put("a", Tensor.of(new double[] {1, 2, 3, 4}, 2, 2));
    m.put("b\nforged", Tensor.of(new float[] {1, 2, 3, Float.NEGATIVE_INFINITY, Float.NaN, 6}, 2, 3));
    assertNull(FiniteValues.firstProblem(Map.of("a", m.get("a"))));
    assertEquals("'b\\nforged' holds -Infinity at [1, 0]", FiniteValues.firstProblem(m), "one line, first bad element");
    NonFiniteValueException e = assertThrows(NonFiniteValueException.class, () -> FiniteValues.require("x.st", m));
    assertEquals("x.st: tensor 'b\\nforged' holds -Infinity at [1, 0]; PTLab writes only finite values, so the file "
        + "was not written", e.getMessage());
  }

  @Test
  void namesTheFirstNonFiniteNumberOfAJsonTreeByItsPath() {
    ObjectNode metrics = Json.MAPPER.createObjectNode();
    metrics.putObject("train").put("loss", 0.5);
    metrics.putArray("history").addObject().putObject("validation").put("loss", Double.NaN);
    NonFiniteValueException e = assertThrows(NonFiniteValueException.class,
        () -> FiniteValues.require("metrics.json", metrics));
    assertTrue(e.getMessage().startsWith("metrics.json: \"history[0].validation.loss\" is NaN;"), e.getMessage());
    metrics.remove("history");
    FiniteValues.require("metrics.json", metrics);
  }

  @Test
  void float32RangeIsTheModelsRange() {
    assertTrue(FiniteValues.fits(1e39, DType.F64));
    assertFalse(FiniteValues.fits(1e39, DType.F32));
    assertTrue(FiniteValues.fits(Float.MAX_VALUE, DType.F32));
    assertTrue(FiniteValues.fits(-Float.MAX_VALUE, DType.F32));
    assertFalse(FiniteValues.fits(Double.NaN, DType.F64));
  }

  @Test
  void aModelWithANonFiniteWeightIsNotSaved(@TempDir Path dir) throws IOException {
    Transformer m = Transformer.create(Presets.paper(8, 16), new Rng(1));
    Map.Entry<String, Tensor> first = m.parameters().all().entrySet().iterator().next();
    first.getValue().setFlat(2, Double.POSITIVE_INFINITY);
    Path out = dir.resolve("model");
    NonFiniteValueException e = assertThrows(NonFiniteValueException.class, () -> ModelFiles.save(m, out, Map.of()));
    assertTrue(e.getMessage().startsWith(out.resolve(ModelFiles.WEIGHTS) + ": tensor '" + first.getKey()
        + "' holds Infinity at ["), e.getMessage());
    assertFalse(Files.exists(out), "nothing written");
  }
}
