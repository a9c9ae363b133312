package org.ptlab.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ptlab.io.AtomicFiles;
import org.ptlab.io.RunFolder;
import org.ptlab.tuning.AdapterJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code ptlab tune}: trains one method (or a combination) on a JSONL file and writes OUT/adapter (PEFT layout;
 * OUT/model for full fine-tuning), OUT/metrics.json and OUT/checkpoints. {@code --resume OUT} continues an
 * interrupted run with the arguments it was started with.
 */
@Command(name = "tune", mixinStandardHelpOptions = true, sortOptions = false,
    header = "Train a soft prompt, prefix, LoRA, the head or the whole model.",
    customSynopsis = {
      "ptlab tune --data FILE --method M[,M] --out DIR [OPTIONS]",
      "       ptlab tune --resume DIR [--json] [--quiet]"
    },
    description = {
      "Data: a JSONL file with lines {\"tokens\":[ids]}, {\"text\":\"...\"} or {\"inputs\":[[numbers]]}, each with "
          + "\"label\" (a class id) or \"target\" (one row per input position); or a CSV file with text and label "
          + "columns.",
      "Writes OUT/adapter/ (adapter_config.json + adapter_model.safetensors in PEFT's layout; OUT/model/ for "
          + "--method full), OUT/metrics.json and OUT/checkpoints/. --resume OUT continues an interrupted run; it "
          + "ends bit-identical to an uninterrupted one. Progress goes to stderr."
    })
final class TuneCommand implements Callable<Integer>, HelpLayout.OwnSections {
  static final String RUN_FILE = "run.json";
  /** Everything tune writes in OUT: none of it may be a symbolic link (see {@link RunFolder#refuseLinks}). */
  private static final String[] OWN = {RUN_FILE, "metrics.json", "adapter", "model", TuneRun.CHECKPOINTS};

  // declared before the mixins so that "Data" is the first section of --help
  @Option(names = "--data", paramLabel = "FILE", description = "training data (JSON lines: .jsonl, .ndjson or .json; or .csv with text and label columns)")
  Path data;

  @Option(names = "--validation", paramLabel = "FILE", description = "validation data (as --data), evaluated each epoch")
  Path validation;

  @Option(names = "--val-fraction", paramLabel = "F", defaultValue = "0",
      description = "hold out this fraction of --data for validation (seeded) when --validation is not given")
  double valFraction;

  @Mixin ModelOptions model = new ModelOptions();
  @Mixin MethodOptions method = new MethodOptions();
  @Mixin TrainOptions train = new TrainOptions();
  @Mixin AttentionOptions attention = new AttentionOptions();
  @Mixin PromptConstraintOptions constraint = new PromptConstraintOptions();

  @Option(names = "--out", paramLabel = "DIR", description = "output folder")
  Path out;

  @Option(names = "--resume", paramLabel = "DIR",
      description = "continue the interrupted run in DIR with the arguments it was started with")
  Path resume;

  @Option(names = "--json", description = "print metrics.json on stdout")
  boolean json;

  @Option(names = "--quiet", description = "no progress bar (the trainable-parameters line stays on stderr)")
  boolean quiet;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** This run's lock on its folder, from the first write to the end of call(). */
  private RunFolder held;

  @Override
  public Map<String, List<String>> ownSections() {
    return Map.of("Data", List.of("--data", "--validation", "--val-fraction"),
        "Output", List.of("--out", "--resume", "--json", "--quiet"));
  }

  @Override
  public Integer call() throws Exception {
    try {
      if (resume != null) return resume();
      checkOptions();
      OutputFolder.check("--out", out);
      checkFolder(out);
      refuseFinishedRun();
      List<String> all = spec.commandLine().getParseResult().originalArgs();
      List<String> args = all.subList(all.indexOf(spec.name()) + 1, all.size()); // this command's own arguments
      return new TuneRun(this).execute(() -> {
        take(out);
        refuseFinishedRun(); // again under the lock: a run that held it may have finished meanwhile
        saveArgs(out, args);
      });
    } finally {
      if (held != null) held.close();
    }
  }

