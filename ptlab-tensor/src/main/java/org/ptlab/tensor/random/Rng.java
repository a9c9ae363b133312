package org.ptlab.tensor.random;

/**
 * The one seeded random generator of a run (xoshiro256**, seeded through SplitMix64). There is no global
 * generator: every op that needs randomness takes an {@code Rng}, so equal seeds give bit-identical runs.
 *
 * <p>The whole state, including a cached Gaussian, is a plain {@code long[]} that {@link #state()} returns and
 * {@link #restore(long[])} takes back, so a checkpoint can resume the exact stream.
 */
public final class Rng {
  private long s0;
  private long s1;
  private long s2;
  private long s3;
  private boolean haveGaussian;
  private double nextGaussian;

  public Rng(long seed) {
    long x = seed;
    x += 0x9E3779B97F4A7C15L;
    s0 = mix(x);
    x += 0x9E3779B97F4A7C15L;
    s1 = mix(x);
    x += 0x9E3779B97F4A7C15L;
    s2 = mix(x);
    x += 0x9E3779B97F4A7C15L;
    s3 = mix(x);
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** A generator for a named sub-stream, independent of how much this one has been used. */
  public static Rng derive(long seed, long... path) {
    long h = mix(seed ^ 0x5851F42D4C957F2DL);
    for (long p : path) h = mix(h ^ mix(p + 0x9E3779B97F4A7C15L));
    return new Rng(h);
  }

  public long nextLong() {
    long result = Long.rotateLeft(s1 * 5, 7) * 9;
    long t = s1 << 17;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = Long.rotateLeft(s3, 45);
    return result;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  public double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  /** Uniform in [0, bound), unbiased (Lemire's method). */
  public int nextInt(int bound) {
    if (bound <= 0) throw new IllegalArgumentException("nextInt: bound must be positive, got " + bound);
    long m = (nextLong() >>> 32) * bound;
    long low = m & 0xFFFFFFFFL;
    if (low < bound) {
      long threshold = (0x100000000L - bound) % bound;
      while (low < threshold) {
        m = (nextLong() >>> 32) * bound;
        low = m & 0xFFFFFFFFL;
      }
    }
    return (int) (m >>> 32);
  }

  /** Standard normal (Marsaglia's polar method; the second value is cached). */
  public double nextGaussian() {
    if (haveGaussian) {
      haveGaussian = false;
      return nextGaussian;
    }
    double u;
    double v;
    double s;
    do {
      u = 2 * nextDouble() - 1;
      v = 2 * nextDouble() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s == 0);
    double f = Math.sqrt(-2 * Math.log(s) / s);
    nextGaussian = v * f;
    haveGaussian = true;
    return u * f;
  }

  /** A uniformly random permutation of 0..n-1 (Fisher–Yates). */
  public int[] permutation(int n) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) p[i] = i;
    for (int i = n - 1; i > 0; i--) {
      int j = nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  /** The full state: four words, the cached-Gaussian flag and its bits. */
  public long[] state() {
    return new long[] {s0, s1, s2, s3, haveGaussian ? 1 : 0, Double.doubleToRawLongBits(nextGaussian)};
  }

  /** Restores a state from {@link #state()}. */
  public void restore(long[] st) {
    if (st.length != 6) throw new IllegalArgumentException("Rng state must have 6 words, got " + st.length);
    s0 = st[0];
    s1 = st[1];
    s2 = st[2];
    s3 = st[3];
    haveGaussian = st[4] != 0;
    nextGaussian = Double.longBitsToDouble(st[5]);
  }
}
