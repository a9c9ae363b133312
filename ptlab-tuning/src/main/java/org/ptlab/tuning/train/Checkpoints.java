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
import org.ptlab.io.FiniteValues;
import org.ptlab.io.OneLine;
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
  private static final String TRAINABLE = "trainable.safetensors";
  private static final String OPTIMIZER = "optimizer.safetensors";

  private Checkpoints() {}

  /** Everything a run needs to continue. */
  record State(long step, BatchPosition next, long[] rngState, OptimizerState optimizer, Map<String, Tensor> trainable,
      List<EpochRecord> history, double epochLossSum, int epochSteps, double bestLoss, int badEpochs,
      String fingerprint) {}

  /**
   * Writes {@code s} as the newest checkpoint.
   *
   * @throws org.ptlab.io.NonFiniteValueException before anything is written, if a tensor or buffer is NaN or
   *     infinite: a checkpoint is what a run falls back to, so it must be one that can continue
   */
  static void save(Path dir, State s) throws IOException {
    RunFolder.refuseLinks(dir); // a link would make it delete or read files of another folder
    String name = String.format("step-%09d", s.step());
    Map<String, Tensor> opt = optimizerTensors(s.optimizer().buffers());
    FiniteValues.require(dir.resolve(name).resolve(TRAINABLE), s.trainable());
    FiniteValues.require(dir.resolve(name).resolve(OPTIMIZER), opt);
    Files.createDirectories(dir);
    Path tmp = Files.createTempDirectory(dir, "." + name + ".");
    try {
      writeInto(tmp, s, opt);
    } catch (IOException | RuntimeException e) {
      deleteTree(tmp); // a failed write (a full disk) leaves no half-written checkpoint behind
      throw e;
    }
    Path target = dir.resolve(name);
    deleteTree(target);
    Files.move(tmp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    AtomicFiles.write(dir.resolve(LATEST), name + "\n");
    try (Stream<Path> old = Files.list(dir)) { // older checkpoints, and temp folders of a run killed mid-write
      for (Path p : old.filter(p -> isStale(p.getFileName().toString()) && !p.equals(target)).toList()) {
        deleteTree(p);
      }
    }
  }

  private static boolean isStale(String name) {
    return name.startsWith("step-") || name.startsWith(".step-");
  }

  private static void writeInto(Path tmp, State s, Map<String, Tensor> opt) throws IOException {
    SafetensorsWriter.write(tmp.resolve(TRAINABLE), s.trainable(), Map.of());
    SafetensorsWriter.write(tmp.resolve(OPTIMIZER), opt, Map.of());
    AtomicFiles.write(tmp.resolve("state.json"), stateJson(s, s.optimizer().buffers()));
  }

  /** The optimizer's buffers under their file keys ({@code p00003.b1}: parameter 3's second buffer). */
  static Map<String, Tensor> optimizerTensors(List<Tensor[]> buffers) {
    Map<String, Tensor> opt = new LinkedHashMap<>();
    for (int i = 0; i < buffers.size(); i++) {
      for (int j = 0; j < buffers.get(i).length; j++) {
        if (buffers.get(i)[j] != null) opt.put(String.format("p%05d.b%d", i, j), buffers.get(i)[j]);
      }
    }
    return opt;
  }

  /**
   * The newest complete checkpoint's folder, or null when {@code dir} holds none.
   *
   * @throws IllegalArgumentException when {@code latest} names no checkpoint folder (a damaged run folder)
   */
  static Path latest(Path dir) throws IOException {
    Path latest = dir.resolve(LATEST);
    if (!Files.exists(latest)) return null;
    RunFolder.refuseLinks(dir); // a link would make it delete or read files of another folder
    String name = Files.readString(latest, StandardCharsets.UTF_8).trim();
    if (name.isEmpty()) {
      throw new IllegalArgumentException("--resume: " + latest + " names no checkpoint folder: the run folder is damaged");
    }
    Path ck = RunFolder.child(dir, name, latest); // a plain entry of dir, never a path outside it
    if (!Files.isDirectory(ck)) {
      throw new IllegalArgumentException("--resume: " + latest + " names no checkpoint folder ('" + OneLine.of(name)
          + "'): the run folder is damaged");
    }
    return ck;
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
    Path ck = latest(dir);
    if (ck == null) return null;
    Path stateFile = ck.resolve("state.json");
    JsonNode j;
    try {
      j = AdapterJson.MAPPER.readTree(stateFile.toFile());
    } catch (IOException e) {
      throw damaged(stateFile, e);
    }
    if (!"ptlab-checkpoint-1".equals(j.path("format").asText())) throw damaged(stateFile, null);
    if (!fingerprint.equals(j.path("fingerprint").asText())) throw otherRun();
    try {
      return read(ck, j, like);
    } catch (IllegalArgumentException e) {
      throw e; // the readers' own messages name the file
    } catch (IOException | RuntimeException e) {
      throw damaged(stateFile, e); // a field missing or of the wrong type
    }
  }

  /** A checkpoint file that cannot be read: bad input (exit 2), named, not a stack trace. */
  private static IllegalArgumentException damaged(Path file, Exception cause) {
    String why = cause == null ? "not a PTLab checkpoint"
        : cause instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage()
        : cause instanceof java.nio.file.NoSuchFileException ? "missing" : String.valueOf(cause.getMessage());
    return new IllegalArgumentException("--resume: " + file + ": damaged checkpoint (" + why + ")", cause);
  }

  private static State read(Path ck, JsonNode j, Map<String, Tensor> like) throws IOException {
    Map<String, Tensor> trainable = new LinkedHashMap<>();
    try (SafetensorsFile f = SafetensorsFile.open(ck.resolve(TRAINABLE))) {
      for (Map.Entry<String, Tensor> e : like.entrySet()) {
        trainable.put(e.getKey(), f.tensor(e.getKey(), e.getValue().dtype(), e.getValue().shape()));
      }
    }
    refuseNonFinite(ck.resolve(TRAINABLE), trainable);
    JsonNode o = j.get("optimizer");
    List<Tensor[]> buffers = new ArrayList<>();
    try (SafetensorsFile f = SafetensorsFile.open(ck.resolve(OPTIMIZER))) {
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
    refuseNonFinite(ck.resolve(OPTIMIZER), optimizerTensors(buffers));
    long[] rng = new long[j.get("rng").size()];
    for (int i = 0; i < rng.length; i++) rng[i] = j.get("rng").get(i).asLong();
    List<EpochRecord> history = new ArrayList<>();
    for (JsonNode e : j.get("history")) history.add(AdapterJson.MAPPER.treeToValue(e, EpochRecord.class));
    return new State(j.get("step").asLong(), new BatchPosition(j.get("epoch").asInt(), j.get("batch_index").asInt()),
        rng, new OptimizerState(o.get("kind").asText(), o.get("step").asLong(), o.get("lr").asDouble(), buffers),
        trainable, history, j.get("epoch_loss_sum").asDouble(), j.get("epoch_steps").asInt(),
        j.get("best_loss").asDouble(), j.get("bad_epochs").asInt(), j.get("fingerprint").asText());
  }

  /**
   * A checkpoint with a NaN or infinity (written before PTLab checked, or damaged) cannot continue a run: it would
   * train on NaN and save a NaN adapter. Refused as bad input, naming the file and tensor.
   */
  private static void refuseNonFinite(Path file, Map<String, Tensor> tensors) {
    String problem = FiniteValues.firstProblem(tensors);
    if (problem != null) {
      throw new IllegalArgumentException("--resume: " + OneLine.of(file.toString()) + ": tensor " + problem
          + "; a checkpoint must be finite to continue from (start a new --out folder, or resume an earlier copy)");
    }
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) return;
    try (Stream<Path> walk = Files.walk(p)) {
      for (Path q : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(q);
    }
  }
}
