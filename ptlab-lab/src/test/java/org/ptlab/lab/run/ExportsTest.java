package org.ptlab.lab.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ptlab.io.Json;
import org.ptlab.lab.Claim;
import org.ptlab.lab.GridSize;
import org.ptlab.lab.Results;

class ExportsTest {
  @Test
  void csvAndJsonHoldEveryRunAndNoTempFileIsLeft(@TempDir Path dir) throws Exception {
    CountingExperiment e = new CountingExperiment(3, 0, 1); // config 1 errors: its rows must still be exported
    Results results;
    try (RunStore store = RunStore.open(dir.resolve("runs.sqlite")); InProcessExecutor ex = new InProcessExecutor(2)) {
      Sweep.run(e, GridSize.QUICK, store, ex, Provenance.current(), Progress.quiet());
      results = Sweep.results(e, GridSize.QUICK, store);
    }
    List<Claim> claims = e.claims(results);
    Exports.write(dir.resolve("results"), e, results, claims, Provenance.current());

    List<String> csv = Files.readAllLines(dir.resolve("results/T1.csv"));
    assertEquals("experiment,config_hash,repeat,seed,status,k,name,value,task_value,pid,seconds,error", csv.get(0),
        "config keys sorted (canonical), metrics in the order the experiment wrote them");
    List<String> records = csv.stream().filter(l -> l.startsWith("T1,")).toList(); // error cells span lines
    assertEquals(6, records.size(), "3 configs × 2 repeats");
    assertTrue(records.get(0).startsWith("T1," + results.runs().get(0).configHash() + ",0,"), records.get(0));
    assertTrue(records.get(2).contains(",error,1,cfg-1,"), records.get(2));
    assertTrue(records.get(2).contains("\"java.lang.IllegalStateException: config 1 fails on purpose"),
        records.get(2));

    JsonNode doc = Json.MAPPER.readTree(dir.resolve("results/T1.json").toFile());
    assertEquals("T1", doc.get("experiment").asText());
    assertEquals("quick", doc.get("size").asText());
    assertEquals(6, doc.get("runs").size());
    assertEquals(List.of(1.0, 0.5, 0.25).toString(), doc.get("runs").get(0).get("artifacts").get("curve").toString()
        .replace(",", ", "));
    assertEquals("impossible", doc.get("claims").get(1).get("name").asText());
    assertEquals("failed", doc.get("claims").get(1).get("status").asText());
    try (Stream<Path> files = Files.list(dir.resolve("results"))) {
      assertEquals(List.of("T1.csv", "T1.json"), files.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  @Test
  void csvQuotesCellsWithCommasQuotesAndNewlines() {
    String csv = Exports.csv(new Results("X", GridSize.QUICK, List.of(new org.ptlab.lab.RunRecord("X", "h", java.util.Map
        .of("name", "a,\"b\""), 0, 1, "error", java.util.Map.of(), java.util.Map.of(), "line1\nline2", null, null,
        "c", "j", 1))));
    assertTrue(csv.contains("\"a,\"\"b\"\"\""), csv);
    assertTrue(csv.contains("\"line1\nline2\""), csv);
  }
}
