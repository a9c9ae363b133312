package org.ptlab.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Config hashes are the identity of runs in every store ever written: they must never drift. */
class JsonTest {
  @Test
  void canonicalJsonSortsKeysAtEveryLevel() {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("method", "prompt");
    a.put("m_p", 2);
    a.put("nested", new LinkedHashMap<>(Map.of("z", 1, "a", List.of(1.5, "x"))));
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("nested", Map.of("a", List.of(1.5, "x"), "z", 1));
    b.put("m_p", 2);
    b.put("method", "prompt");
    assertEquals("{\"m_p\":2,\"method\":\"prompt\",\"nested\":{\"a\":[1.5,\"x\"],\"z\":1}}", Json.canonical(a));
    assertEquals(Json.canonical(a), Json.canonical(b));
    assertEquals(Json.configHash(a), Json.configHash(b));
  }

  @Test
  void theHashIsSha256OfTheCanonicalJsonAndStableAcrossVersions() {
    Map<String, Object> c = Map.of("d", 4, "lr", 0.05, "method", "lora", "r", 1, "steps", 2000);
    assertEquals("{\"d\":4,\"lr\":0.05,\"method\":\"lora\",\"r\":1,\"steps\":2000}", Json.canonical(c));
    // Golden value from `printf '%s' '<the JSON above>' | sha256sum`. If it changes, every stored run is orphaned.
    assertEquals("fa2499d47728162ed96a6c4519e93b09ebafcc9bdaedc0a146e2d5943e02bf35", Json.configHash(c));
    assertNotEquals(Json.configHash(c), Json.configHash(Map.of("d", 4, "lr", 0.05, "method", "lora", "r", 2,
        "steps", 2000)));
  }

  @Test
  void parsedConfigsHashTheSameAsTheOriginal() {
    Map<String, Object> c = Map.of("d", 4, "lr", 0.05, "flag", true, "name", "x");
    assertEquals(Json.configHash(c), Json.configHash(Json.parseMap(Json.canonical(c))));
  }
}
