package org.ptlab.lab;

import java.util.List;

/**
 * A figure as data: the report turns it into PNG and SVG ({@code org.ptlab.lab.report.Charts}). Experiments build these
 * from {@link Results}; they never draw.
 *
 * @param id file name stem, e.g. "D0-loss-vs-params" (figures/D0-loss-vs-params.png)
 * @param title chart title
 * @param xLabel x-axis label with its unit, e.g. "trainable parameters (count)"
 * @param yLabel y-axis label with its unit
 * @param logX logarithmic x axis (use where values span decades)
 * @param logY logarithmic y axis
 * @param yFloor values below it are drawn at it and the axis starts there (say so in the caption), e.g. 1e-16
 *     for an MSE that reaches float64 round-off, where 30 empty decades would squeeze the plot; NaN for none
 * @param series the curves; a {@link Style#BOUND} series is the theory, drawn on the same axes as the measurement
 * @param caption one or two sentences under the figure: what to look at
 */
public record FigureSpec(String id, String title, String xLabel, String yLabel, boolean logX, boolean logY,
    double yFloor, List<Series> series, String caption) {
  public FigureSpec {
    series = List.copyOf(series);
    if (!id.matches("[A-Za-z0-9_.-]+")) throw new IllegalArgumentException("figure id must be a file-name stem: " + id);
  }

  /** How a series is drawn. */
  public enum Style {
    /** Measured values joined by a line, with markers. */
    LINE,
    /** Measured values as markers only (e.g. one point per run). */
    POINTS,
    /** A theoretical bound or exact value: a dashed line in a strong colour. */
    BOUND,
    /** A reference level that is not a claim (e.g. the untuned model): a dotted grey line. */
    REFERENCE
  }

  /** One named curve. */
  public record Series(String name, double[] x, double[] y, Style style) {
    public Series {
      if (x.length != y.length) {
        throw new IllegalArgumentException("series '" + name + "': " + x.length + " x values vs " + y.length + " y");
      }
      x = x.clone();
      y = y.clone();
    }

    /** A horizontal line at {@code y} spanning [{@code x0}, {@code x1}]. */
    public static Series horizontal(String name, double y, double x0, double x1, Style style) {
      return new Series(name, new double[] {x0, x1}, new double[] {y, y}, style);
    }
  }
}
