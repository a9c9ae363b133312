package org.ptlab.io.data;

import java.util.Arrays;
import org.ptlab.tensor.random.Rng;

/** Seeded train/validation splits: the same seed and data always give the same two sets. */
public final class Splits {
  /** Names the split's sub-stream of the run seed ("split" in ASCII), independent of the shuffle's. */
  public static final long SPLIT_STREAM = 0x73706C6974L;

  /** Two disjoint subsets that together hold every example once, each in file order. */
  public record Split(Dataset train, Dataset validation) {}

  private Splits() {}

  /**
   * Puts {@code round(n · validationFraction)} examples, chosen by a seeded permutation, into validation and
   * the rest into training; each side keeps at least one example. Both keep the file order and the parent's
   * metadata (see {@link Dataset#subset}), so the Batcher's own shuffle is the only order that matters.
   *
   * @param validationFraction strictly between 0 and 1, e.g. 0.2 for an 80/20 split
   * @throws IllegalArgumentException if the fraction is out of range or the dataset has fewer than 2 examples
   */
  public static Split trainValidation(Dataset data, double validationFraction, long seed) {
    if (!(validationFraction > 0 && validationFraction < 1)) {
      throw new IllegalArgumentException("validation fraction must be strictly between 0 and 1, got "
          + validationFraction);
    }
    int n = data.size();
    if (n < 2) {
      throw new DataException(data.source() + ": cannot split " + n + " example into train and validation");
    }
    int validationSize = (int) Math.max(1, Math.min(n - 1, Math.round(n * validationFraction)));
    int[] order = Rng.derive(seed, SPLIT_STREAM).permutation(n);
    int[] validation = Arrays.copyOfRange(order, 0, validationSize);
    int[] train = Arrays.copyOfRange(order, validationSize, n);
    Arrays.sort(validation);
    Arrays.sort(train);
    return new Split(data.subset(train), data.subset(validation));
  }
}
