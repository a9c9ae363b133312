package org.ptlab.io.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ptlab.io.Json;

/**
 * Reads the parts of an HF {@code tokenizer.json} that a BERT-style WordPiece tokenizer uses, and rejects any
 * other pipeline by name rather than tokenizing it differently from HF. Read: {@code model} (WordPiece: vocab,
 * unk_token, continuing_subword_prefix, max_input_chars_per_word), {@code normalizer} (BertNormalizer or null),
 * {@code pre_tokenizer} (BertPreTokenizer), {@code post_processor} (TemplateProcessing, BertProcessing or null),
 * {@code added_tokens}, {@code truncation} and {@code padding}. Ignored: the decoder (ids are never decoded here)
 * and the fixed padding length (a batch pads to its own longest sequence).
 */
final class TokenizerJson {
  private final String source;

  private TokenizerJson(String source) {
    this.source = source;
  }

  static WordPieceTokenizer read(InputStream in, String source) {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(in);
    } catch (IOException e) {
      String first = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
      throw new IllegalArgumentException(source + ": not a tokenizer.json: " + first);
    }
    if (root == null || !root.isObject()) throw new IllegalArgumentException(source + ": not a tokenizer.json: expected a JSON object");
    return new TokenizerJson(source).parse(root);
  }

  private WordPieceTokenizer parse(JsonNode root) {
    JsonNode model = object(root, "model");
    String type = model.path("type").asText("");
    if (!type.equals("WordPiece")) throw bad("\"model\".\"type\" is \"" + type + "\"; only WordPiece is supported");
    Map<String, Integer> vocab = vocab(object(model, "vocab"));
    String unk = text(model, "unk_token", null);
    Integer unkId = vocab.get(unk);
    if (unkId == null) throw bad("\"model\".\"unk_token\" \"" + unk + "\" is not in the vocab");
    int maxChars = model.path("max_input_chars_per_word").asInt(100);
    WordPiece wordPiece = new WordPiece(vocab, unkId, text(model, "continuing_subword_prefix", "##"), maxChars);

    checkType(root, "pre_tokenizer", "BertPreTokenizer");
    BertNormalizer normalizer = normalizer(root.get("normalizer"));
    List<WordPieceTokenizer.Added> raw = new ArrayList<>();
    List<WordPieceTokenizer.Added> normalized = new ArrayList<>();
    addedTokens(root.path("added_tokens"), raw, normalized);
    List<Integer> before = new ArrayList<>();
    List<Integer> after = new ArrayList<>();
    postProcessor(root.get("post_processor"), vocab, before, after);
    JsonNode truncation = root.get("truncation");
    int maxLength = truncation == null || truncation.isNull() ? 0 : truncation.path("max_length").asInt(0);
    boolean left = truncation != null && "Left".equals(truncation.path("direction").asText("Right"));
    JsonNode padding = root.get("padding");
    Integer padId = padding != null && padding.has("pad_id") ? Integer.valueOf(padding.get("pad_id").asInt()) : vocab.get("[PAD]");
    if (padId == null) throw bad("no \"padding\".\"pad_id\" and no [PAD] token in the vocab");
    return new WordPieceTokenizer(source, wordPiece, normalizer, raw, normalized, ints(before), ints(after), maxLength,
        left, padId);
  }

  private Map<String, Integer> vocab(JsonNode node) {
    Map<String, Integer> vocab = new HashMap<>(node.size() * 2);
    node.fields().forEachRemaining(e -> {
      if (!e.getValue().canConvertToInt() || e.getValue().asInt() < 0) {
        throw bad("\"model\".\"vocab\" maps \"" + e.getKey() + "\" to " + e.getValue() + ", not a token id");
      }
      vocab.put(e.getKey(), e.getValue().asInt());
    });
    if (vocab.isEmpty()) throw bad("\"model\".\"vocab\" is empty");
    return vocab;
  }

  private BertNormalizer normalizer(JsonNode n) {
    if (n == null || n.isNull()) return null;
    String type = n.path("type").asText("");
    if (!type.equals("BertNormalizer")) throw bad("\"normalizer\" is " + type + "; only BertNormalizer is supported");
    boolean lowercase = n.path("lowercase").asBoolean(true);
    JsonNode strip = n.get("strip_accents");
    boolean stripAccents = strip == null || strip.isNull() ? lowercase : strip.asBoolean(); // HF: null follows lowercase
    return new BertNormalizer(n.path("clean_text").asBoolean(true), n.path("handle_chinese_chars").asBoolean(true),
        stripAccents, lowercase);
  }

  private void addedTokens(JsonNode list, List<WordPieceTokenizer.Added> raw,
      List<WordPieceTokenizer.Added> normalized) {
    for (JsonNode t : list) {
      String content = text(t, "content", null);
      if (!t.path("id").canConvertToInt()) throw bad("added token \"" + content + "\" has no \"id\"");
      for (String flag : List.of("single_word", "lstrip", "rstrip")) {
        if (t.path(flag).asBoolean(false)) throw bad("added token \"" + content + "\" sets " + flag + ", which is not supported");
      }
      if (content.isEmpty()) continue;
      var added = new WordPieceTokenizer.Added(content, t.get("id").asInt());
      (t.path("normalized").asBoolean(!t.path("special").asBoolean(false)) ? normalized : raw).add(added);
    }
  }

  /** The special tokens around a single sequence: TemplateProcessing's "single", or BertProcessing's cls/sep. */
  private void postProcessor(JsonNode p, Map<String, Integer> vocab, List<Integer> before, List<Integer> after) {
    if (p == null || p.isNull()) return;
    String type = p.path("type").asText("");
    if (type.equals("BertProcessing")) {
      before.add(idOf(p.path("cls"), "\"post_processor\".\"cls\""));
      after.add(idOf(p.path("sep"), "\"post_processor\".\"sep\""));
    } else if (type.equals("TemplateProcessing")) {
      boolean seenSequence = false;
      for (JsonNode piece : p.path("single")) {
        if (piece.has("Sequence")) {
          seenSequence = true;
          continue;
        }
        String name = piece.path("SpecialToken").path("id").asText(null);
        JsonNode special = p.path("special_tokens").path(String.valueOf(name));
        if (name == null || special.path("ids").size() == 0) throw bad("\"post_processor\" names special token " + name + " without its ids");
        for (JsonNode id : special.get("ids")) (seenSequence ? after : before).add(id.asInt());
      }
      if (!seenSequence) throw bad("\"post_processor\".\"single\" has no Sequence");
    } else {
      throw bad("\"post_processor\" is " + type + "; only TemplateProcessing and BertProcessing are supported");
    }
  }

  private int idOf(JsonNode pair, String name) {
    if (!pair.isArray() || pair.size() != 2 || !pair.get(1).canConvertToInt()) throw bad(name + " is not [token, id]");
    return pair.get(1).asInt();
  }

  private void checkType(JsonNode root, String field, String expected) {
    JsonNode n = root.get(field);
    if (n == null || n.isNull()) throw bad("no \"" + field + "\"; expected " + expected);
    String type = n.path("type").asText("");
    if (!type.equals(expected)) throw bad("\"" + field + "\" is " + type + "; only " + expected + " is supported");
  }

  private JsonNode object(JsonNode parent, String field) {
    JsonNode n = parent.get(field);
    if (n == null || !n.isObject()) throw bad("no \"" + field + "\" object");
    return n;
  }

  private String text(JsonNode parent, String field, String fallback) {
    JsonNode n = parent.get(field);
    if (n == null || n.isNull()) {
      if (fallback != null) return fallback;
      throw bad("no \"" + field + "\"");
    }
    return n.asText();
  }

  private static int[] ints(List<Integer> list) {
    return list.stream().mapToInt(Integer::intValue).toArray();
  }

  private IllegalArgumentException bad(String what) {
    return new IllegalArgumentException(source + ": " + what);
  }
}
