package org.ptlab.io.datasets;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ptlab.io.Json;
import org.ptlab.tensor.random.Rng;

/**
 * The UCI Sentiment Labelled Sentences (Kotzias et al., KDD 2015): short English review sentences labelled
 * 0 (negative) or 1 (positive) from three sites, as shipped in the npm package {@code sentiment@5.0.2}
 * ({@code test/fixtures/{amazon,imdb,yelp}.json}, see spec/data.md §B1). The closest real analogue of SST-2
 * reachable without a model hub, and small enough for a 2-core CPU.
 *
 * <p>Each file holds 1,000 sentences, 500 per label, plus an empty trailing item that is dropped. Texts are
 * stripped of surrounding whitespace (every IMDb line ends in two spaces) and repeated texts are kept once
 * (amazon 10, imdb 3, yelp 4 repeats; each repeat has the same label), leaving {@link #SIZES}: 2,983 in all.
 *
 * <pre>{@code
 * SentimentData data = SentimentData.load(SentimentData.defaultCache());   // fetches once, then offline
 * TextSplit split = data.crossDomain("yelp");                               // train amazon+imdb, test yelp
 * Dataset train = split.trainSet(WordPieceTokenizer.minilm());
 * }</pre>
 */
public final class SentimentData {
  public static final String PACKAGE = "sentiment@5.0.2";
  /** sha256 of the npm tarball, checked before anything is installed. */
  public static final String SHA256 = "89302eb03d2005d03b214fe65814bb48adb7d3c42c8ca80bdee6a3ecb7e4480f";
  public static final List<String> DOMAINS = List.of("amazon", "imdb", "yelp");
  /** Sentences per domain after dropping repeats. */
  public static final Map<String, Integer> SIZES = Map.of("amazon", 990, "imdb", 997, "yelp", 996);
  /** The folder under the cache that holds the data files and the checked tarball. */
  static final String FOLDER = "sentiment-5.0.2";
  static final String TARBALL = "sentiment-5.0.2.tgz";
  /** Names the in-domain split's random sub-stream ("sentsplt" in ASCII). */
  static final long SPLIT_STREAM = 0x73656E7473706C74L;
  /** Items per file, and per label, as published. */
  private static final int ITEMS = 1000;

  private final Map<String, List<Sentence>> byDomain;

  private SentimentData(Map<String, List<Sentence>> byDomain) {
    this.byDomain = byDomain;
  }

  /** {@code $PTLAB_DATA} if set, else {@code ~/.cache/ptlab}. */
  public static Path defaultCache() {
    String env = System.getenv("PTLAB_DATA");
    if (env != null && !env.isBlank()) return Path.of(env);
    return Path.of(System.getProperty("user.home"), ".cache", "ptlab");
  }

  /**
   * The data folder under {@code cache}, fetching it with npm first if it is not there (one line on stderr says
   * so). Later calls need no network.
   *
   * @throws DataFetchException if npm is missing, the registry is unreachable, or the download fails its checks
   */
  public static Path fetch(Path cache) {
    return fetch(cache, "npm");
  }

  /** {@link #fetch(Path)} with the npm command named, so tests can simulate a machine without npm. */
  static Path fetch(Path cache, String npm) {
    Path folder = cache.resolve(FOLDER);
    if (Files.isDirectory(folder)) return folder;
    System.err.println("ptlab: fetching " + PACKAGE + " (UCI Sentiment Labelled Sentences) from npm into " + folder);
    return SentimentFetch.fetch(cache, npm);
  }

  /**
   * Installs the data from a {@code sentiment-5.0.2.tgz} got elsewhere (e.g. {@code npm pack} on a machine with
   * network), for machines without it. The tarball must have the expected sha256.
   */
  public static Path install(Path tarball, Path cache) {
    return SentimentFetch.install(tarball, cache);
  }

  /**
   * Pre-fetches for scripts: {@code java -cp ... org.ptlab.io.datasets.SentimentData [CACHE]} prints the data folder,
   * or one line and exit code 1 if fetching fails.
   */
  public static void main(String[] args) {
    try {
      Path cache = args.length > 0 ? Path.of(args[0]) : defaultCache();
      load(cache); // fetches if needed and checks the files
      System.out.println(cache.resolve(FOLDER));
    } catch (DataFetchException e) {
      System.err.println("ptlab: " + e.getMessage());
      System.exit(1);
    }
  }

  /** Fetches if needed (see {@link #fetch}), then reads and checks the three files. */
  public static SentimentData load(Path cache) {
    Path folder = fetch(cache);
    Map<String, List<Sentence>> byDomain = new LinkedHashMap<>();
    for (String d : DOMAINS) {
      Path file = folder.resolve(d + ".json");
      byte[] bytes;
      try {
        bytes = Files.readAllBytes(file);
      } catch (IOException e) {
        throw new DataFetchException(file + ": cannot read (" + e.getMessage() + "); delete " + folder
            + " to fetch it again");
      }
      byDomain.put(d, parse(bytes, d, file.toString()));
    }
    return new SentimentData(byDomain);
  }

