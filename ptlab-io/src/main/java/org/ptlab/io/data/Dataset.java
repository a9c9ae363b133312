package org.ptlab.io.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.ptlab.io.FiniteValues;
import org.ptlab.tensor.DType;

/**
 * A list of {@link Example}s that agree on input kind and target kind, plus the metadata a model and a head
 * are sized from. Read one with {@link JsonlDataset#read}, build one in code with {@link #of}, and check it
 * against a model with {@link #validateFor} before training.
 *
 * <pre>{@code
 * Dataset data = JsonlDataset.read(Path.of("train.jsonl"), tokenizer);
 * data.validateFor(vocabSize, maxPositions - promptLength, 0);
 * Splits.Split split = Splits.trainValidation(data, 0.2, seed);
 * }</pre>
 */
public final class Dataset {
  /**
   * What every example of a dataset shares.
   *
   * @param inputKind token ids or continuous vectors
   * @param inputDim d of continuous inputs [m, d]; 0 for token ids
   * @param targetKind label, per-sequence or per-position target, or none
   * @param numClasses for labels: the largest class id + 1 (the classes the file shows); 0 otherwise
   * @param targetDim values per target vector (per sequence or per position); 0 for labels and none
   */
  public record Meta(InputKind inputKind, int inputDim, TargetKind targetKind, int numClasses, int targetDim) {}

  private final String source;
  private final List<Example> examples;
  private final Meta meta;

  private Dataset(String source, List<Example> examples, Meta meta) {
    this.source = source;
    this.examples = examples;
    this.meta = meta;
  }

  /**
   * A dataset of examples built in code, e.g. a theory construction's toy data. Infers the metadata and checks
   * that the examples agree, naming the first that does not.
   *
   * @param source a name for error messages, e.g. "E1 shared-token dataset"
   * @throws DataException if the list is empty or the examples disagree
   */
  public static Dataset of(String source, List<Example> examples) {
    List<Example> copy = List.copyOf(examples);
    DatasetShape shape = new DatasetShape();
    FileProblems problems = new FileProblems();
    for (int i = 0; i < copy.size(); i++) {
      String problem = shape.accept(copy.get(i), describe(copy.get(i), i));
      if (problem != null) problems.add(where(source, copy.get(i), i), problem);
    }
    problems.throwIfAny();
    if (shape.isEmpty()) throw new DataException(source + ": no examples");
    return new Dataset(source, copy, shape.meta());
  }

  /** Used by readers that already checked agreement while parsing. */
  static Dataset trusted(String source, List<Example> examples, Meta meta) {
    return new Dataset(source, Collections.unmodifiableList(new ArrayList<>(examples)), meta);
  }

  /** The file (or name) the examples came from. */
  public String source() {
    return source;
  }

  /** The examples, unmodifiable, in file order. */
  public List<Example> examples() {
    return examples;
  }

  public int size() {
    return examples.size();
  }

  public Example get(int index) {
    return examples.get(index);
  }

  public Meta meta() {
    return meta;
  }

  public InputKind inputKind() {
    return meta.inputKind();
  }

  public TargetKind targetKind() {
    return meta.targetKind();
  }

  /** For labels: the largest class id + 1; 0 for other targets. */
  public int numClasses() {
    return meta.numClasses();
  }

  /** Values per target vector; 0 for labels and none. */
  public int targetDim() {
    return meta.targetDim();
  }

  /** d of continuous inputs; 0 for token ids. */
  public int inputDim() {
    return meta.inputDim();
  }

  /** The longest sequence, in positions. */
  public int maxLength() {
    int max = 0;
    for (Example ex : examples) max = Math.max(max, ex.length());
    return max;
  }

  /**
   * The examples at {@code indices}, in that order. The metadata stays the parent's: a validation split that
   * happens to lack the highest class still reports the file's number of classes, so heads match.
   */
  public Dataset subset(int[] indices) {
    List<Example> picked = new ArrayList<>(indices.length);
    for (int i : indices) picked.add(examples.get(i));
    return new Dataset(source, Collections.unmodifiableList(picked), meta);
  }

  /** Where example {@code index} came from, for messages: "train.jsonl:12", or "NAME: example 3" if built in code. */
  public String where(int index) {
    return where(source, examples.get(index), index);
  }

  /**
   * Checks the data against the model it will train, naming the first offending line.
   *
   * @param vocabSize the model's vocabulary size, or 0 if it has no token embedding; every token id must be below it
   * @param maxPositions the positions left for an example (a model's positions minus the prompt length), or 0 if
   *     the model has no position limit (the papers' toy layer)
   * @param inputDim the width d of continuous inputs the model takes, or 0 if it takes only token ids
   * @throws DataException with {@code FILE:LINE: what is wrong} (first problem; the rest in {@code problems()})
   */
  public void validateFor(int vocabSize, int maxPositions, int inputDim) {
    validateFor(vocabSize, maxPositions, inputDim, DType.F64);
  }