  private void refuseFinishedRun() {
    if (Files.exists(out.resolve(TuneRun.CHECKPOINTS).resolve("latest"))) {
      throw new UserError("--out: " + out + " already holds a run; continue it with --resume " + out
          + " or choose another folder");
    }
  }

  /** Refuses, before anything is read or written, a folder another process writes or one holding links. */
  private static void checkFolder(Path dir) throws IOException {
    RunFolder.checkNotInUse(dir);
    RunFolder.refuseLinks(dir, OWN);
  }

  /** Locks {@code dir} for this run (one writer per run folder) and checks it again under the lock. */
  private void take(Path dir) throws IOException {
    held = RunFolder.lock(dir);
    RunFolder.refuseLinks(dir, OWN);
  }

  /**
   * Every option that can be checked without reading a file, so that a bad value is refused before the output
   * folder is touched (the trainer's own checks would come after run.json is written).
   */
  void checkOptions() {
    if (data == null) throw new UserError("--data is required");
    if (out == null) throw new UserError("--out is required");
    train.config(); // throws naming the option: --batch, --epochs, --lr, --max-steps, --warmup, --clip, …
    method.methods();
    method.checkOptions();
    if (valFraction != 0 && validation != null) {
      throw new UserError("--val-fraction holds out part of --data; with --validation FILE leave it out");
    }
    if (valFraction != 0 && !(valFraction > 0 && valFraction < 1)) {
      throw new UserError("--val-fraction must be strictly between 0 and 1, got " + valFraction);
    }
  }

  /**
   * Re-parses the saved arguments of the run in {@code resume} and continues it from its last checkpoint, in
   * {@code resume} itself whatever --out the arguments name (a copied run folder continues in the copy).
   */
  private int resume() throws Exception {
    if (resume.toString().isBlank()) throw new UserError("--resume is empty: name a run folder");
    checkFolder(resume);
    Path file = resume.resolve(RUN_FILE);
    if (!Files.isRegularFile(file)) throw new UserError("--resume: " + resume + " has no " + RUN_FILE + " (not a tune output)");
    TuneCommand again = new TuneCommand();
    try {
      new CommandLine(again).parseArgs(savedArgs(file));
      again.checkOptions();
    } catch (CommandLine.ParameterException | IllegalArgumentException | UserError e) {
      throw new UserError("--resume: " + file + ": the saved arguments are refused: " + e.getMessage());
    }
    again.out = resume;
    again.json = json;
    again.quiet = quiet;
    return new TuneRun(again).execute(() -> take(resume));
  }

  /** The "args" list of a run.json; a damaged file is bad input naming it. */
  private static String[] savedArgs(Path file) throws IOException {
    com.fasterxml.jackson.databind.JsonNode args;
    try {
      args = AdapterJson.MAPPER.readTree(file.toFile()).path("args");
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UserError("--resume: " + file + ": not valid JSON (" + e.getOriginalMessage() + ")");
    }
    List<String> out = new java.util.ArrayList<>();
    args.forEach(a -> out.add(a.isTextual() ? a.asText() : null));
    if (!args.isArray() || out.isEmpty() || out.contains(null)) {
      throw new UserError("--resume: " + file + ": no \"args\" list of strings (damaged, or not written by ptlab tune)");
    }
    return out.toArray(String[]::new);
  }

  /** The original arguments, saved so that {@code --resume} needs nothing else. */
  static void saveArgs(Path out, List<String> args) throws IOException {
    Files.createDirectories(out);
    ObjectNode j = AdapterJson.object();
    ArrayNode a = j.putArray("args");
    args.forEach(a::add);
    AtomicFiles.write(out.resolve(RUN_FILE), AdapterJson.MAPPER.writeValueAsString(j) + "\n");
  }
}
