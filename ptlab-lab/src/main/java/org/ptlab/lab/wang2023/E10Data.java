package org.ptlab.lab.wang2023;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.ptlab.io.data.Dataset;
import org.ptlab.io.data.Example;
import org.ptlab.io.data.Splits;
import org.ptlab.io.data.Target;
import org.ptlab.io.datasets.Sentence;
import org.ptlab.io.datasets.SentimentData;
import org.ptlab.io.datasets.TextSplit;
import org.ptlab.io.model.MiniLm;
import org.ptlab.io.model.ModelSource;
import org.ptlab.io.tokenizer.Tokenizer;

/**
 * E10's data: the UCI sentiment sentences (npm {@code sentiment@5.0.2}, fetched once into the data cache, see
 * {@link SentimentData}) tokenized with MiniLM's WordPiece. A split name is {@code to-amazon}, {@code to-imdb},
 * {@code to-yelp} (train on the other two sites, test on this one) or {@code in-domain} (seeded 80/20 per site).
 * A tenth of the training sentences, drawn with the repeat's task seed, is held out for validation, so every method
 * of a repeat sees the same three sets.
 */
final class E10Data {
  static final List<String> SPLITS = List.of("to-imdb", "to-amazon", "to-yelp", "in-domain");
  static final double VALIDATION_FRACTION = 0.1;

  /** The three sets of one split. */
  record Task(Dataset train, Dataset validation, Dataset test) {}

  // Tokenizing 3,000 sentences takes a fraction of a second, but every run of a sweep asks; the result is a pure
  // function of (split, seed), so a cache cannot change any number.
  private static final Map<String, Task> CACHE = new ConcurrentHashMap<>();

  private E10Data() {}

  static Task task(String split, long taskSeed) {
    return CACHE.computeIfAbsent(split + "|" + taskSeed, k -> load(split, taskSeed));
  }

  private static Task load(String split, long taskSeed) {
    SentimentData data = SentimentData.load(SentimentData.defaultCache());
    TextSplit s;
    if (split.equals("in-domain")) {
      s = data.inDomain(taskSeed);
    } else if (split.startsWith("to-") && SentimentData.DOMAINS.contains(split.substring(3))) {
      s = data.crossDomain(split.substring(3));
    } else {
      throw new IllegalArgumentException("E10: config key 'split' must be one of " + SPLITS + ", got " + split);
    }
    Tokenizer tokenizer = minilmTokenizer();
    Dataset pool = dataset("sentiment " + split + " train", s.train(), tokenizer);
    Splits.Split tv = Splits.trainValidation(pool, VALIDATION_FRACTION, taskSeed);
    return new Task(tv.train(), tv.validation(), dataset("sentiment " + split + " test", s.test(), tokenizer));
  }

  private static Tokenizer minilmTokenizer() {
    try {
      return ModelSource.of(MiniLm.NAME).tokenizer();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Dataset dataset(String source, List<Sentence> sentences, Tokenizer tokenizer) {
    List<Example> out = new ArrayList<>(sentences.size());
    for (Sentence s : sentences) {
      out.add(new Example(tokenizer.encode(s.text()), null, new Target.Label(s.label()), s.text(), 0));
    }
    return Dataset.of(source, out);
  }
}
