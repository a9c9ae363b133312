package org.ptlab.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ptlab.io.tokenizer.Tokenizer;
import org.ptlab.nn.Transformer;
import org.ptlab.nn.TransformerConfig;
import org.ptlab.tuning.AdapterFiles;
import org.ptlab.tuning.AdapterJson;
import org.ptlab.tuning.TunedModel;
import org.ptlab.tuning.generate.GenerationConfig;
import org.ptlab.tuning.generate.Generator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ptlab generate}: continues a text with a causal language model and its adapter. */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
    header = "Generate text from a causal language model and adapter.",
    customSynopsis = "ptlab generate --model DIR|gpt --text TEXT [--adapter DIR] [OPTIONS]",
    description = {
      "Reads --text with the model's tokenizer (the gpt preset reads UTF-8 bytes), then generates with a KV cache: "
          + "an adapter's soft prompt is placed once before the text and a prefix's keys and values come first, "
          + "exactly as in training. Greedy by default (--temperature 0, deterministic); with --temperature T > 0 "
          + "it samples, the same --seed giving the same text. Generation stops early at the tokenizer's end-of-text "
          + "token (GPT-2's <|endoftext|>, not printed) unless --ignore-eos is given.",
      "Prints the continuation (without the text); --json prints {\"text\":…,\"tokens\":[…],"
          + "\"prompt_tokens\":[…],\"generated\":…,\"stopped_at_end_of_text\":…}. Only causal models with an LM head can generate."
    })
final class GenerateCommand implements Callable<Integer>, HelpLayout.OwnSections {
  @Mixin ModelOptions model = new ModelOptions();

  @Option(names = "--adapter", paramLabel = "DIR", description = "adapter folder (from ptlab tune or PEFT)")
  Path adapter;

  @Option(names = "--text", required = true, paramLabel = "TEXT", description = "the text to continue")
  String text;

  @Option(names = "--max-new-tokens", paramLabel = "N", defaultValue = "32",
      description = "tokens to generate (default: ${DEFAULT-VALUE})")
  int maxNewTokens;

  @Option(names = "--temperature", paramLabel = "T", defaultValue = "0",
      description = "0 = greedy (the most likely token); above 0, sample from softmax(logits / T) "
          + "(default: ${DEFAULT-VALUE})")
  double temperature;

  @Option(names = "--top-k", paramLabel = "K",
      description = "when sampling, draw only from the K most likely tokens (default: no limit)")
  Integer topK;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
      description = "seed of the sampling (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--ignore-eos",
      description = "generate all --max-new-tokens tokens even after the end-of-text token")
  boolean ignoreEos;

  @Option(names = "--json", description = "print one JSON object on stdout")
  boolean json;

  @Override
  public Map<String, List<String>> ownSections() {
    return Map.of("Data", List.of("--adapter", "--text"),
        "Generation", List.of("--max-new-tokens", "--temperature", "--top-k", "--seed", "--ignore-eos"), "Output", List.of("--json"));
  }

  @Override
  public Integer call() throws Exception {
    if (topK != null && topK < 1) throw new UserError("--top-k must be >= 1, got " + topK);
    GenerationConfig generation = new GenerationConfig(maxNewTokens, temperature, topK == null ? 0 : topK, seed);
    if (topK != null && generation.isGreedy()) {
      throw new UserError("--top-k applies when sampling; give --temperature T > 0 too (0, the default, is greedy)");
    }
    TransformerConfig config = model.config();
    String why = Generator.whyNot(config);
    if (why != null) throw new UserError("--model " + model.model + ": cannot generate: " + why);
    Tokenizer tokenizer = model.tokenizer();
    if (tokenizer == null) {
      throw new UserError("--model " + model.model + ": has no tokenizer to read --text (a folder needs "
          + "tokenizer.json)");
    }
    if (text.isEmpty()) throw new UserError("--text is empty: give a text to continue");
    int[] prompt = encode(tokenizer, config);
    Transformer base = model.load(config);
    TunedModel tuned = adapter == null ? TunedModel.of(base) : AdapterFiles.load(adapter, base);
    int stop = ignoreEos ? -1 : tokenizer.endOfTextId();
    int[] ids = Generator.generate(tuned, prompt, generation.stoppingAt(stop));
    String continuation = decode(tokenizer, ids);
    if (json) {
      ObjectNode out = AdapterJson.object();
      if (continuation != null) out.put("text", continuation);
      else out.putNull("text");
      out.set("tokens", AdapterJson.MAPPER.valueToTree(ids));
      out.set("prompt_tokens", AdapterJson.MAPPER.valueToTree(prompt));
      out.put("generated", ids.length);
      out.put("stopped_at_end_of_text", stop >= 0 && ids.length < maxNewTokens);
      System.out.println(AdapterJson.compact(out));
    } else {
      System.out.println(continuation != null ? continuation : joined(ids));
    }
    return 0;
  }

  private int[] encode(Tokenizer tokenizer, TransformerConfig config) {
    int[] ids = tokenizer.encode(text);
    if (ids.length == 0) throw new UserError("--text encodes to no tokens");
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] >= config.vocabSize()) {
        throw new UserError("--text: token id " + ids[i] + " at position " + i + " is not below the model's vocabulary "
            + "size " + config.vocabSize());
      }
    }
    return ids;
  }

  /** The tokens as text, or null when the tokenizer cannot decode (the ids are printed instead). */
  private static String decode(Tokenizer tokenizer, int[] ids) {
    try {
      return tokenizer.decode(ids);
    } catch (UnsupportedOperationException e) {
      return null;
    }
  }

  private static String joined(int[] ids) {
    StringBuilder s = new StringBuilder();
    for (int id : ids) s.append(s.length() == 0 ? "" : " ").append(id);
    return s.toString();
  }
}