  /** One domain's sentences in file order. */
  public List<Sentence> domain(String domain) {
    List<Sentence> list = byDomain.get(domain);
    if (list == null) throw new IllegalArgumentException("unknown sentiment domain \"" + domain + "\"; use one of " + DOMAINS);
    return list;
  }

  /** Every sentence: amazon, then imdb, then yelp, each in file order. */
  public List<Sentence> all() {
    List<Sentence> all = new ArrayList<>();
    for (List<Sentence> list : byDomain.values()) all.addAll(list);
    return List.copyOf(all);
  }

  /**
   * Train on the other two domains, test on {@code testDomain}: does what was learnt carry to a new site? A
   * training sentence with the same text as a test one is left out (one, when amazon or imdb is the test).
   */
  public TextSplit crossDomain(String testDomain) {
    List<Sentence> test = domain(testDomain);
    List<Sentence> train = new ArrayList<>();
    for (String d : DOMAINS) if (!d.equals(testDomain)) train.addAll(domain(d));
    return new TextSplit(withoutTexts(train, test), test, "cross-domain test=" + testDomain);
  }

  /**
   * A seeded 80/20 split inside every domain, stratified by label: 20% (rounded) of each (domain, label) group,
   * chosen by a seeded permutation, is test. Both sides keep file order; the same seed gives the same split. As in
   * {@link #crossDomain}, a training sentence whose text is also a test one (in another domain) is left out.
   */
  public TextSplit inDomain(long seed) {
    List<Sentence> train = new ArrayList<>();
    List<Sentence> test = new ArrayList<>();
    for (int d = 0; d < DOMAINS.size(); d++) {
      List<Sentence> sentences = domain(DOMAINS.get(d));
      boolean[] isTest = new boolean[sentences.size()];
      for (int label = 0; label <= 1; label++) {
        List<Integer> group = new ArrayList<>();
        for (int i = 0; i < sentences.size(); i++) if (sentences.get(i).label() == label) group.add(i);
        int[] order = Rng.derive(seed, SPLIT_STREAM, d, label).permutation(group.size());
        int testSize = (int) Math.round(group.size() * 0.2);
        for (int k = 0; k < testSize; k++) isTest[group.get(order[k])] = true;
      }
      for (int i = 0; i < sentences.size(); i++) (isTest[i] ? test : train).add(sentences.get(i));
    }
    return new TextSplit(withoutTexts(train, test), test, "in-domain seed=" + seed);
  }

  /**
   * {@code train} without the sentences whose text is also in {@code test}, so no test sentence is seen in
   * training: texts repeat across domains too ("Very disappointing." is in amazon and imdb).
   */
  private static List<Sentence> withoutTexts(List<Sentence> train, List<Sentence> test) {
    Set<String> testTexts = new HashSet<>();
    for (Sentence s : test) testTexts.add(s.text());
    List<Sentence> kept = new ArrayList<>(train.size());
    for (Sentence s : train) if (!testTexts.contains(s.text())) kept.add(s);
    return kept;
  }

  /**
   * Reads one published file and checks it is the one expected: 1,001 items, the last {@code {"text":"",
   * "class":null}}, 500 of each label, repeats agreeing on the label, and {@link #SIZES} left after them.
   *
   * @param where names the file in messages
   */
  static List<Sentence> parse(byte[] json, String domain, String where) {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(json);
    } catch (IOException e) {
      throw new DataFetchException(where + ": not valid JSON: " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
    }
    if (root == null || !root.isArray() || root.size() != ITEMS + 1) {
      throw new DataFetchException(where + ": expected a JSON array of " + (ITEMS + 1) + " items, got "
          + (root != null && root.isArray() ? root.size() + " items" : "something else"));
    }
    JsonNode last = root.get(ITEMS);
    if (!last.path("text").asText("x").isEmpty() || !last.path("class").isNull()) {
      throw new DataFetchException(where + ": the last item is not the empty {\"text\":\"\",\"class\":null}");
    }
    int[] perLabel = new int[2];
    Map<String, Integer> seen = new LinkedHashMap<>();
    List<Sentence> kept = new ArrayList<>();
    for (int i = 0; i < ITEMS; i++) {
      JsonNode item = root.get(i);
      JsonNode cls = item.path("class");
      String text = item.path("text").isTextual() ? item.get("text").textValue().strip() : "";
      if (!cls.isInt() || cls.intValue() < 0 || cls.intValue() > 1 || text.isEmpty()) {
        throw new DataFetchException(where + ": item " + i + " is not {\"text\": a sentence, \"class\": 0 or 1}");
      }
      int label = cls.intValue();
      perLabel[label]++;
      Integer before = seen.putIfAbsent(text, label);
      if (before == null) kept.add(new Sentence(text, label, domain));
      else if (before != label) throw new DataFetchException(where + ": item " + i + " repeats a text with the other label");
    }
    if (perLabel[0] != ITEMS / 2 || perLabel[1] != ITEMS / 2) {
      throw new DataFetchException(where + ": expected 500 items per label, got " + Arrays.toString(perLabel));
    }
    Integer expected = SIZES.get(domain);
    if (expected == null || kept.size() != expected) {
      throw new DataFetchException(where + ": " + kept.size() + " distinct sentences, expected " + expected);
    }
    return List.copyOf(kept);
  }
}
