package org.ptlab.io.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ptlab.io.data.Dataset;
import org.ptlab.io.data.TargetKind;
import org.ptlab.io.tokenizer.WordPieceTokenizer;

/**
 * The sentiment data as fetched from npm: counts after dropping repeats, balanced labels, disjoint and seeded
 * splits, and the fetch's failure modes (checksum, counts, no npm, npm failing), none of which may leave a
 * half-written folder. Uses the default cache ({@code $PTLAB_DATA} or {@code ~/.cache/ptlab}), fetching it once.
 */
class SentimentDataTest {
  static SentimentData data;
  static Path folder;

  @TempDir Path tmp;

  @BeforeAll
  static void load() {
    data = SentimentData.load(SentimentData.defaultCache());
    folder = SentimentData.fetch(SentimentData.defaultCache());
  }

  @Test
  void countsAfterDroppingRepeats() {
    assertEquals(990, data.domain("amazon").size());
    assertEquals(997, data.domain("imdb").size());
    assertEquals(996, data.domain("yelp").size());
    assertEquals(2983, data.all().size());
    assertEquals(2983, new HashSet<>(data.all()).size());
    int[][] perLabel = new int[3][2];
    for (Sentence s : data.all()) {
      perLabel[SentimentData.DOMAINS.indexOf(s.domain())][s.label()]++;
      assertEquals(s.text().strip(), s.text());
    }
    // 500/500 as published, minus the repeats: amazon 497/493, imdb 499/498, yelp 497/499.
    assertEquals(List.of(497, 493, 499, 498, 497, 499), List.of(perLabel[0][0], perLabel[0][1], perLabel[1][0],
        perLabel[1][1], perLabel[2][0], perLabel[2][1]));
    assertEquals("Wow... Loved this place.", data.domain("yelp").get(0).text());
    assertEquals(1, data.domain("yelp").get(0).label());
    assertEquals("unknown sentiment domain \"twitter\"; use one of [amazon, imdb, yelp]",
        assertThrows(IllegalArgumentException.class, () -> data.domain("twitter")).getMessage());
  }

  @Test
  void crossDomainTrainsOnTheOtherTwo() {
    for (String test : SentimentData.DOMAINS) {
      TextSplit split = data.crossDomain(test);
      assertEquals(data.domain(test), split.test());
      // "Very disappointing." is in amazon and imdb: left out of training when the other one is the test.
      int shared = test.equals("yelp") ? 0 : 1;
      assertEquals(2983 - SentimentData.SIZES.get(test) - shared, split.train().size());
      assertTrue(split.train().stream().noneMatch(s -> s.domain().equals(test)));
      assertDisjoint(split);
      assertEquals("cross-domain test=" + test, split.name());
    }
  }

  @Test
  void inDomainIsStratifiedDisjointAndSeeded() {
    TextSplit a = data.inDomain(7);
    TextSplit b = data.inDomain(7);
    TextSplit c = data.inDomain(8);
    assertEquals(a, b);
    assertNotEquals(a.test(), c.test());
    assertDisjoint(a);
    int all = a.train().size() + a.test().size();
    assertTrue(all == 2983 || all == 2982, "only the one text shared by amazon and imdb can be left out: " + all);
    // round(20%) of every (domain, label) group: 99+99, 100+100, 99+100.
    assertEquals(597, a.test().size());
    for (String d : SentimentData.DOMAINS) {
      for (int label = 0; label <= 1; label++) {
        int l = label;
        long group = data.domain(d).stream().filter(s -> s.label() == l).count();
        long inTest = a.test().stream().filter(s -> s.domain().equals(d) && s.label() == l).count();
        assertEquals(Math.round(group * 0.2), inTest, d + " label " + label);
      }
    }
  }

  @Test
  void splitsBecomeDatasetsOfTokenIdsWithLabels() {
    TextSplit split = data.crossDomain("yelp");
    Dataset test = split.testSet(WordPieceTokenizer.minilm());
    assertEquals(996, test.size());
    assertEquals(TargetKind.LABEL, test.targetKind());
    assertEquals(2, test.numClasses());
    assertArrayEquals(WordPieceTokenizer.minilm().encode("Wow... Loved this place."), test.get(0).tokens());
    assertEquals("Wow... Loved this place.", test.get(0).text());
    assertEquals(1, test.get(0).label());
    assertEquals(split.train().size(), split.trainSet(WordPieceTokenizer.minilm()).size());
    assertTrue(test.maxLength() <= 128);
  }

  @Test
  void secondLoadIsOfflineAndInstallFromTarballWorks() throws IOException {
    Path cache = tmp.resolve("cache");
    Path installed = SentimentData.install(folder.resolve(SentimentData.TARBALL), cache);
    assertEquals(cache.resolve("sentiment-5.0.2"), installed);
    // npm is not run again once the folder exists: a bogus npm command proves it.
    assertEquals(installed, SentimentData.fetch(cache, tmp.resolve("no-npm-here").toString()));
    assertEquals(data.all(), SentimentData.load(cache).all());
    assertEquals(Set.of("sentiment-5.0.2"), names(cache));
  }

