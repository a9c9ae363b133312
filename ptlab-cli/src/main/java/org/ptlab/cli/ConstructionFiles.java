package org.ptlab.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.ptlab.io.AtomicFiles;
import org.ptlab.io.model.ModelFiles;
import org.ptlab.tensor.Tensor;
import org.ptlab.theory.hu2025.QuantizedFamily;
import org.ptlab.theory.hu2025.UniversalResult;
import org.ptlab.tuning.AdapterFiles;
import org.ptlab.tuning.AdapterJson;
import org.ptlab.tuning.TunedModel;
import org.ptlab.tuning.prompt.PromptInit;
import org.ptlab.tuning.prompt.PromptTuning;
import org.ptlab.tuning.prompt.PromptTuningConfig;

/**
 * Saves a verified universality construction as ordinary PTLab files, so that {@code ptlab eval} runs on them:
 * {@code model/} ({@link ModelFiles}), {@code adapters/member-<i>/} (PEFT PROMPT_TUNING adapters written by
 * {@link AdapterFiles}), {@code data/member-<i>.jsonl} (every grid cell, inputs [L, d] and f̄'s targets [L, d]) and
 * {@code construction.json}. Everything is written into a hidden sibling folder first and moved into place at the
 * end, so an error leaves nothing half-written.
 */
final class ConstructionFiles {
  private ConstructionFiles() {}

  /** --out must not exist, or be an empty folder (checked before the build, so a refusal costs nothing). */
  static void requireFreshTarget(Path out) throws IOException {
    if (!Files.exists(out)) return;
    if (!Files.isDirectory(out)) throw new UserError("--out: " + out + " exists and is not a folder");
    try (Stream<Path> s = Files.list(out)) {
      if (s.findAny().isPresent()) throw new UserError("--out: " + out + " exists and is not empty");
    }
  }

  static void write(UniversalResult r, Path out, List<BigInteger> chosen, int allUpTo) throws IOException {
    Path parent = out.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path tmp = Files.createTempDirectory(parent, "." + out.getFileName() + ".");
    try {
      QuantizedFamily fam = r.build().family();
      ModelFiles.save(r.model(), tmp.resolve("model"), Map.of("format", "pt"));
      TreeSet<BigInteger> adapters = new TreeSet<>(chosen);
      if (fam.familySize().compareTo(BigInteger.valueOf(allUpTo)) <= 0) {
        for (int i = 0; i < r.prompts().size(); i++) adapters.add(BigInteger.valueOf(i));
      }
      String base = out.toAbsolutePath().resolve("model").toString(); // where the model folder ends up
      for (BigInteger m : adapters) writeAdapter(r, m, base, tmp.resolve("adapters").resolve("member-" + m));
      for (BigInteger m : chosen) writeData(fam, m, tmp.resolve("data").resolve("member-" + m + ".jsonl"));
      AtomicFiles.write(tmp.resolve("construction.json"), describe(r, adapters.size(), chosen));
      if (Files.exists(out)) Files.delete(out); // empty (checked up front)
      Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      deleteTree(tmp);
      throw e;
    }
  }

  /** One member's prompt [L_p, d] as a PROMPT_TUNING adapter on the model folder {@code base}. */
  private static void writeAdapter(UniversalResult r, BigInteger member, String base, Path dir) throws IOException {
    Tensor prompt = r.prompts().get(member.intValueExact()); // enumeration order = member index
    PromptTuningConfig c = new PromptTuningConfig(prompt.dim(0), PromptInit.FILE, 0.5, null, null, 0, 0, prompt);
    TunedModel tuned = TunedModel.of(r.model(), PromptTuning.create(c, r.model(), null));
    ObjectNode prov = AdapterJson.object();
    prov.put("construction", "hu2025-universal");
    prov.put("member", member.toString());
    AdapterFiles.save(tuned, dir, base, prov);
  }

  /** Every grid cell G with f̄(G): {"inputs": [[…d…] × L], "target": [[…d…] × L]}. */
  static void writeData(QuantizedFamily fam, BigInteger member, Path file) throws IOException {
    int[][] table = fam.member(member);
    StringBuilder sb = new StringBuilder();
    for (int c = 0; c < fam.cells(); c++) {
      double[] g = fam.cellPoint(c);
      double[] y = new double[g.length];
      for (int e = 0; e < y.length; e++) y[e] = table[c][e] * fam.deltaOut();
      sb.append("{\"inputs\":").append(rows(g, fam.d())).append(",\"target\":").append(rows(y, fam.d())).append("}\n");
    }
    Files.createDirectories(file.getParent());
    AtomicFiles.write(file, sb.toString());
  }

  private static String rows(double[] v, int d) {
    List<String> rows = new ArrayList<>();
    for (int i = 0; i < v.length; i += d) {
      List<String> row = new ArrayList<>();
      for (int e = 0; e < d; e++) row.add(String.format(Locale.ROOT, "%s", v[i + e]));
      rows.add("[" + String.join(",", row) + "]");
    }
    return "[" + String.join(",", rows) + "]";
  }

  private static String describe(UniversalResult r, int adapters, List<BigInteger> data) throws IOException {
    QuantizedFamily fam = r.build().family();
    ObjectNode o = AdapterJson.MAPPER.valueToTree(r.summary());
    o.put("d", fam.d());
    o.put("L", fam.L());
    o.put("delta", fam.delta());
    o.put("family_size", fam.familySize().toString());
    o.put("beta", r.build().map().beta());
    ArrayNode u = o.putArray("u");
    for (double x : r.build().map().u()) u.add(x);
    o.put("adapters_written", adapters);
    ArrayNode dm = o.putArray("data_members");
    for (BigInteger m : data) dm.add(m.toString());
    return AdapterJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(o) + "\n";
  }

  private static void deleteTree(Path p) {
    try (Stream<Path> s = Files.walk(p)) {
      s.sorted(Comparator.reverseOrder()).forEach(f -> {
        try {
          Files.deleteIfExists(f);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException | UncheckedIOException ignored) {
      // best effort: the hidden temp folder is all that can remain
    }
  }
}
