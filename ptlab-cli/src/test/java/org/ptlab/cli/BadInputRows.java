package org.ptlab.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The rows of {@link BadInputTableTest}: a command line, the exit code (2: the input is at fault) and what the one
 * line on stderr must contain. In a command line, words are split at spaces; {@code ''} is the empty argument;
 * {@code {M}} is a tiny bert preset; {@code {dir}} the row's folder; {@code {train}} good training data;
 * {@code {out}} a folder that does not exist yet; {@code {file}} an existing regular file; {@code {run}} a copy of
 * an interrupted tune run; {@code {st}} a shared-token construction (vector data); {@code {f:NAME}} a file of
 * {@link #FILES}.
 */
final class BadInputRows {
  private BadInputRows() {}

  /** One case: the command line, its exit code, a substring of its one-line message, and what to damage first. */
  record Row(String args, int exit, String names, Setup setup) {
    @Override
    public String toString() {
      return args.replace("{M} ", "");
    }
  }

  interface Setup {
    void accept(Fixture f) throws IOException;
  }

  static final String TUNE = "tune {M} --method lora --data {train} --out {out} --quiet ";
  static final String PROMPT = "tune {M} --method prompt --prompt-length 2 --data {train} --out {out} --quiet ";
  static final String RESUME = "tune --resume {run} --quiet";
  static final String EVAL = "eval {M} --data {train} ";
  static final String CERTIFY = "certify --model {st} --data {st}/data.jsonl ";
  static final String SHARED = "construct shared-token --out {out} ";
  static final String UNIVERSAL = "construct universal --d 1 --L 2 --delta 0.5 ";
  static final String REPRODUCE = "reproduce --size smoke --only D0 --quiet ";

  /** Bad data files: each one's first fault is on the line the row names. */
  static final Map<String, String> FILES = Map.ofEntries(
      Map.entry("data.txt", "{\"tokens\":[1,2],\"label\":0}\n"),
      Map.entry("badjson.jsonl", "{\"tokens\":[1,2],\"label\":0}\n{\"tokens\":[1,2\n"),
      Map.entry("neglabel.jsonl", "{\"tokens\":[1],\"label\":0}\n{\"tokens\":[2],\"label\":1}\n{\"tokens\":[3],\"label\":-1}\n"),
      Map.entry("fraclabel.jsonl", "{\"tokens\":[1],\"label\":1.5}\n"),
      Map.entry("bigtoken.jsonl", "{\"tokens\":[1],\"label\":0}\n{\"tokens\":[99],\"label\":1}\n"),
      Map.entry("long.jsonl", "{\"tokens\":[" + "1,".repeat(39) + "1],\"label\":0}\n"),
      Map.entry("empty.jsonl", ""),
      Map.entry("mixed.jsonl", "{\"tokens\":[1],\"label\":0}\n{\"tokens\":[2],\"target\":[0.5]}\n"),
      Map.entry("val1e9.jsonl", "{\"tokens\":[1],\"label\":0}\n{\"tokens\":[2],\"label\":1000000000}\n"),
      Map.entry("vale9.jsonl", "{\"tokens\":[1],\"label\":0}\n{\"tokens\":[2],\"label\":1e9}\n"),
      Map.entry("val5.jsonl", "{\"tokens\":[1],\"label\":5}\n"),
      Map.entry("valtarget.jsonl", "{\"tokens\":[1],\"target\":[0.5]}\n"),
      Map.entry("bad.csv", "text,other\nhello,1\n"),
      Map.entry("one.jsonl", "{\"tokens\":[1],\"label\":0}\n"),
      Map.entry("lmlabels.jsonl", "{\"tokens\":[1,2,3],\"labels\":[-100,2,3]}\n"),
      Map.entry("shortlabels.jsonl", "{\"tokens\":[1,2,3],\"labels\":[-100,2,3]}\n{\"tokens\":[1,2,3],\"labels\":[-100,2]}\n"),
      Map.entry("nolabel.jsonl", "{\"tokens\":[1,2,3],\"labels\":[-100,-100,-100]}\n"),
      Map.entry("bigbyte.jsonl", "{\"tokens\":[1,2],\"labels\":[-100,256]}\n"),
      Map.entry("promptonly.jsonl", "{\"prompt\":\"2+2=\",\"completion\":\"4\"}\n{\"prompt\":\"3+3=\"}\n"),
      Map.entry("completiononly.jsonl", "{\"completion\":\"4\"}\n"),
      Map.entry("emptycompletion.jsonl", "{\"prompt\":\"2+2=\",\"completion\":\"\"}\n"),
      Map.entry("qa.jsonl", "{\"prompt\":\"2+2=\",\"completion\":\"4\"}\n"));

  static List<Row> all() {
    List<Row> rows = new ArrayList<>();
    parseErrors(rows);
    tuneOptions(rows);
    tuneMethodOptions(rows);
    tunePaths(rows);
    dataFiles(rows);
    resume(rows);
    eval(rows);
    causalLm(rows);
    generate(rows);
    predict(rows);
    exportEmbedCertify(rows);
    construct(rows);
    reproduce(rows);
    return rows;
  }

  private static void parseErrors(List<Row> r) {
    add(r, "--no-such-option", "--no-such-option");
    add(r, "nope", "nope");
    add(r, "tune --no-such-option", "--no-such-option");
    add(r, TUNE + "--batch x", "--batch");
    add(r, TUNE + "--lr abc", "--lr");
    add(r, TUNE + "--optimizer FOO", "--optimizer");
    add(r, TUNE + "--schedule FOO", "--schedule");
    add(r, PROMPT + "--init NOPE", "--init");
    add(r, TUNE + "extra", "extra");
    add(r, "tune --data", "--data");
    add(r, "eval --model bert", "--data");
    add(r, EVAL + "--batch x", "--batch");
    add(r, "export --model bert", "--out");
    add(r, "export --bogus", "--bogus");
    add(r, "embed", "--text");
    add(r, "certify --model bert", "--data");
    add(r, CERTIFY + "--radius abc", "--radius");
    add(r, "construct", "shared-token");
    add(r, "construct nope", "nope");
    add(r, "construct shared-token", "--out");
    add(r, SHARED + "--d x", "--d");
    add(r, "construct universal --d 1", "--L");
    add(r, "construct universal --d 1 --L 2 --delta x", "--delta");
    add(r, "reproduce --threads x", "--threads");
    add(r, "reproduce --bogus", "--bogus");
    add(r, "bench nope", "nope");
    add(r, "bench engine --threads x", "--threads");
    add(r, "bench engine --threads 0", "--threads");
  }

  private static void tuneOptions(List<Row> r) {
    add(r, TUNE + "--batch 0", "--batch");
    add(r, TUNE + "--batch -3", "--batch");
    add(r, TUNE + "--epochs -1", "--epochs");
    add(r, TUNE + "--epochs 0", "--epochs");
    add(r, TUNE + "--lr -0.1", "--lr");
    add(r, TUNE + "--lr NaN", "--lr");
    add(r, TUNE + "--lr Infinity", "--lr");
    add(r, TUNE + "--lr 0", "--lr");
    add(r, TUNE + "--max-steps -5", "--max-steps");
    add(r, TUNE + "--warmup -5", "--warmup");
    add(r, TUNE + "--clip -1", "--clip");
    add(r, TUNE + "--clip NaN", "--clip");
    add(r, TUNE + "--patience -1", "--patience");
    add(r, TUNE + "--checkpoint-every -1", "--checkpoint-every");
    add(r, TUNE + "--weight-decay -1", "--weight-decay");
    add(r, TUNE + "--weight-decay NaN", "--weight-decay");
    add(r, TUNE + "--val-fraction -0.2", "--val-fraction");
    add(r, TUNE + "--val-fraction NaN", "--val-fraction");
    add(r, TUNE + "--val-fraction 1", "--val-fraction");
    add(r, TUNE + "--val-fraction 1.5", "--val-fraction");
    add(r, TUNE + "--val-fraction Infinity", "--val-fraction");
    add(r, TUNE + "--val-fraction 0.5 --validation {train}", "--val-fraction");
    add(r, TUNE + "--attention bogus", "--attention");
    add(r, TUNE + "--attention-tolerance 0", "--attention-tolerance");
    add(r, TUNE + "--attention-tolerance NaN", "--attention-tolerance");
  }

  private static void tuneMethodOptions(List<Row> r) {
    String base = "tune {M} --data {train} --out {out} --quiet ";
    add(r, base + "--method prompt,prompt", "--method");
    add(r, base + "--method ''", "--method");
    add(r, base + "--method full,lora", "--method");
    add(r, base + "--method sideways", "sideways");
    add(r, base + "--method lora,,prompt", "--method");
    add(r, base, "--method");
    add(r, PROMPT.replace("--prompt-length 2", "--prompt-length 0"), "--prompt-length");
    add(r, PROMPT.replace("--prompt-length 2", "--prompt-length -1"), "--prompt-length");
    add(r, PROMPT.replace("--prompt-length 2", "--prompt-length 40"), "--prompt-length");
    // the data fits the model's 32 positions, not the 1 a 31-token prompt leaves: the message names the prompt
    add(r, PROMPT.replace("--prompt-length 2", "--prompt-length 31"), "--prompt-length 31");
    // a prefix takes positions too (the input's start after it, as in HF): refused before training, not mid-run
    add(r, PROMPT.replace("prompt --", "prefix --").replace("--prompt-length 2", "--prompt-length 31"), "--prompt-length 31");
    add(r, TUNE + "--rank 0", "--rank");
    add(r, TUNE + "--rank -1", "--rank");
    add(r, TUNE + "--alpha NaN", "--alpha");
    add(r, TUNE + "--alpha -1", "--alpha");
    add(r, TUNE + "--lora-dropout -0.1", "--lora-dropout");
    add(r, TUNE + "--lora-dropout 1", "--lora-dropout");
    add(r, TUNE + "--targets nothing", "nothing");
    add(r, PROMPT + "--prompt-position 2", "--prompt-position");
    // PEFT would read position 1 as 0: refused unless the user says PTLab alone will read it
    add(r, PROMPT + "--prompt-position 1", "--allow-ptlab-only-prompt-position");
    add(r, PROMPT + "--freeze-head --train-head", "--train-head");
    add(r, PROMPT.replace("prompt --", "prefix --") + "--prefix-projection --prefix-hidden 0", "--prefix-hidden");
    add(r, PROMPT + "--init SAMPLE_VOCAB --vocab-cap -1", "--vocab-cap");
    add(r, PROMPT + "--init TEXT", "--init-text");
    add(r, PROMPT + "--init FILE", "--init-file");
    add(r, PROMPT + "--init FILE --init-file {dir}/missing", "missing");
    add(r, PROMPT + "--init CLASS_LABELS", "--label-words");
    add(r, PROMPT + "--init-scale NaN", "--init-scale");
    add(r, PROMPT + "--init-scale -1", "--init-scale");
    add(r, PROMPT + "--prompt-max-r -1", "--prompt-max-r");
    add(r, PROMPT + "--prompt-max-r NaN", "--prompt-max-r");
    add(r, TUNE + "--prompt-max-r 1", "--prompt-max-r");
    add(r, TUNE + "--set layers=0", "layers");
    add(r, TUNE + "--set nosuchkey=3", "nosuchkey");
    add(r, TUNE + "--set dModel=abc", "dModel");
    add(r, TUNE + "--set layers=1,nosuchkey=3", "nosuchkey");
    add(r, TUNE + "--betas 0.9", "--betas");
    add(r, TUNE + "--betas 0.9,x", "--betas");
    add(r, TUNE + "--betas 0.9,1", "--betas");
    add(r, TUNE + "--betas NaN,0.999", "--betas");
    add(r, TUNE + "--optimizer SGD --betas 0.9,0.99", "--betas");
    add(r, TUNE + "--set layers=1 nosuchkey=3", "nosuchkey=3"); // a second pair needs a comma or its own --set
    add(r, "tune --model nope --method lora --data {train} --out {out}", "nope");
  }

  private static void tunePaths(List<Row> r) {
    String noOut = "tune {M} --method lora --data {train} --quiet ";
    add(r, noOut + "--out ''", "--out");
    add(r, noOut, "--out");
    add(r, "tune {M} --method lora --out {out}", "--data");
    add(r, noOut + "--out {file}", "{file}");
    add(r, noOut + "--out {file}/sub", "{file}");
    add(r, noOut + "--out /dev/null", "/dev/null");
    add(r, noOut + "--out /sys", "/sys");
    add(r, noOut + "--out /sys/ptlab-out", "/sys/ptlab-out");
    add(r, noOut + "--out {run}", "--resume", Fixture::copyRun);
    add(r, TUNE.replace("{train}", "{dir}/missing.jsonl"), "missing.jsonl");
    add(r, TUNE.replace("{train}", "{dir}"), "{dir}");
    add(r, TUNE + "--validation {dir}/missing.jsonl", "missing.jsonl");
    add(r, "tune --resume {dir}/nothing", "nothing");
    add(r, "tune --resume {file}", "{file}");
    add(r, "tune --resume ''", "--resume");
  }

  private static void dataFiles(List<Row> r) {
    add(r, TUNE.replace("{train}", "{f:badjson.jsonl}"), "badjson.jsonl:2");
    add(r, TUNE.replace("{train}", "{f:neglabel.jsonl}"), "neglabel.jsonl:3");
    add(r, TUNE.replace("{train}", "{f:fraclabel.jsonl}"), "fraclabel.jsonl:1");
    add(r, TUNE.replace("{train}", "{f:bigtoken.jsonl}"), "bigtoken.jsonl:2");
    add(r, TUNE.replace("{train}", "{f:long.jsonl}"), "long.jsonl:1");
    add(r, TUNE.replace("{train}", "{f:empty.jsonl}"), "empty.jsonl");
    add(r, TUNE.replace("{train}", "{f:mixed.jsonl}"), "mixed.jsonl:2");
    add(r, TUNE.replace("{train}", "{f:bad.csv}"), "bad.csv");
    add(r, TUNE.replace("{train}", "{f:one.jsonl}") + "--val-fraction 0.5", "one.jsonl");
    add(r, TUNE + "--validation {f:val1e9.jsonl}", "val1e9.jsonl:2");
    add(r, TUNE + "--validation {f:vale9.jsonl}", "vale9.jsonl:2");
    add(r, TUNE + "--validation {f:val5.jsonl}", "val5.jsonl:1");
    add(r, TUNE + "--validation {f:valtarget.jsonl}", "valtarget.jsonl");
    add(r, TUNE + "--validation {f:bigtoken.jsonl}", "bigtoken.jsonl:2");
    add(r, TUNE + "--validation {f:badjson.jsonl}", "badjson.jsonl:2");
  }

  private static void resume(List<Row> r) {
    add(r, RESUME, "run.json", f -> f.damage("run.json", ""));
    add(r, RESUME, "run.json", f -> f.damage("run.json", "{"));
    add(r, RESUME, "run.json", f -> f.damage("run.json", "{}"));
    add(r, RESUME, "run.json", f -> f.damage("run.json", "{\"args\": 3}"));
    add(r, RESUME, "run.json", f -> f.damage("run.json", "[1, 2]"));
    add(r, RESUME, "run.json", f -> f.damage("run.json", "{\"args\": [\"--bogus\"]}"));
    add(r, RESUME, "run.json", f -> f.damage("run.json", "{\"args\": [\"--batch\", \"0\"]}"));
    add(r, RESUME, "state.json", f -> f.truncate("checkpoints/step-000000002/state.json", 20));
    add(r, RESUME, "state.json", f -> f.damage("checkpoints/step-000000002/state.json", "{}"));
    add(r, RESUME, "state.json", f -> f.delete("checkpoints/step-000000002/state.json"));
    add(r, RESUME, "latest", f -> f.damage("checkpoints/latest", "step-000000999\n"));
    add(r, RESUME, "latest", f -> f.damage("checkpoints/latest", ""));
    add(r, RESUME, "trainable.safetensors", f -> f.truncate("checkpoints/step-000000002/trainable.safetensors", 10));
    add(r, RESUME, "optimizer.safetensors", f -> f.delete("checkpoints/step-000000002/optimizer.safetensors"));
  }

  private static void eval(List<Row> r) {
    String adapter = EVAL + "--adapter {dir}/adapter";
    add(r, EVAL + "--batch 0", "--batch");
    add(r, EVAL.replace("{train}", "{dir}/missing.jsonl"), "missing.jsonl");
    add(r, EVAL + "--adapter {dir}/none", "none");
    add(r, EVAL + "--attention bogus", "--attention");
    add(r, EVAL.replace("{train}", "{f:bigtoken.jsonl}"), "bigtoken.jsonl:2");
    add(r, "eval --model nope --data {train}", "nope");
    add(r, "eval --model bert --set layers=0 --data {train}", "layers");
    add(r, "eval {M} --data {train}", "no trained classifier"); // a new head would be random
    add(r, EVAL.replace("{train}", "{f:data.txt}"), ".jsonl, .ndjson or .json"); // names what is accepted
    add(r, adapter, "adapter_config.json", f -> f.write("adapter/adapter_config.json", "{"));
    add(r, adapter, "adapter_config.json", f -> f.write("adapter/adapter_config.json", "[]"));
    add(r, adapter, "adapter_config.json", f -> f.write("adapter/adapter_config.json", "{\"peft_type\": \"NOPE\"}"));
    add(r, adapter, "adapter_config.json", f -> f.write("adapter/adapter_config.json", "{\"peft_type\": 7}"));
    add(r, adapter, "adapter_config.json",
        f -> f.write("adapter/adapter_config.json", "{\"peft_type\":\"LORA\",\"ptlab\":{\"head\":{\"kind\":\"BOGUS\"}}}"));
    add(r, adapter, "adapter_config.json",
        f -> f.write("adapter/adapter_config.json", "{\"peft_type\":\"LORA\",\"ptlab\":{\"class_names\":7}}"));
    // a prefix adapter's fields: PTLab's position choice and PEFT's prefix_projection must be booleans
    String prefix = "{\"peft_type\":\"PREFIX_TUNING\",\"num_virtual_tokens\":2,";
    add(r, adapter, "positions_after_prefix", f -> {
      f.write("adapter/adapter_config.json", prefix + "\"ptlab\":{\"positions_after_prefix\":\"yes\"}}");
      f.write("adapter/adapter_model.safetensors", zeros("prompt_embeddings", 2, 32));
    });
    add(r, adapter, "prefix_projection", f -> {
      f.write("adapter/adapter_config.json", prefix + "\"prefix_projection\":\"maybe\"}");
      f.write("adapter/adapter_model.safetensors", zeros("prompt_embeddings", 2, 32));
    });
    // a PEFT classifier (no ptlab.head) is sized from classifier.weight, which must be [classes, d]
    add(r, adapter, "classifier.weight", f -> {
      f.write("adapter/adapter_config.json", "{\"peft_type\":\"LORA\",\"modules_to_save\":[\"classifier\"]}");
      f.write("adapter/adapter_model.safetensors", zeros("base_model.model.classifier.weight", 3));
    });
    // a head trained alone (model_part.json) names the model's head module
    add(r, adapter, "\"module\"", f -> {
      f.write("adapter/model_part.json", "{\"module\":\"pooler\"}");
      f.write("adapter/model_part.safetensors", zeros("pooler.weight", 2));
    });
  }

  /** A safetensors file of one float32 tensor of zeros, as a string (every byte below 0x80, so UTF-8 keeps it). */
  static String zeros(String key, int... shape) {
    int n = 1;
    for (int d : shape) n *= d;
    String dims = java.util.Arrays.toString(shape).replace(" ", "");
    String header = "{\"" + key + "\":{\"dtype\":\"F32\",\"shape\":" + dims + ",\"data_offsets\":[0," + 4 * n + "]}}";
    header += " ".repeat((8 - header.length() % 8) % 8);
    StringBuilder s = new StringBuilder();
    long len = header.length();
    for (int i = 0; i < 8; i++) s.append((char) ((len >> (8 * i)) & 0xFF)); // little-endian length, below 0x80
    return s.append(header).append("\0".repeat(4 * n)).toString();
  }

  static final String GPT = "--model gpt --set dModel=16,layers=1,heads=2,headSize=8,mlpHidden=32 ";
  static final String GENERATE = "generate " + GPT + "--text hi ";
  static final String LM_TUNE = "tune " + GPT + "--method lora --out {out} --quiet --data ";

  /** Causal-LM data: per-token "labels" and prompt-completion lines (issue 15, item 4). */
  private static void causalLm(List<Row> r) {
    add(r, LM_TUNE + "{f:shortlabels.jsonl}", "shortlabels.jsonl:2: \"labels\" has 2 entries but the input has 3 tokens");
    add(r, LM_TUNE + "{f:nolabel.jsonl}", "nolabel.jsonl:1: \"labels\" score no token");
    add(r, LM_TUNE + "{f:bigbyte.jsonl}", "bigbyte.jsonl:1: \"labels\"[1] is 256");
    add(r, LM_TUNE + "{f:promptonly.jsonl}", "promptonly.jsonl:2: \"prompt\" without \"completion\"");
    add(r, LM_TUNE + "{f:completiononly.jsonl}", "completiononly.jsonl:1: \"completion\" without \"prompt\"");
    add(r, LM_TUNE + "{f:emptycompletion.jsonl}", "emptycompletion.jsonl:1: \"completion\" is empty");
    add(r, TUNE.replace("{train}", "{f:lmlabels.jsonl}"), "no LM head"); // labels on a bert: no language model
    add(r, "tune {M} --method lora --out {out} --quiet --data {f:qa.jsonl}", "qa.jsonl:1: \"prompt\" needs a tokenizer");
    add(r, "eval " + GPT + "--data {f:shortlabels.jsonl}", "shortlabels.jsonl:2");
    // LoRA in GPT-2's names on a GPT-2-shaped model: modules PTLab cannot map, PEFT's patterns, PTLab's record
    String adapter = "eval " + GPT + "--data {f:lmlabels.jsonl} --adapter {dir}/adapter";
    String lora = "{\"peft_type\":\"LORA\",\"r\":4,\"lora_alpha\":8,";
    String cAttn = "base_model.model.transformer.h.0.attn.c_attn.lora_A.weight";
    add(r, adapter, "'transformer.h.0.attn.q_attn' is not in the model", f -> {
      f.write("adapter/adapter_config.json", lora + "\"fan_in_fan_out\":true}");
      f.write("adapter/adapter_model.safetensors", zeros("base_model.model.transformer.h.0.attn.q_attn.lora_A.weight", 4, 16));
    });
    add(r, adapter, "'transformer.h.1.attn.c_attn' is not in the model", f -> { // the model has one layer
      f.write("adapter/adapter_config.json", lora + "\"fan_in_fan_out\":true}");
      f.write("adapter/adapter_model.safetensors", zeros("base_model.model.transformer.h.1.attn.c_attn.lora_A.weight", 4, 16));
    });
    add(r, adapter, "\"rank_pattern\" key 'c_(attn' is not a regular expression", f -> {
      f.write("adapter/adapter_config.json", lora + "\"rank_pattern\":{\"c_(attn\":2}}");
      f.write("adapter/adapter_model.safetensors", zeros(cAttn, 4, 16));
    });
    add(r, adapter, "\"rank_pattern\" gives 'transformer.h.0.attn.c_attn' 0", f -> {
      f.write("adapter/adapter_config.json", lora + "\"rank_pattern\":{\"c_attn\":0}}");
      f.write("adapter/adapter_model.safetensors", zeros(cAttn, 4, 16));
    });
    add(r, adapter, "\"alpha_pattern\" gives 'transformer.h.0.attn.c_attn' \"x\"", f -> {
      f.write("adapter/adapter_config.json", lora + "\"alpha_pattern\":{\"c_attn\":\"x\"}}");
      f.write("adapter/adapter_model.safetensors", zeros(cAttn, 4, 16));
    });
    add(r, adapter, "\"fan_in_fan_out\" is \"yes\"", f -> {
      f.write("adapter/adapter_config.json", lora + "\"fan_in_fan_out\":\"yes\"}");
      f.write("adapter/adapter_model.safetensors", zeros(cAttn, 4, 16));
    });
    add(r, adapter, "\"ptlab\".\"projections\"", f -> {
      f.write("adapter/adapter_config.json", lora + "\"ptlab\":{\"projections\":{\"r\":0}}}");
      f.write("adapter/adapter_model.safetensors", zeros(cAttn, 4, 16));
    });
  }

  private static void generate(List<Row> r) {
    add(r, "generate " + GPT, "--text");
    add(r, GENERATE + "--max-new-tokens 0", "--max-new-tokens");
    add(r, GENERATE + "--max-new-tokens -3", "--max-new-tokens");
    add(r, GENERATE + "--max-new-tokens x", "--max-new-tokens");
    add(r, GENERATE + "--max-new-tokens 300", "need 301 positions; the model has 256");
    add(r, GENERATE + "--temperature -1", "--temperature");
    add(r, GENERATE + "--temperature NaN", "--temperature");
    add(r, GENERATE + "--temperature Infinity", "--temperature");
    add(r, GENERATE + "--temperature 1 --top-k 0", "--top-k");
    add(r, GENERATE + "--top-k 5", "--top-k applies when sampling");
    add(r, GENERATE + "--seed x", "--seed");
    add(r, GENERATE + "--adapter {dir}/none", "none");
    add(r, "generate " + GPT + "--text ''", "--text is empty");
    add(r, "generate {M} --text hi", "cannot generate: it has no LM head"); // a bert encoder
    add(r, "generate --model paper --text hi", "cannot generate: it has no LM head");
    add(r, "generate --model gpt --set vocabSize=100 --text hi", "has no tokenizer to read --text");
    add(r, "generate --model nope --text hi", "nope");
  }

  private static void predict(List<Row> r) {
    add(r, "predict {M}", "--data");
    add(r, "predict {M} --data {train} --text hi", "mutually exclusive");
    add(r, "predict {M} --data {train} --batch 0", "--batch");
    add(r, "predict " + GPT + "--text hi", "cannot predict classes: it has no classification head (head lm)");
    add(r, "predict {M} --data {train}", "no classification head (head none)"); // an encoder without its classifier
    add(r, "predict {M} --data {dir}/missing.jsonl --adapter {dir}/none", "none");
    add(r, "predict {M} --data {train} --adapter {dir}/adapter", "adapter_config.json",
        f -> f.write("adapter/adapter_config.json", "{"));
  }

  private static void exportEmbedCertify(List<Row> r) {
    add(r, "export {M} --out {file}", "{file}");
    add(r, "export {M} --out /dev/null", "/dev/null");
    add(r, "export {M} --out {file}/sub", "{file}");
    add(r, "export {M} --out /sys/ptlab-out", "/sys/ptlab-out");
    add(r, "export {M} --out ''", "--out");
    add(r, "export --model nope --out {out}", "nope");
    add(r, "export --model bert --set layers=0 --out {out}", "layers");
    add(r, "export {M} --format onnx --out {out}", "--format");
    add(r, "export --model paper --format hf --out {out}", "hf");
    add(r, "export --model gpt --set typeVocabSize=2 --format hf --out {out}", "token-type");
    gpt2Folders(r);
    add(r, "embed --model bert --text hi", "--model");
    add(r, "embed --model nope --text hi", "nope");
    add(r, CERTIFY + "--radius -1", "--radius");
    add(r, CERTIFY + "--prompt-radius NaN", "--prompt-radius");
    add(r, CERTIFY + "--prompt-length 0", "--prompt-length");
    add(r, CERTIFY + "--adapter {dir}/none", "none");
    add(r, CERTIFY + "--lora-out {file}", "{file}");
    add(r, CERTIFY + "--lora-out /dev/null", "/dev/null");
    add(r, CERTIFY + "--lora-out ''", "--lora-out");
    add(r, "certify --model {st} --data {dir}/missing.jsonl", "missing.jsonl");
    add(r, "certify --model {st} --data {train}", "--data");
  }

  /** HF GPT-2 folders ({dir}/g2, written by export --format hf) with one thing wrong. */
  private static void gpt2Folders(List<Row> r) {
    String g2 = "export --model {dir}/g2 --out {out}";
    add(r, g2, "activation_function", f -> f.gpt2("g2", "\"gelu\"", "\"swish\""));
    add(r, g2, "scale_attn_by_inverse_layer_idx",
        f -> f.gpt2("g2", "\"scale_attn_by_inverse_layer_idx\" : false", "\"scale_attn_by_inverse_layer_idx\" : true"));
    add(r, g2, "n_embd", f -> f.gpt2("g2", "\"n_embd\" : 16", "\"n_embd\" : 16.5"));
    add(r, g2, "transformer.h.0.attn.rotary.weight", f -> {
      f.gpt2("g2", "", "");
      f.addTensor("g2/model.safetensors", "transformer.h.0.attn.rotary.weight");
    });
    add(r, g2, "lm_head.weight", f -> { // tied in config.json, yet a different lm_head in the file
      f.gpt2("g2", "\"tie_word_embeddings\" : false", "\"tie_word_embeddings\" : true");
    });
    add(r, "export --model {dir}/pt --format hf --out {out}", "lm_head.bias", f -> f.trainedGpt("pt"));
    add(r, "eval --model {dir}/g2 --data {dir}/lm.jsonl", "merges", f -> {
      f.gpt2("g2", "\"vocab_size\" : 256", "\"vocab_size\" : 259");
      f.write("g2/tokenizer.json", ExportCommandHfTest.tinyBpeTokenizer(false));
      f.write("lm.jsonl", "{\"text\": \"the thing\"}\n");
    });
  }

  private static void construct(List<Row> r) {
    add(r, SHARED + "--d 0", "--d");
    add(r, SHARED + "--r 0", "--r");
    add(r, SHARED + "--ell -1", "--ell");
    add(r, SHARED + "--ell NaN", "--ell");
    add(r, SHARED + "--alpha NaN", "--alpha");
    add(r, "construct shared-token --out {file}", "{file}");
    add(r, "construct shared-token --out /dev/null", "/dev/null");
    add(r, "construct shared-token --out {file}/sub", "{file}");
    add(r, "construct shared-token --out /sys/ptlab-out", "/sys/ptlab-out");
    add(r, "construct shared-token --out ''", "--out");
    add(r, "construct universal --d 0 --L 2 --delta 0.5", "--d");
    add(r, "construct universal --d 1 --L 0 --delta 0.5", "--L");
    add(r, "construct universal --d 1 --L 2 --delta 0.3", "0.3");
    add(r, UNIVERSAL + "--member -1", "--member");
    add(r, UNIVERSAL + "--out {file}", "{file}");
    add(r, UNIVERSAL + "--out {dir}", "{dir}");
    add(r, UNIVERSAL + "--out /dev/null", "/dev/null");
    add(r, UNIVERSAL + "--out ''", "--out");
  }

  private static void reproduce(List<Row> r) {
    add(r, "reproduce --only '' --out {out}", "--only");
    add(r, "reproduce --only , --out {out}", "--only");
    add(r, "reproduce --only E99 --out {out}", "E99");
    add(r, REPRODUCE + "--threads 0 --out {out}", "--threads");
    add(r, REPRODUCE + "--repeats 0 --out {out}", "--repeats");
    add(r, REPRODUCE + "--engine nope --out {out}", "nope");
    add(r, REPRODUCE + "--master local[2] --out {out}", "--master");
    add(r, "reproduce --quick --full --out {out}", "--quick");
    add(r, "reproduce --size huge --out {out}", "huge");
    add(r, REPRODUCE + "--out {file}", "{file}");
    add(r, REPRODUCE + "--out /dev/null", "/dev/null");
    add(r, REPRODUCE + "--out {file}/sub", "{file}");
    add(r, REPRODUCE + "--out /sys/ptlab-out", "/sys/ptlab-out");
    add(r, REPRODUCE + "--out ''", "--out");
    add(r, REPRODUCE + "--out {dir}/store", "runs.sqlite", f -> f.write("store/runs.sqlite", "not a database\n"));
  }

  private static void add(List<Row> rows, String args, String names) {
    add(rows, args, names, f -> { });
  }

  private static void add(List<Row> rows, String args, String names, Setup setup) {
    rows.add(new Row(args.strip(), 2, names, setup));
  }

  static List<String> model() {
    return List.of("--model", "bert", "--set", "vocabSize=40", "--set", "dModel=16", "--set", "layers=1",
        "--set", "heads=2", "--set", "headSize=8", "--set", "mlpHidden=32", "--set", "maxPositions=32");
  }

  /** 16 token sequences with labels 0 and 1 (label 1 when most tokens are above 20). */
  static Path writeTrain(Path dir) throws IOException {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < 16; i++) {
      int a = 1 + (7 * i) % 39;
      int b = 1 + (13 * i + 5) % 39;
      s.append("{\"tokens\":[").append(a).append(',').append(b).append("],\"label\":")
          .append(a + b > 40 ? 1 : 0).append("}\n");
    }
    Path p = dir.resolve("train.jsonl");
    Files.writeString(p, s);
    return p;
  }

  /** One row's folder: expands a command line, and damages copies of files. */
  static final class Fixture {
    final Path dir;
    final Path template;

    Fixture(Path dir, Path template) throws IOException {
      this.dir = dir;
      this.template = template;
      writeTrain(dir);
      Files.writeString(dir.resolve("file.txt"), "a regular file\n");
    }

    String[] expand(String args) throws IOException {
      List<String> out = new ArrayList<>();
      for (String word : args.split(" ")) {
        if (word.equals("{M}")) out.addAll(model());
        else out.add(expandOne(word));
      }
      return out.toArray(String[]::new);
    }

    String expandOne(String word) throws IOException {
      if (word.equals("''")) return "";
      if (word.contains("{st}")) word = word.replace("{st}", sharedToken().toString());
      int f = word.indexOf("{f:");
      if (f >= 0) {
        String name = word.substring(f + 3, word.indexOf('}', f));
        Files.writeString(dir.resolve(name), FILES.get(name));
        word = word.replace("{f:" + name + "}", dir.resolve(name).toString());
      }
      return word.replace("{dir}", dir.toString()).replace("{train}", dir.resolve("train.jsonl").toString())
          .replace("{out}", dir.resolve("out").toString()).replace("{file}", dir.resolve("file.txt").toString())
          .replace("{run}", dir.resolve("run").toString());
    }

    /** The shared-token model and data, built once per JVM next to the template run. */
    private Path sharedToken() throws IOException {
      Path st = template.resolveSibling("st");
      synchronized (BadInputRows.class) {
        if (!Files.exists(st)) {
          String[] r = MainTest.run("construct", "shared-token", "--out", st.toString());
          if (!r[0].equals("0")) throw new IllegalStateException(r[2]);
        }
      }
      return st;
    }

    /** Copies the interrupted run to {dir}/run, pointing its saved --out at the copy. */
    void copyRun() throws IOException {
      Path run = dir.resolve("run");
      try (Stream<Path> s = Files.walk(template)) {
        for (Path p : s.toList()) {
          Path to = run.resolve(template.relativize(p).toString());
          if (Files.isDirectory(p)) Files.createDirectories(to);
          else Files.copy(p, to, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
      Path runJson = run.resolve(TuneCommand.RUN_FILE);
      Files.writeString(runJson, Files.readString(runJson).replace(template.toString(), run.toString())
          .replace(template.resolveSibling("train.jsonl").toString(), dir.resolve("train.jsonl").toString()));
    }

    void damage(String rel, String content) throws IOException {
      copyRun();
      Files.writeString(dir.resolve("run").resolve(rel), content);
    }

    void truncate(String rel, int bytes) throws IOException {
      copyRun();
      Path p = dir.resolve("run").resolve(rel);
      byte[] b = Files.readAllBytes(p);
      Files.write(p, java.util.Arrays.copyOf(b, Math.min(bytes, b.length)));
    }

    void delete(String rel) throws IOException {
      copyRun();
      Files.delete(dir.resolve("run").resolve(rel));
    }

    /** A small gpt preset written as a GPT-2 folder at {@code rel}, its config.json with {@code from} → {@code to}. */
    void gpt2(String rel, String from, String to) throws IOException {
      String[] r = MainTest.run("export", "--model", "gpt", "--set", "layers=1", "--set", "dModel=16", "--set",
          "heads=2", "--set", "mlpHidden=32", "--set", "maxPositions=32", "--format", "hf", "--out",
          dir.resolve(rel).toString());
      if (!r[0].equals("0")) throw new IllegalStateException(r[2]);
      Path cfg = dir.resolve(rel).resolve("config.json");
      String json = Files.readString(cfg);
      if (!json.contains(from)) throw new IllegalStateException(from + " not in " + json);
      Files.writeString(cfg, json.replace(from, to));
    }

    /** Adds a small tensor called {@code name} to a safetensors file. */
    void addTensor(String rel, String name) throws IOException {
      Path p = dir.resolve(rel);
      java.util.Map<String, org.ptlab.tensor.Tensor> w = new java.util.LinkedHashMap<>();
      try (org.ptlab.io.safetensors.SafetensorsFile f = org.ptlab.io.safetensors.SafetensorsFile.open(p)) {
        for (String n : f.names()) w.put(n, f.tensor(n, org.ptlab.tensor.DType.F32));
      }
      w.put(name, org.ptlab.tensor.Tensor.zeros(org.ptlab.tensor.DType.F32, 2));
      org.ptlab.io.safetensors.SafetensorsWriter.write(p, w, Map.of("format", "pt"));
    }

    /** A small gpt preset in PTLab's format at {@code rel} whose LM head has a non-zero bias (as after training). */
    void trainedGpt(String rel) throws IOException {
      String[] r = MainTest.run("export", "--model", "gpt", "--set", "layers=1", "--set", "dModel=16", "--set",
          "heads=2", "--set", "mlpHidden=32", "--set", "maxPositions=32", "--out", dir.resolve(rel).toString());
      if (!r[0].equals("0")) throw new IllegalStateException(r[2]);
      Path p = dir.resolve(rel).resolve("model.safetensors");
      java.util.Map<String, org.ptlab.tensor.Tensor> w = new java.util.LinkedHashMap<>();
      try (org.ptlab.io.safetensors.SafetensorsFile f = org.ptlab.io.safetensors.SafetensorsFile.open(p)) {
        for (String n : f.names()) w.put(n, f.tensor(n, org.ptlab.tensor.DType.F32));
      }
      w.get("lm_head.bias").setFlat(3, 0.5);
      org.ptlab.io.safetensors.SafetensorsWriter.write(p, w, Map.of("format", "pt"));
    }

    void write(String rel, String content) throws IOException {
      Path p = dir.resolve(rel);
      Files.createDirectories(p.getParent());
      Files.writeString(p, content);
    }
  }
}