  @Test
  void realFetchWithNpmIntoAnEmptyCache() {
    Path cache = tmp.resolve("fresh");
    long t0 = System.nanoTime();
    Path got = SentimentData.fetch(cache);
    System.out.printf("SentimentDataTest: npm fetch + checks into an empty cache took %.2f s%n", (System.nanoTime() - t0) / 1e9);
    assertEquals(cache.resolve("sentiment-5.0.2"), got);
    assertEquals(Set.of("amazon.json", "imdb.json", "yelp.json", "sentiment-5.0.2.tgz"), names(got));
    assertTrue(names(cache).stream().noneMatch(n -> n.contains(".tmp-")), names(cache).toString());
  }

  @Test
  void checksumMismatchIsRejectedAndNothingIsInstalled() throws IOException {
    byte[] bytes = Files.readAllBytes(folder.resolve(SentimentData.TARBALL));
    bytes[bytes.length / 2] ^= 1;
    Path bad = Files.write(tmp.resolve("sentiment-5.0.2.tgz"), bytes);
    Path cache = tmp.resolve("cache");
    DataFetchException e = assertThrows(DataFetchException.class, () -> SentimentData.install(bad, cache));
    assertOneLine(e);
    assertTrue(e.getMessage().startsWith(bad + ": sha256 "), e.getMessage());
    assertTrue(e.getMessage().contains("is not the expected " + SentimentData.SHA256), e.getMessage());
    assertEquals(Set.of(), names(cache));
  }

  @Test
  void wrongCountsAreRejected() throws IOException {
    String json = Files.readString(folder.resolve("imdb.json"), StandardCharsets.UTF_8);
    int cut = json.indexOf("},{") + 2; // drop the first item
    byte[] short1 = ("[" + json.substring(cut)).getBytes(StandardCharsets.UTF_8);
    assertMessage("imdb: expected a JSON array of 1001 items, got 1000 items", short1, "imdb");
    byte[] flipped = json.replaceFirst("\"class\":0", "\"class\":1").getBytes(StandardCharsets.UTF_8);
    assertMessage("imdb: expected 500 items per label, got [499, 501]", flipped, "imdb");
    assertMessage("yelp: 997 distinct sentences, expected 996", json.getBytes(StandardCharsets.UTF_8), "yelp");
    String noTrailer = json.replace("{\"text\":\"\",\"class\":null}", "{\"text\":\"x\",\"class\":null}");
    assertMessage("imdb: the last item is not the empty", noTrailer.getBytes(StandardCharsets.UTF_8), "imdb");
    assertMessage("imdb: not valid JSON", "[1,".getBytes(StandardCharsets.UTF_8), "imdb");
  }

  @Test
  void missingNpmSaysHowToInstallIt() {
    Path cache = tmp.resolve("cache");
    DataFetchException e = assertThrows(DataFetchException.class,
        () -> SentimentData.fetch(cache, tmp.resolve("no-npm-here").toString()));
    assertOneLine(e);
    assertTrue(e.getMessage().startsWith("npm is needed to fetch the sentiment data: apt-get install npm"), e.getMessage());
    assertEquals(Set.of(), names(cache));
  }

  @Test
  void npmFailingOrWritingGarbageLeavesNothing() throws IOException {
    Path cache = tmp.resolve("cache");
    Path failing = script("failing-npm", "echo 'npm ERR! code E404'; echo 'npm ERR! 404 Not Found - sentiment'; exit 1");
    DataFetchException e = assertThrows(DataFetchException.class, () -> SentimentData.fetch(cache, failing.toString()));
    assertOneLine(e);
    assertEquals("npm pack sentiment@5.0.2 failed (exit 1): npm ERR! 404 Not Found - sentiment", e.getMessage());

    Path silent = script("silent-npm", "exit 0");
    assertEquals("npm pack sentiment@5.0.2 did not write sentiment-5.0.2.tgz",
        assertThrows(DataFetchException.class, () -> SentimentData.fetch(cache, silent.toString())).getMessage());

    Path garbage = script("garbage-npm", "echo not a tarball > \"$6/sentiment-5.0.2.tgz\"");
    DataFetchException g = assertThrows(DataFetchException.class, () -> SentimentData.fetch(cache, garbage.toString()));
    assertTrue(g.getMessage().contains(": sha256 "), g.getMessage());
    assertEquals(Set.of(), names(cache)); // no temp folders, no half-installed data
  }

  private Path script(String name, String body) throws IOException {
    Path p = Files.writeString(tmp.resolve(name), "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
    return p;
  }

  private static void assertMessage(String fragment, byte[] json, String domain) {
    DataFetchException e = assertThrows(DataFetchException.class, () -> SentimentData.parse(json, domain, domain));
    assertOneLine(e);
    assertTrue(e.getMessage().startsWith(fragment), e.getMessage());
  }

  private static void assertDisjoint(TextSplit split) {
    Set<Sentence> train = new HashSet<>(split.train());
    assertTrue(split.test().stream().noneMatch(train::contains), split.name());
    Set<String> trainTexts = new HashSet<>();
    split.train().forEach(s -> trainTexts.add(s.text()));
    assertTrue(split.test().stream().noneMatch(s -> trainTexts.contains(s.text())), split.name());
  }

  private static void assertOneLine(Exception e) {
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
  }

  private static Set<String> names(Path dir) {
    if (!Files.isDirectory(dir)) return Set.of();
    try (Stream<Path> list = Files.list(dir)) {
      Set<String> names = new HashSet<>();
      list.forEach(p -> names.add(p.getFileName().toString()));
      names.remove(".npm-cache"); // npm's own cache, not ours to clean
      return names;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
