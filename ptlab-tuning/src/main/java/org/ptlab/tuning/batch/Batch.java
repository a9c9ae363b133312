package org.ptlab.tuning.batch;

import org.ptlab.tensor.Tensor;

/**
 * B examples padded on the right to T, the longest sequence among them. Exactly one of {@code tokens} and
 * {@code inputs} is set (as the dataset's input kind), and at most one of {@code labels} and {@code targets}.
 *
 * @param position which batch of which epoch this is
 * @param indices the examples' indices in the dataset, [B]
 * @param lengths each example's real length, [B]; positions from {@code lengths[b]} on are padding
 * @param tokens padded token ids [B][T] (pad id past the end), or null for continuous inputs
 * @param inputs padded continuous inputs [B, T, d] (zeros past the end), or null for token ids
 * @param mask attend mask [B, T]: 1 at real positions, 0 at padding, in the batch's dtype
 * @param labels class ids [B], or null if the dataset has no labels
 * @param targets per-sequence targets [B, k], or per-position targets [B, T, k] (zeros at padding, where the loss
 *     must be masked), or null
 * @param tokenLabels causal-LM labels per token [B][T] (−100 where ignored, and at padding), or null when the data
 *     has none (then a language model scores every next token)
 */
public record Batch(BatchPosition position, int[] indices, int[] lengths, int[][] tokens, Tensor inputs, Tensor mask,
    int[] labels, Tensor targets, int[][] tokenLabels) {

  /** A batch without per-token labels. */
  public Batch(BatchPosition position, int[] indices, int[] lengths, int[][] tokens, Tensor inputs, Tensor mask,
      int[] labels, Tensor targets) {
    this(position, indices, lengths, tokens, inputs, mask, labels, targets, null);
  }

  /** Number of examples B. */
  public int size() {
    return indices.length;
  }

  /** Padded length T. */
  public int seqLen() {
    return mask.dim(1);
  }
}
