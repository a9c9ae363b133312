package org.ptlab.tuning.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Mutations a hostile or damaged file could carry: bytes flipped, cut or inserted, and JSON values swapped. */
final class Mutator {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  /** Values that sit on the edges readers get wrong: huge, negative, fractional, wrong type, newline in text. */
  private static final JsonNode[] VALUES = {F.numberNode(100_000_000), F.numberNode(10_000_000), F.numberNode(0),
      F.numberNode(-1), F.numberNode(2.5), F.numberNode(1e300), F.numberNode(Integer.MAX_VALUE),
      F.numberNode(Long.MAX_VALUE), F.numberNode(3_000_000_000L), F.numberNode(1), F.numberNode(2), F.textNode(""),
      F.textNode("x"), F.textNode("line\nforged"), F.textNode("LORA"), F.textNode("PROMPT_TUNING"),
      F.textNode("PREFIX_TUNING"), F.textNode("CLASSIFY"), F.textNode("REGRESS"), F.textNode("F32"),
      F.textNode("I64"), F.textNode("BF16"), F.nullNode(), F.booleanNode(true), F.arrayNode(),
      F.arrayNode().add(1).add(2), F.arrayNode().add("classifier"), F.arrayNode().add(-1).add(1 << 30),
      F.objectNode(), F.objectNode().put("kind", "CLASSIFY").put("outputs", 100_000_000)};

  final Random rng;

  Mutator(long seed) {
    this.rng = new Random(seed);
  }

  /** 1–4 byte-level edits: flip a bit, set a byte, cut the tail, insert or delete a run, copy a run elsewhere. */
  byte[] bytes(byte[] in) {
    byte[] b = in.clone();
    for (int k = 1 + rng.nextInt(4); k > 0 && b.length > 0; k--) {
      int at = rng.nextInt(b.length);
      switch (rng.nextInt(6)) {
        case 0 -> b[at] ^= (byte) (1 << rng.nextInt(8));
        case 1 -> b[at] = (byte) new int[] {0, 0xFF, 0x7F, 0x80, '"', '{', '[', ',', '\n', '9'}[rng.nextInt(10)];
        case 2 -> b = Arrays.copyOf(b, at);
        case 3 -> {
          byte[] run = new byte[1 + rng.nextInt(16)];
          rng.nextBytes(run);
          b = splice(b, at, 0, run);
        }
        case 4 -> b = splice(b, at, Math.min(b.length - at, 1 + rng.nextInt(16)), new byte[0]);
        default -> {
          int from = rng.nextInt(b.length);
          int len = Math.min(b.length - from, 1 + rng.nextInt(32));
          b = splice(b, at, 0, Arrays.copyOfRange(b, from, from + len));
        }
      }
    }
    return b;
  }

  private static byte[] splice(byte[] b, int at, int remove, byte[] insert) {
    byte[] out = new byte[b.length - remove + insert.length];
    System.arraycopy(b, 0, out, 0, at);
    System.arraycopy(insert, 0, out, at, insert.length);
    System.arraycopy(b, at + remove, out, at + insert.length, b.length - at - remove);
    return out;
  }

  /** Replaces, deletes or adds 1–3 values anywhere in {@code root} (nested objects and arrays included). */
  void json(JsonNode root) {
    for (int k = 1 + rng.nextInt(3); k > 0; k--) {
      List<JsonNode> containers = new ArrayList<>();
      collect(root, containers);
      JsonNode c = containers.get(rng.nextInt(containers.size()));
      JsonNode v = VALUES[rng.nextInt(VALUES.length)].deepCopy();
      if (c instanceof ObjectNode o) {
        List<String> names = new ArrayList<>();
        o.fieldNames().forEachRemaining(names::add);
        int op = rng.nextInt(5);
        if (names.isEmpty() || op == 4) o.set(new String[] {"r", "num_virtual_tokens", "outputs", "peft_type", "x"}
            [rng.nextInt(5)], v);
        else if (op == 3) o.remove(names.get(rng.nextInt(names.size())));
        else o.set(names.get(rng.nextInt(names.size())), v);
      } else if (c instanceof ArrayNode a) {
        if (a.isEmpty() || rng.nextBoolean()) a.add(v);
        else a.set(rng.nextInt(a.size()), v);
      }
    }
  }

  private static void collect(JsonNode n, List<JsonNode> out) {
    if (!n.isContainerNode()) return;
    out.add(n);
    n.forEach(child -> collect(child, out));
  }
}
