package org.ptlab.io.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ptlab.nn.ForwardHooks;
import org.ptlab.nn.ForwardMode;
import org.ptlab.nn.ModelInput;
import org.ptlab.nn.SentenceEmbedding;
import org.ptlab.nn.Transformer;
import org.ptlab.tensor.GradMode;
import org.ptlab.tensor.Tensor;

/**
 * PTLab's MiniLM against ONNX Runtime running the same .onnx bytes (micrograd's habit: same computation, two
 * engines, equal numbers). Sentences are tokenized by the Hugging Face tokenizer (DJL binding) from the jar's own
 * tokenizer.json; both are test-scope oracles, never used by main code.
 */
class MiniLmOnnxRuntimeTest {
  /** Varied English: lengths from 3 to ~60 tokens, punctuation, numbers, casing, accents, rare words, [UNK]. */
  static final List<String> SENTENCES = List.of(
      "A man is playing a guitar.",
      "Someone plays the guitar.",
      "The new movie is awesome!",
      "Hi.",
      "Why?",
      "The quick brown fox jumps over the lazy dog.",
      "I can't believe it's already 2024; time flies when you're having fun.",
      "Café naïve résumé: the accents should disappear after normalization.",
      "The unaffable antidisestablishmentarian filibustered for 37 hours straight.",
      "Please call me at 555-0199 before 9:30 a.m. on Tuesday, March 3rd.",
      "This restaurant was terrible, the food was cold and the waiter was rude.",
      "Absolutely loved it!!! Would buy again :)",
      "Transformers use self-attention to mix information between tokens.",
      "Prompt tuning prepends trainable vectors to the input embeddings of a frozen model.",
      "It was the best of times, it was the worst of times, it was the age of wisdom, it was the age of "
          + "foolishness, it was the epoch of belief, it was the epoch of incredulity.",
      "THE WEATHER IS NICE TODAY",
      "e = mc^2 and a^2 + b^2 = c^2 are famous equations.",
      "The cat sat on the mat.",
      "The mat was sat on by the cat.",
      "Do not go gentle into that good night.",
      "Stock prices fell 3.5% after the quarterly earnings report missed expectations.",
      "She sells sea shells by the sea shore.",
      "Paris is the capital of France, and Berlin is the capital of Germany.",
      "Can you recommend a good book about the history of mathematics?",
      "Photosynthesis converts light energy into chemical energy stored in glucose.",
      "My laptop's battery dies after two hours, which is really annoying.",
      "Ok",
      "The committee, after lengthy deliberation that lasted well into the night and involved many heated "
          + "exchanges between members who disagreed about almost everything, finally approved the budget.",
      "日本 is a country in East Asia.",
      "Zebras, giraffes & elephants roam the savanna.");

  static OrtEnvironment env;
  static OrtSession session;
  static HuggingFaceTokenizer tokenizer;
  static Transformer model;
  static int[][] ids;

  @BeforeAll
  static void setUp() throws IOException, OrtException {
    env = OrtEnvironment.getEnvironment();
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    options.setIntraOpNumThreads(2);
    session = env.createSession(resource(MiniLm.RESOURCE), options);
    try (InputStream in = MiniLmOnnxRuntimeTest.class.getClassLoader()
        .getResourceAsStream(MiniLm.TOKENIZER_RESOURCE)) {
      tokenizer = HuggingFaceTokenizer.newInstance(in, Map.of());
    }
    model = MiniLm.load(MiniLm.config(), null);
    ids = new int[SENTENCES.size()][];
    for (int i = 0; i < ids.length; i++) ids[i] = toInts(tokenizer.encode(SENTENCES.get(i)).getIds());
  }

  @AfterAll
  static void tearDown() throws OrtException {
    if (session != null) session.close();
    if (tokenizer != null) tokenizer.close();
  }

  @Test
  void tokenizerGivesTheSpecIds() {
    for (int s = 0; s < 3; s++) assertArrayEquals(MiniLmReferenceTest.SENTENCES[s], ids[s], SENTENCES.get(s));
  }

  /** Each sentence alone: every hidden value within 1e-4, every normalized embedding value within 1e-5. */
  @Test
  void sentenceBySentence() throws OrtException {
    double hidden = 0;
    double embedding = 0;
    for (int[] sentence : ids) {
      int[][] batch = {sentence};
      float[][][] ort = runOrt(batch);
      float[][][] ours = encode(batch);
      hidden = Math.max(hidden, maxAbsDiff(ort, ours, batch));
      float[] ortEmbedding = meanNormalized(ort, batch)[0];
      embedding = Math.max(embedding, maxAbsDiff(ortEmbedding, SentenceEmbedding.embed(model, sentence)));
    }
    report("one at a time", hidden, embedding);
    assertTrue(hidden <= 1e-4, "last_hidden_state max |PTLab - ORT| = " + hidden);
    assertTrue(embedding <= 1e-5, "normalized embedding max |PTLab - ORT| = " + embedding);
  }

