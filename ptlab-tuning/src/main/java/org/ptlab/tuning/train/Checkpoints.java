package org.ptlab.tuning.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.ptlab.io.AtomicFiles;
import org.ptlab.io.RunFolder;
import org.ptlab.io.safetensors.SafetensorsFile;
import org.ptlab.io.safetensors.SafetensorsWriter;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.optim.OptimizerState;
import org.ptlab.tuning.AdapterJson;
import org.ptlab.tuning.batch.BatchPosition;

/**
 * Training checkpoints: {@code DIR/step-000120/} holds {@code trainable.safetensors} (the trained tensors),
 * {@code optimizer.safetensors} (its buffers) and {@code state.json} (step, data position, RNG state, history);
 * {@code DIR/latest} names the newest complete one. A checkpoint folder is written under a temporary name and
 * renamed, and {@code latest} is replaced atomically after it, so a run killed at any instant leaves the previous
 * checkpoint intact. Values are stored at full precision, so a resumed run continues bit for bit.
 */
final class Checkpoints {
  static final String LATEST = "latest";

  private Checkpoints() {}

  /** Everything a run needs to continue. */
  record State(long step, BatchPosition next, long[] rngState, OptimizerState optimizer, Map<String, Tensor> trainable,
      List<EpochRecord> history, double epochLossSum, int epochSteps, double bestLoss, int badEpochs,
      String fingerprint) {}

  static void save(Path dir, State s) throws IOException {
    RunFolder.refuseLinks(dir); // a link would make it delete or read files of another folder
    Files.createDirectories(dir);
    String name = String.format("step-%09d", s.step());
    Path tmp = Files.createTempDirectory(dir, "." + name + ".");
    SafetensorsWriter.write(tmp.resolve("trainable.safetensors"), s.trainable(), Map.of());
    Map<String, Tensor> opt = new LinkedHashMap<>();
    List<Tensor[]> buffers = s.optimizer().buffers();
    for (int i = 0; i < buffers.size(); i++) {
      for (int j = 0; j < buffers.get(i).length; j++) {
        if (buffers.get(i)[j] != null) opt.put(String.format("p%05d.b%d", i, j), buffers.get(i)[j]);
      }
    }
    SafetensorsWriter.write(tmp.resolve("optimizer.safetensors"), opt, Map.of());
    AtomicFiles.write(tmp.resolve("state.json"), stateJson(s, buffers));
    Path target = dir.resolve(name);
    deleteTree(target);
    Files.move(tmp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    AtomicFiles.write(dir.resolve(LATEST), name + "\n");
    try (Stream<Path> old = Files.list(dir)) {
      for (Path p : old.filter(p -> p.getFileName().toString().startsWith("step-") && !p.equals(target)).toList()) {
        deleteTree(p);
      }
    }
  }

  private static String stateJson(State s, List<Tensor[]> buffers) throws IOException {
    ObjectNode j = AdapterJson.object();
    j.put("format", "ptlab-checkpoint-1");
    j.put("fingerprint", s.fingerprint());
    j.put("step", s.step());
    j.put("epoch", s.next().epoch());
    j.put("batch_index", s.next().batchIndex());
    ArrayNode rng = j.putArray("rng");
    for (long v : s.rngState()) rng.add(v);
    ObjectNode opt = j.putObject("optimizer");
    opt.put("kind", s.optimizer().kind());
    opt.put("step", s.optimizer().step());
    opt.put("lr", s.optimizer().lr());
    ArrayNode slots = opt.putArray("slots");
    for (Tensor[] b : buffers) slots.add(b.length);
    j.put("epoch_loss_sum", s.epochLossSum());
    j.put("epoch_steps", s.epochSteps());
    j.put("best_loss", s.bestLoss());
    j.put("bad_epochs", s.badEpochs());
    ArrayNode hist = j.putArray("history");
    for (EpochRecord e : s.history()) hist.add(AdapterJson.MAPPER.valueToTree(e));
    return AdapterJson.MAPPER.writeValueAsString(j);
  }

  /** Resuming a checkpoint of another run (data, settings or trained tensors differ). */
  static IllegalArgumentException otherRun() {
    return new IllegalArgumentException("--resume: the checkpoint belongs to a run with other data, settings or "
        + "method; start a new --out folder");
  }

  /**
   * The newest checkpoint in {@code dir}, or null when there is none; refused ({@link #otherRun}) before any tensor
   * is read when it belongs to a run with another {@code fingerprint}.
   */
  static State load(Path dir, Map<String, Tensor> like, String fingerprint) throws IOException {
    Path latest = dir.resolve(LATEST);
    if (!Files.exists(latest)) return null;
    RunFolder.refuseLinks(dir); // a link would make it delete or read files of another folder
    Path ck = RunFolder.child(dir, Files.readString(latest, StandardCharsets.UTF_8).trim(), latest); // never outside
    JsonNode j = AdapterJson.MAPPER.readTree(ck.resolve("state.json").toFile());
    if (!fingerprint.equals(j.path("fingerprint").asText())) throw otherRun();
    Map<String, Tensor> trainable = new LinkedHashMap<>();
    try (SafetensorsFile f = SafetensorsFile.open(ck.resolve("trainable.safetensors"))) {
      for (Map.Entry<String, Tensor> e : like.entrySet()) {
        trainable.put(e.getKey(), f.tensor(e.getKey(), e.getValue().dtype(), e.getValue().shape()));
      }
    }
    JsonNode o = j.get("optimizer");
    List<Tensor[]> buffers = new ArrayList<>();
    try (SafetensorsFile f = SafetensorsFile.open(ck.resolve("optimizer.safetensors"))) {
      JsonNode slots = o.get("slots");
      List<Tensor> params = new ArrayList<>(like.values());
      for (int i = 0; i < slots.size(); i++) {
        Tensor[] b = new Tensor[slots.get(i).asInt()];
        for (int k = 0; k < b.length; k++) {
          String key = String.format("p%05d.b%d", i, k);
          if (f.names().contains(key)) b[k] = f.tensor(key, params.get(i).dtype(), params.get(i).shape());
        }
        buffers.add(b);
      }
    }
    long[] rng = new long[j.get("rng").size()];
    for (int i = 0; i < rng.length; i++) rng[i] = j.get("rng").get(i).asLong();
    List<EpochRecord> history = new ArrayList<>();
    for (JsonNode e : j.get("history")) history.add(AdapterJson.MAPPER.treeToValue(e, EpochRecord.class));
    return new State(j.get("step").asLong(), new BatchPosition(j.get("epoch").asInt(), j.get("batch_index").asInt()),
        rng, new OptimizerState(o.get("kind").asText(), o.get("step").asLong(), o.get("lr").asDouble(), buffers),
        trainable, history, j.get("epoch_loss_sum").asDouble(), j.get("epoch_steps").asInt(),
        j.get("best_loss").asDouble(), j.get("bad_epochs").asInt(), j.get("fingerprint").asText());
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) return;
    try (Stream<Path> walk = Files.walk(p)) {
      for (Path q : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(q);
    }
  }
}