  /**
   * {@link #validateFor(int, int, int)} for a model that computes in {@code dtype}: every input and target value must
   * also be finite once stored as {@code dtype} (1e39 is a float64 but infinite in a float32 model, where it would
   * turn the loss into NaN rather than be named as the line at fault).
   */
  public void validateFor(int vocabSize, int maxPositions, int inputDim, DType dtype) {
    boolean tokens = meta.inputKind() == InputKind.TOKENS;
    if (tokens && vocabSize <= 0) {
      throw new DataException(where(0) + ": the data has token ids but the model has no token embedding; give"
          + " continuous \"inputs\" instead");
    }
    if (!tokens && inputDim <= 0) {
      throw new DataException(where(0) + ": the data has continuous \"inputs\" but the model reads token ids;"
          + " give \"tokens\" or \"text\" instead");
    }
    if (!tokens && inputDim != meta.inputDim()) {
      throw new DataException(where(0) + ": \"inputs\" rows have " + JsonlLine.numbers(meta.inputDim()) + " but the model's"
          + " input dimension is " + inputDim);
    }
    FileProblems problems = new FileProblems();
    for (int i = 0; i < examples.size(); i++) {
      Example ex = examples.get(i);
      if (maxPositions > 0 && ex.length() > maxPositions) {
        problems.add(where(i), "sequence of " + ex.length() + " positions does not fit the " + maxPositions
            + " positions the model has for it");
      }
      if (tokens) {
        for (int p = 0; p < ex.tokens().length; p++) {
          if (ex.tokens()[p] >= vocabSize) {
            problems.add(where(i), "token id " + ex.tokens()[p] + " at position " + p + " is not below the"
                + " model's vocabulary size " + vocabSize);
            break;
          }
        }
        if (ex.target() instanceof Target.TokenLabels l) {
          for (int p = 0; p < l.labels().length; p++) {
            if (l.labels()[p] >= vocabSize) {
              problems.add(where(i), "\"labels\"[" + p + "] is " + l.labels()[p] + ", not below the model's vocabulary"
                  + " size " + vocabSize);
              break;
            }
          }
        }
      }
      String value = firstUnfit(ex, dtype);
      if (value != null) problems.add(where(i), value);
    }
    problems.throwIfAny();
  }

  /**
   * The first input or target value of {@code ex} that is not finite in {@code dtype}, named as in the file
   * ({@code "inputs"[1][3] is 1.0E39 ...}), or null. Readers already refuse NaN and overflowing text; this also
   * covers examples built in code and the model's narrower dtype.
   */
  private static String firstUnfit(Example ex, DType dtype) {
    if (ex.inputs() != null) {
      for (int r = 0; r < ex.inputs().length; r++) {
        for (int c = 0; c < ex.inputs()[r].length; c++) {
          double v = ex.inputs()[r][c];
          if (!FiniteValues.fits(v, dtype)) return unfit("\"inputs\"[" + r + "][" + c + "]", v);
        }
      }
    }
    double[] target = ex.target() instanceof Target.PerSequence t ? t.values()
        : ex.target() instanceof Target.PerPosition t ? t.values() : new double[0];
    int dim = ex.target() instanceof Target.PerPosition t ? t.dim() : 0;
    for (int k = 0; k < target.length; k++) {
      if (!FiniteValues.fits(target[k], dtype)) {
        return unfit(dim > 0 ? "\"target\"[" + k / dim + "][" + k % dim + "]" : "\"target\"[" + k + "]", target[k]);
      }
    }
    return null;
  }

  private static String unfit(String name, double v) {
    if (!Double.isFinite(v)) return name + " is " + v + "; numbers must be finite";
    return name + " is " + v + ", beyond the range of the model's float32 (|x| <= " + Float.MAX_VALUE + ")";
  }

  /**
   * Checks that every class id is below the number of classes of a head that already exists (e.g. loaded from an
   * adapter file), naming the first offending line.
   */
  public void validateClasses(int numClasses) {
    if (meta.targetKind() != TargetKind.LABEL) {
      throw new DataException(source + ": the head predicts " + numClasses + " classes but the data has "
          + meta.targetKind().phrase());
    }
    FileProblems problems = new FileProblems();
    for (int i = 0; i < examples.size(); i++) {
      int label = examples.get(i).label();
      if (label >= numClasses) problems.add(where(i), "label " + label + " is not below the head's " + numClasses + " classes");
    }
    problems.throwIfAny();
  }

  private static String where(String source, Example ex, int index) {
    return ex.line() > 0 ? source + ":" + ex.line() : source + ": example " + index;
  }

  private static String describe(Example ex, int index) {
    return ex.line() > 0 ? "line " + ex.line() : "example " + index;
  }
}