  /** Ten sentences of 2 to ~60 tokens as one right-padded batch with an attention mask, in both engines. */
  @Test
  void paddedBatchWithMask() throws OrtException {
    int[][] batch = new int[10][];
    for (int i = 0; i < batch.length; i++) batch[i] = ids[i * 3];
    float[][][] ort = runOrt(batch);
    float[][][] ours = encode(batch);
    double hidden = maxAbsDiff(ort, ours, batch);
    double embedding = maxAbsDiff(meanNormalized(ort, batch), SentenceEmbedding.embed(model, batch));
    report("padded batch", hidden, embedding);
    assertTrue(hidden <= 1e-4, "padded last_hidden_state max |PTLab - ORT| at real tokens = " + hidden);
    assertTrue(embedding <= 1e-5, "padded normalized embedding max |PTLab - ORT| = " + embedding);
  }

  /** ORT's last_hidden_state [B][T][d] for right-padded ids, mask 1 on real tokens, token types 0. */
  static float[][][] runOrt(int[][] batch) throws OrtException {
    int t = Arrays.stream(batch).mapToInt(s -> s.length).max().orElseThrow();
    long[][] inputIds = new long[batch.length][t];
    long[][] mask = new long[batch.length][t];
    for (int i = 0; i < batch.length; i++) {
      for (int j = 0; j < batch[i].length; j++) {
        inputIds[i][j] = batch[i][j];
        mask[i][j] = 1;
      }
    }
    try (OnnxTensor a = OnnxTensor.createTensor(env, inputIds);
        OnnxTensor b = OnnxTensor.createTensor(env, mask);
        OnnxTensor c = OnnxTensor.createTensor(env, new long[batch.length][t]);
        OrtSession.Result r = session.run(Map.of("input_ids", a, "attention_mask", b, "token_type_ids", c))) {
      return (float[][][]) r.get("last_hidden_state").orElseThrow().getValue();
    }
  }

  /** PTLab's final hidden states [B][T][d] for the same right-padded batch. */
  static float[][][] encode(int[][] batch) {
    int b = batch.length;
    int t = Arrays.stream(batch).mapToInt(s -> s.length).max().orElseThrow();
    int[][] padded = new int[b][t];
    Tensor mask = Tensor.zeros(model.config().dtype(), b, t);
    for (int i = 0; i < b; i++) {
      System.arraycopy(batch[i], 0, padded[i], 0, batch[i].length);
      for (int j = 0; j < batch[i].length; j++) mask.setFlat(i * t + j, 1);
    }
    try (GradMode.Scope s = GradMode.noGrad()) {
      Tensor h = model.encode(new ModelInput(padded, null, mask), ForwardHooks.NONE, ForwardMode.EVAL); // [B, T, d]
      int d = h.dim(2);
      float[] flat = h.toFloatArray();
      float[][][] out = new float[b][t][];
      for (int i = 0; i < b; i++) {
        for (int j = 0; j < t; j++) out[i][j] = Arrays.copyOfRange(flat, (i * t + j) * d, (i * t + j + 1) * d);
      }
      return out;
    }
  }

  /** sentence-transformers' pooling computed from ORT's hidden states, in double. */
  static float[][] meanNormalized(float[][][] hidden, int[][] batch) {
    float[][] out = new float[batch.length][];
    for (int i = 0; i < batch.length; i++) {
      int d = hidden[i][0].length;
      double[] mean = new double[d];
      for (int j = 0; j < batch[i].length; j++) for (int k = 0; k < d; k++) mean[k] += hidden[i][j][k];
      double norm = 0;
      for (int k = 0; k < d; k++) norm += mean[k] * mean[k];
      norm = Math.sqrt(norm); // the 1/T of the mean cancels
      out[i] = new float[d];
      for (int k = 0; k < d; k++) out[i][k] = (float) (mean[k] / norm);
    }
    return out;
  }

  /** Max |a − b| over the real (unpadded) positions. */
  static double maxAbsDiff(float[][][] a, float[][][] b, int[][] batch) {
    double m = 0;
    for (int i = 0; i < batch.length; i++) {
      for (int j = 0; j < batch[i].length; j++) m = Math.max(m, maxAbsDiff(a[i][j], b[i][j]));
    }
    return m;
  }

  static double maxAbsDiff(float[][] a, float[][] b) {
    double m = 0;
    for (int i = 0; i < a.length; i++) m = Math.max(m, maxAbsDiff(a[i], b[i]));
    return m;
  }

  static double maxAbsDiff(float[] a, float[] b) {
    double m = 0;
    for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs((double) a[i] - b[i]));
    return m;
  }

  private static void report(String what, double hidden, double embedding) {
    System.out.printf("MiniLM vs ONNX Runtime, %s: max |diff| hidden %.3g, normalized embedding %.3g%n", what,
        hidden, embedding);
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = MiniLmOnnxRuntimeTest.class.getClassLoader().getResourceAsStream(name)) {
      return in.readAllBytes();
    }
  }

  private static int[] toInts(long[] ids) {
    int[] out = new int[ids.length];
    for (int i = 0; i < ids.length; i++) out[i] = Math.toIntExact(ids[i]);
    return out;
  }
}
