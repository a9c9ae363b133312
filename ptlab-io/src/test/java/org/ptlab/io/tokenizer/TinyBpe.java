package org.ptlab.io.tokenizer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tiny byte-level BPE tokenizer.json: the 256 byte symbols (id = byte), five merges ({@code Ġ t, h e, Ġt he,
 * i n, in g} → ids 256…260) and {@code <|endoftext|>} = 261 as an added token.
 */
final class TinyBpe {
  static final String[][] MERGES = {{"Ġ", "t"}, {"h", "e"}, {"Ġt", "he"}, {"i", "n"}, {"in", "g"}};

  private TinyBpe() {}

  static Map<String, Integer> vocab() {
    Map<String, Integer> v = new LinkedHashMap<>();
    for (int b = 0; b < 256; b++) v.put(String.valueOf(ByteLevelBpe.charOf(b)), b);
    for (String[] m : MERGES) v.put(m[0] + m[1], v.size());
    return v;
  }

  /** The tokenizer.json as a map; merges as "a b" strings or as [a, b] pairs. */
  static Map<String, Object> json(boolean pairs) {
    List<Object> merges = new ArrayList<>();
    for (String[] m : MERGES) merges.add(pairs ? List.of(m[0], m[1]) : m[0] + " " + m[1]);
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("type", "BPE");
    model.put("dropout", null);
    model.put("unk_token", null);
    model.put("continuing_subword_prefix", "");
    model.put("end_of_word_suffix", "");
    model.put("fuse_unk", false);
    model.put("byte_fallback", false);
    model.put("vocab", vocab());
    model.put("merges", merges);
    Map<String, Object> pre = new LinkedHashMap<>();
    pre.put("type", "ByteLevel");
    pre.put("add_prefix_space", false);
    pre.put("trim_offsets", true);
    pre.put("use_regex", true);
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("version", "1.0");
    root.put("truncation", null);
    root.put("padding", null);
    root.put("added_tokens", List.of(Map.of("id", 261, "content", "<|endoftext|>", "single_word", false,
        "lstrip", false, "rstrip", false, "normalized", true, "special", true)));
    root.put("normalizer", null);
    root.put("pre_tokenizer", pre);
    root.put("post_processor", Map.of("type", "ByteLevel", "add_prefix_space", true, "trim_offsets", false,
        "use_regex", true));
    root.put("decoder", Map.of("type", "ByteLevel", "add_prefix_space", true, "trim_offsets", true,
        "use_regex", true));
    root.put("model", model);
    return root;
  }
}
