package org.ptlab.tuning.train;

import org.ptlab.io.data.Dataset;
import org.ptlab.nn.ForwardMode;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.GradMode;
import org.ptlab.tensor.Tensor;
import org.ptlab.tuning.TunedModel;
import org.ptlab.tuning.batch.Batch;
import org.ptlab.tuning.batch.BatchConfig;
import org.ptlab.tuning.batch.Batcher;

/**
 * Loss and accuracy of a model on a dataset, without gradients or dropout: the mean over all the data's loss terms
 * (see {@link Task#terms}), so the result does not depend on the batch size. Examples are batched shortest first
 * (a stable sort by length): a batch is padded to its longest sequence, and on real sentences (median 15 tokens,
 * a few over 60) random batches would spend most of their time on padding.
 */
public final class Evaluator {
  private Evaluator() {}

  public static Metrics evaluate(TunedModel model, Dataset data, Task task, int batchSize, int padId) {
    DType dtype = model.model().config().dtype();
    Batcher batcher = new Batcher(byLength(data), BatchConfig.inOrder(batchSize).withDType(dtype).withPadId(padId));
    double lossSum = 0;
    long terms = 0;
    long hits = 0;
    long scored = 0;
    try (GradMode.Scope s = GradMode.noGrad()) {
      for (Batch batch : batcher.epoch(0)) {
        Tensor out = model.forward(Task.input(batch), ForwardMode.EVAL);
        long n = task.terms(batch);
        if (n > 0) lossSum += task.loss(out, batch).item() * n; // batch means re-weighted by what they average
        terms += n;
        long[] h = task.hits(out, batch);
        hits += h[0];
        scored += h[1];
      }
    }
    double accuracy = scored == 0 ? Double.NaN : (double) hits / scored;
    return new Metrics(terms == 0 ? Double.NaN : lossSum / terms, accuracy, data.size());
  }

  private static Dataset byLength(Dataset data) {
    int[] order = java.util.stream.IntStream.range(0, data.size()).boxed()
        .sorted(java.util.Comparator.comparingInt(i -> data.get(i).length())).mapToInt(Integer::intValue).toArray();
    return data.subset(order);
  }
}
