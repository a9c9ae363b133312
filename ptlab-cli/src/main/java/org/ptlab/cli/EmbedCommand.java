package org.ptlab.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ptlab.io.model.MiniLm;
import org.ptlab.io.model.ModelSource;
import org.ptlab.io.tokenizer.Tokenizer;
import org.ptlab.io.tokenizer.WordPieceTokenizer;
import org.ptlab.nn.SentenceEmbedding;
import org.ptlab.nn.Transformer;
import org.ptlab.tuning.AdapterJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ptlab embed}: the sentence embedding of a text, as sentence-transformers computes it. */
@Command(name = "embed", mixinStandardHelpOptions = true, sortOptions = false,
    header = "Embed a sentence with all-MiniLM-L6-v2, like sentence-transformers.",
    customSynopsis = "ptlab embed --text TEXT [--model NAME|DIR|FILE.onnx] [--json]",
    description = {
      "WordPiece tokens with [CLS]/[SEP], the encoder's last hidden states mean-pooled over the real tokens, then "
          + "L2-normalised. Cosine similarity of two embeddings is their dot product. --model may also name a "
          + "fine-tuned copy saved by ptlab tune --method full.",
      "--json prints {\"text\":…,\"tokens\":[…],\"ids\":[…],\"embedding\":[…],\"normalized\":true}."
    })
final class EmbedCommand implements Callable<Integer>, HelpLayout.OwnSections {
  @Mixin ModelOptions model = new ModelOptions();

  @Option(names = "--text", required = true, paramLabel = "TEXT", description = "the sentence to embed")
  String text;

  @Option(names = "--json", description = "print one JSON object on stdout")
  boolean json;

  @Override
  public Map<String, List<String>> ownSections() {
    return Map.of("Input", List.of("--text"), "Output", List.of("--json"));
  }

  @Override
  public Integer call() throws Exception {
    if (model.model == null) model.model = MiniLm.NAME;
    Tokenizer tokenizer = model.tokenizer();
    if (!(tokenizer instanceof WordPieceTokenizer wordPiece)) {
      throw new UserError("--model: " + model.model + " has no WordPiece tokenizer; embed needs minilm or a folder "
          + "saved from it (with " + ModelSource.TOKENIZER + ")");
    }
    if (text.isBlank()) throw new UserError("--text is empty");
    Transformer encoder = model.load(model.config());
    int[] ids = wordPiece.encode(text);
    float[] e = SentenceEmbedding.embed(encoder, ids);
    List<String> tokens = java.util.Arrays.stream(ids).mapToObj(wordPiece::token).toList();
    if (json) {
      ObjectNode o = AdapterJson.object();
      o.put("text", text);
      o.set("tokens", AdapterJson.MAPPER.valueToTree(tokens));
      o.set("ids", AdapterJson.MAPPER.valueToTree(ids));
      o.set("embedding", AdapterJson.MAPPER.valueToTree(e));
      o.put("normalized", true);
      System.out.println(AdapterJson.compact(o));
    } else {
      StringBuilder head = new StringBuilder();
      for (int i = 0; i < Math.min(8, e.length); i++) head.append(String.format(Locale.ROOT, "%s%.6f", i > 0 ? ", " : "", e[i]));
      System.out.printf(Locale.ROOT, "%d tokens: %s%n%d-dim embedding (L2-normalised): [%s, …]%n", ids.length,
          String.join(" ", tokens), e.length, head);
    }
    return 0;
  }
}
