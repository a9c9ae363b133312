/**
 * Real text data for the real-model experiments, fetched once from a package registry in a documented set-up
 * step and read offline afterwards (DESIGN.md: nothing downloads from a model or data hub at run time).
 *
 * <p>{@link org.ptlab.io.datasets.SentimentData}: the UCI Sentiment Labelled Sentences (amazon, imdb, yelp) from npm
 * {@code sentiment@5.0.2}, checked by sha256 and item counts, with cross-domain and seeded in-domain
 * {@link org.ptlab.io.datasets.TextSplit}s that turn into {@link org.ptlab.io.data.Dataset}s through any
 * {@link org.ptlab.io.tokenizer.Tokenizer}. The cache is {@code $PTLAB_DATA}, else {@code ~/.cache/ptlab}.
 *
 * <p>Not here: users' own files ({@code org.ptlab.io.data}).
 */
package org.ptlab.io.datasets;
