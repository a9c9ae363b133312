package org.ptlab.io.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ptlab.io.Json;
import org.ptlab.io.OneLine;

/**
 * Reads byte-level BPE tokenizers: an HF {@code tokenizer.json} (model BPE with vocab and merges, the merges as
 * {@code "a b"} strings or {@code ["a", "b"]} pairs; pre-tokenizer ByteLevel with its regex; decoder and
 * post-processor ByteLevel or none) or OpenAI's {@code encoder.json} + {@code vocab.bpe}. Anything that would
 * tokenize differently (a normalizer, BPE dropout, an unk token, subword prefixes or suffixes, byte fallback,
 * truncation, a template post-processor) is refused by name rather than ignored.
 */
final class BpeTokenizerJson {
  private final String source;

  private BpeTokenizerJson(String source) {
    this.source = source;
  }

  /** Whether a parsed tokenizer.json's model is BPE (else the WordPiece reader takes it, and names what it is). */
  static boolean isBpe(JsonNode root) {
    return root != null && "BPE".equals(root.path("model").path("type").asText(""));
  }

  static ByteLevelBpeTokenizer read(InputStream in, String source) {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(in);
    } catch (IOException e) {
      throw new IllegalArgumentException(source + ": not a tokenizer.json: " + OneLine.of(e.getMessage()));
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException(source + ": not a tokenizer.json: expected a JSON object");
    }
    return new BpeTokenizerJson(source).parse(root);
  }

  static ByteLevelBpeTokenizer readPair(Path encoderJson, Path vocabBpe) throws IOException {
    BpeTokenizerJson r = new BpeTokenizerJson(encoderJson.toString());
    JsonNode enc;
    try {
      enc = Json.MAPPER.readTree(encoderJson.toFile());
    } catch (IOException e) {
      throw new IllegalArgumentException(encoderJson + ": not JSON: " + OneLine.of(e.getMessage()));
    }
    if (enc == null || !enc.isObject()) throw new IllegalArgumentException(encoderJson + ": expected a JSON object");
    Map<String, Integer> vocab = r.vocab(enc, "encoder.json");
    List<String[]> merges = new ArrayList<>();
    List<String> lines = Files.readAllLines(vocabBpe, StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || (i == 0 && line.startsWith("#version"))) continue;
      String[] pair = line.split("\\s+");
      if (pair.length != 2) {
        throw new IllegalArgumentException(vocabBpe + ":" + (i + 1) + ": a merge is two symbols, got \""
            + OneLine.of(line) + "\"");
      }
      merges.add(pair);
    }
    if (merges.isEmpty()) throw new IllegalArgumentException(vocabBpe + ": no merges");
    ByteLevelBpe model = new ByteLevelBpe(vocab, merges, false, vocabBpe.toString());
    List<WordPieceTokenizer.Added> added = new ArrayList<>();
    Integer eot = vocab.get(ByteLevelBpeTokenizer.END_OF_TEXT);
    if (eot != null) added.add(new WordPieceTokenizer.Added(ByteLevelBpeTokenizer.END_OF_TEXT, eot));
    return new ByteLevelBpeTokenizer(encoderJson.toString(), model, vocab, added, false, null);
  }

  private ByteLevelBpeTokenizer parse(JsonNode root) {
    JsonNode model = root.get("model");
    if (model == null || !model.isObject()) throw bad("no \"model\" object");
    String type = model.path("type").asText("");
    if (!type.equals("BPE")) throw bad("\"model\".\"type\" is \"" + type + "\"; expected BPE");
    requireAbsent(model, "dropout", "BPE dropout");
    requireAbsent(model, "unk_token", "an unk_token (byte-level BPE has none)");
    requireEmpty(model, "continuing_subword_prefix");
    requireEmpty(model, "end_of_word_suffix");
    requireFalse(model, "byte_fallback");
    JsonNode vocabNode = model.get("vocab");
    if (vocabNode == null || !vocabNode.isObject()) throw bad("no \"model\".\"vocab\" object");
    Map<String, Integer> vocab = vocab(vocabNode, "\"model\".\"vocab\"");
    JsonNode mergesNode = model.get("merges");
    if (mergesNode == null || !mergesNode.isArray()) throw bad("no \"model\".\"merges\" list");
    List<String[]> merges = new ArrayList<>(mergesNode.size());
    for (JsonNode m : mergesNode) merges.add(merge(m, merges.size() + 1));
    ByteLevelBpe bpe = new ByteLevelBpe(vocab, merges, model.path("ignore_merges").asBoolean(false), source);

    if (root.hasNonNull("normalizer")) throw bad("\"normalizer\" is set; a byte-level BPE reads the text as is");
    JsonNode pre = root.get("pre_tokenizer");
    if (pre == null || !"ByteLevel".equals(pre.path("type").asText(""))) {
      throw bad("\"pre_tokenizer\" is " + (pre == null ? "missing" : pre.path("type").asText("?"))
          + "; only ByteLevel is supported with a BPE model");
    }
    if (!pre.path("use_regex").asBoolean(true)) throw bad("\"pre_tokenizer\".\"use_regex\" is false; GPT-2 splits with it");
    for (String part : List.of("decoder", "post_processor")) {
      JsonNode n = root.get(part);
      if (n != null && !n.isNull() && !"ByteLevel".equals(n.path("type").asText(""))) {
        throw bad("\"" + part + "\" is " + n.path("type").asText("?") + "; only ByteLevel (or none) is supported");
      }
    }
    if (root.hasNonNull("truncation")) throw bad("\"truncation\" is set; not supported for byte-level BPE");
    List<WordPieceTokenizer.Added> added = new ArrayList<>();
    for (JsonNode t : root.path("added_tokens")) {
      String content = t.path("content").asText("");
      if (!t.path("id").canConvertToInt()) throw bad("added token \"" + OneLine.of(content) + "\" has no \"id\"");
      for (String flag : List.of("single_word", "lstrip", "rstrip")) {
        if (t.path(flag).asBoolean(false)) {
          throw bad("added token \"" + OneLine.of(content) + "\" sets " + flag + ", which is not supported");
        }
      }
      if (!content.isEmpty()) added.add(new WordPieceTokenizer.Added(content, t.get("id").asInt()));
    }
    JsonNode padding = root.get("padding");
    Integer padId = padding != null && padding.has("pad_id") ? Integer.valueOf(padding.get("pad_id").asInt()) : null;
    return new ByteLevelBpeTokenizer(source, bpe, vocab, added, pre.path("add_prefix_space").asBoolean(false), padId);
  }

  private String[] merge(JsonNode m, int n) {
    if (m.isTextual()) {
      String s = m.asText();
      int space = s.indexOf(' ');
      if (space > 0 && space < s.length() - 1 && s.indexOf(' ', space + 1) < 0) {
        return new String[] {s.substring(0, space), s.substring(space + 1)};
      }
    } else if (m.isArray() && m.size() == 2 && m.get(0).isTextual() && m.get(1).isTextual()) {
      return new String[] {m.get(0).asText(), m.get(1).asText()};
    }
    throw bad("\"model\".\"merges\" entry " + n + " is " + OneLine.of(m.toString()) + ", not \"a b\" or [\"a\", \"b\"]");
  }

  private Map<String, Integer> vocab(JsonNode node, String what) {
    Map<String, Integer> vocab = new HashMap<>(node.size() * 2);
    node.fields().forEachRemaining(e -> {
      if (!e.getValue().canConvertToInt() || e.getValue().asInt() < 0) {
        throw bad(what + " maps \"" + OneLine.of(e.getKey()) + "\" to " + OneLine.of(e.getValue().toString())
            + ", not a token id");
      }
      vocab.put(e.getKey(), e.getValue().asInt());
    });
    if (vocab.isEmpty()) throw bad(what + " is empty");
    return vocab;
  }

  private void requireAbsent(JsonNode model, String field, String what) {
    if (model.hasNonNull(field)) throw bad("\"model\".\"" + field + "\" is set: " + what + " is not supported");
  }

  private void requireEmpty(JsonNode model, String field) {
    if (!model.path(field).asText("").isEmpty()) {
      throw bad("\"model\".\"" + field + "\" is \"" + OneLine.of(model.get(field).asText()) + "\"; byte-level BPE has none");
    }
  }

  private void requireFalse(JsonNode model, String field) {
    if (model.path(field).asBoolean(false)) throw bad("\"model\".\"" + field + "\" is true; not supported");
  }

  private IllegalArgumentException bad(String what) {
    return new IllegalArgumentException(source + ": " + what);
  }
}
