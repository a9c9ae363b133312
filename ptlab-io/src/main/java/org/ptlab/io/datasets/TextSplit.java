package org.ptlab.io.datasets;

import java.util.ArrayList;
import java.util.List;
import org.ptlab.io.data.Dataset;
import org.ptlab.io.data.Example;
import org.ptlab.io.data.Target;
import org.ptlab.io.tokenizer.Tokenizer;

/**
 * A train/test split of labelled sentences, with a name for reports ("cross-domain test=yelp",
 * "in-domain seed=1"). The lists are unmodifiable and disjoint.
 */
public record TextSplit(List<Sentence> train, List<Sentence> test, String name) {
  public TextSplit {
    train = List.copyOf(train);
    test = List.copyOf(test);
  }

  /** The training sentences as token ids with labels, for the trainer. */
  public Dataset trainSet(Tokenizer tokenizer) {
    return dataset(name + " train", train, tokenizer);
  }

  /** The test sentences as token ids with labels. */
  public Dataset testSet(Tokenizer tokenizer) {
    return dataset(name + " test", test, tokenizer);
  }

  /**
   * Sentences → {@link Example}s (the tokenizer's ids, a {@link Target.Label}, the text kept for reports) in list
   * order; {@code source} names the set in error messages.
   */
  public static Dataset dataset(String source, List<Sentence> sentences, Tokenizer tokenizer) {
    List<Example> examples = new ArrayList<>(sentences.size());
    for (Sentence s : sentences) {
      examples.add(new Example(tokenizer.encode(s.text()), null, new Target.Label(s.label()), s.text(), 0));
    }
    return Dataset.of(source, examples);
  }
}
