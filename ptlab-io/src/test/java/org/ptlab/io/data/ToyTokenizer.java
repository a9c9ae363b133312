package org.ptlab.io.data;

import java.util.ArrayList;
import java.util.List;
import org.ptlab.io.tokenizer.Tokenizer;

/**
 * A stand-in for WordPiece in tests: encodes "a fine film" as [CLS]=1, then 3 + (first letter - 'a') per word,
 * then [SEP]=2; pad id 0. The word "boom" cannot be encoded, to test how tokenizer errors are reported.
 */
final class ToyTokenizer implements Tokenizer {
  static final int CLS = 1;
  static final int SEP = 2;

  @Override
  public int[] encode(String text) {
    List<Integer> ids = new ArrayList<>();
    ids.add(CLS);
    for (String word : text.trim().split("\\s+")) {
      if (word.isEmpty()) continue;
      if (word.equals("boom")) throw new IllegalArgumentException("word \"boom\" is not in the vocabulary");
      ids.add(3 + (Character.toLowerCase(word.charAt(0)) - 'a'));
    }
    ids.add(SEP);
    return ids.stream().mapToInt(Integer::intValue).toArray();
  }

  @Override
  public int padId() {
    return 0;
  }
}
