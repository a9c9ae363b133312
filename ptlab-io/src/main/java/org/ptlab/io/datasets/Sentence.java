package org.ptlab.io.datasets;

/**
 * One labelled sentence of a text-classification set.
 *
 * @param text the sentence, stripped of leading and trailing whitespace
 * @param label the class id (for sentiment: 0 negative, 1 positive)
 * @param domain where it comes from, e.g. "amazon", "imdb", "yelp"
 */
public record Sentence(String text, int label, String domain) {
  public Sentence {
    if (text == null || text.isBlank()) throw new IllegalArgumentException("sentence text is empty");
    if (label < 0) throw new IllegalArgumentException("label must be non-negative, got " + label);
  }
}
