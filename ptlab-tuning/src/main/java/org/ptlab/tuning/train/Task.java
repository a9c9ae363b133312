package org.ptlab.tuning.train;

import org.ptlab.io.data.Dataset;
import org.ptlab.io.data.TargetKind;
import org.ptlab.nn.ModelInput;
import org.ptlab.nn.TransformerConfig;
import org.ptlab.tensor.Tensor;
import org.ptlab.tuning.batch.Batch;

/**
 * What the model's output is scored against, fixed by the head and the data:
 * CLASSIFY + labels → cross-entropy and accuracy; NONE or REGRESS + per-position targets → MSE over real positions;
 * LM + tokens → next-token cross-entropy (padding and the last token ignored) and next-token accuracy; with per-token
 * labels (Hugging Face's {@code labels}, or a prompt-completion pair) the next token is the label, and positions
 * labelled −100 are left out of both: the loss is the mean over scored tokens and the accuracy is answer-token
 * accuracy, teacher-forced.
 */
public enum Task {
  CLASSIFICATION, SEQUENCE_REGRESSION, LANGUAGE_MODELLING;

  /** The task for a model head and a dataset, or a one-line error saying why they do not fit. */
  public static Task of(TransformerConfig.Head head, Dataset data) {
    TargetKind target = data.targetKind();
    if (target == TargetKind.TOKEN_LABELS && head != TransformerConfig.Head.LM) {
      throw mismatch("per-token \"labels\" and \"prompt\"/\"completion\" lines train a language model (an LM head, "
          + "e.g. --model gpt)", data);
    }
    switch (head) {
      case CLASSIFY -> {
        if (target != TargetKind.LABEL) throw mismatch("a classification head needs \"label\" on every line", data);
        return CLASSIFICATION;
      }
      case NONE, REGRESS -> {
        if (target != TargetKind.PER_POSITION) {
          throw mismatch("a per-position output needs \"target\" rows, one per input position", data);
        }
        return SEQUENCE_REGRESSION;
      }
      case LM -> {
        if (data.inputKind() != org.ptlab.io.data.InputKind.TOKENS) throw mismatch("a language model needs tokens", data);
        return LANGUAGE_MODELLING;
      }
      default -> throw new IllegalStateException(head.name());
    }
  }

  private static IllegalArgumentException mismatch(String what, Dataset data) {
    return new IllegalArgumentException(data.source() + ": " + what);
  }

  /** The model input of a batch. */
  public static ModelInput input(Batch batch) {
    return new ModelInput(batch.tokens(), batch.inputs(), batch.mask());
  }

  /** The mean loss of the batch (a scalar in the graph). */
  public Tensor loss(Tensor output, Batch batch) {
    return switch (this) {
      case CLASSIFICATION -> output.crossEntropy(batch.labels()); // [B, C]
      case SEQUENCE_REGRESSION -> maskedMse(output, batch.targets(), batch.mask());
      case LANGUAGE_MODELLING -> flatLogits(output).crossEntropy(nextTokens(batch));
    };
  }

  /** Correct predictions in the batch, and how many were scored. */
  public long[] hits(Tensor output, Batch batch) {
    return switch (this) {
      case CLASSIFICATION -> count(output, batch.labels());
      case SEQUENCE_REGRESSION -> new long[] {0, 0};
      case LANGUAGE_MODELLING -> count(flatLogits(output), nextTokens(batch));
    };
  }

  /**
   * How many terms the batch's mean loss averages: examples (classification), real positions (per-position
   * targets) or scored next tokens (language modelling). A mean over several batches weights each by this.
   */
  public long terms(Batch batch) {
    return switch (this) {
      case CLASSIFICATION -> batch.size();
      case SEQUENCE_REGRESSION -> java.util.Arrays.stream(batch.lengths()).asLongStream().sum();
      case LANGUAGE_MODELLING -> java.util.Arrays.stream(nextTokens(batch)).filter(t -> t >= 0).count();
    };
  }

  /** Σ mask·(y − t)² / (real positions · k): y, t [B, T, k], mask [B, T]. */
  private static Tensor maskedMse(Tensor y, Tensor t, Tensor mask) {
    int b = y.dim(0);
    int len = y.dim(1);
    int k = y.dim(2);
    Tensor m = mask.reshape(b, len, 1); // [B, T, 1]
    double count = mask.sum().item() * k;
    return y.sub(t).square().mul(m).sum().mul(1.0 / count);
  }

  private static Tensor flatLogits(Tensor logits) {
    return logits.reshape(-1, logits.dim(2)); // [B·T, V]
  }

  /**
   * Label at (b, i) = token i+1 when both are real, else −100 (ignored); with per-token labels, label i+1 (−100 at
   * the last position, as Hugging Face's shift drops it).
   */
  private static int[] nextTokens(Batch batch) {
    int b = batch.size();
    int len = batch.seqLen();
    int[] labels = new int[b * len];
    if (batch.tokenLabels() != null) {
      for (int s = 0; s < b; s++) {
        for (int i = 0; i < len; i++) labels[s * len + i] = i + 1 < len ? batch.tokenLabels()[s][i + 1] : -100;
      }
      return labels;
    }
    for (int s = 0; s < b; s++) {
      for (int i = 0; i < len; i++) labels[s * len + i] = i + 1 < batch.lengths()[s] ? batch.tokens()[s][i + 1] : -100;
    }
    return labels;
  }

  private static long[] count(Tensor logits, int[] labels) {
    int c = logits.dim(1);
    long hits = 0;
    long n = 0;
    for (int r = 0; r < labels.length; r++) {
      if (labels[r] < 0) continue;
      int best = 0;
      for (int j = 1; j < c; j++) if (logits.getFlat(r * c + j) > logits.getFlat(r * c + best)) best = j;
      if (best == labels[r]) hits++;
      n++;
    }
    return new long[] {hits, n};
  }
}
