package org.ptlab.lab.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.ptlab.io.AtomicFiles;
import org.ptlab.lab.FigureSpec.Series;
import org.ptlab.lab.FigureSpec.Style;
import org.ptlab.lab.FigureSpec;

/**
 * Renders {@link FigureSpec}s with XChart: PNG for the page, SVG for papers. Bounds (the theory) are dashed red on
 * the same axes as the measurement; references are dotted grey. On a log axis, points ≤ 0 cannot be drawn and are
 * left out of that series (the results table still has them).
 */
public final class Charts {
  static final int WIDTH = 720;
  static final int HEIGHT = 620;
  /** Colour-blind-safe (Okabe–Ito) colours for measured series, in order. */
  private static final Color[] PALETTE = {new Color(0x0072B2), new Color(0xE69F00), new Color(0x009E73),
      new Color(0xCC79A7), new Color(0x56B4E9), new Color(0xD55E00), new Color(0xF0E442), Color.BLACK};
  private static final Color BOUND = new Color(0xC0392B);
  private static final Color REFERENCE = new Color(0x7F7F7F);

  private Charts() {}

  /** The chart of {@code spec}. */
  public static XYChart chart(FigureSpec spec) {
    XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(spec.title()).xAxisTitle(spec.xLabel())
        .yAxisTitle(spec.yLabel()).theme(Styler.ChartTheme.XChart).build();
    c.getStyler().setChartBackgroundColor(Color.WHITE);
    c.getStyler().setPlotBackgroundColor(Color.WHITE);
    c.getStyler().setPlotGridLinesColor(new Color(0xE5E5E5));
    // Legend below the plot, one entry a line: beside the plot it took 40% of the width from the data, and a
    // horizontal one is cut off at the chart's edges once there are more than three entries.
    c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    c.getStyler().setLegendLayout(Styler.LegendLayout.Vertical);
    c.getStyler().setLegendBorderColor(Color.WHITE);
    c.getStyler().setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 17));
    c.getStyler().setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 15));
    c.getStyler().setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
    c.getStyler().setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
    c.getStyler().setXAxisLogarithmic(spec.logX());
    c.getStyler().setYAxisLogarithmic(spec.logY());
    if (!Double.isNaN(spec.yFloor())) c.getStyler().setYAxisMin(spec.yFloor());
    c.getStyler().setMarkerSize(7);
    int colour = 0;
    int drawn = 0;
    for (Series s : spec.series()) {
      double[][] xy = drawable(s, spec.logX(), spec.logY(), spec.yFloor());
      if (xy[0].length == 0) continue;
      XYSeries xs = c.addSeries(s.name(), xy[0], xy[1]);
      drawn++;
      switch (s.style()) {
        case LINE -> {
          Color col = PALETTE[colour++ % PALETTE.length];
          xs.setLineColor(col);
          xs.setMarkerColor(col);
          xs.setLineStyle(new BasicStroke(2f));
          xs.setMarker(xy[0].length > 40 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
        }
        case POINTS -> {
          Color col = PALETTE[colour++ % PALETTE.length];
          xs.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
          xs.setMarkerColor(col);
          xs.setMarker(SeriesMarkers.CIRCLE);
        }
        case BOUND -> {
          xs.setLineColor(BOUND);
          xs.setMarker(SeriesMarkers.NONE);
          xs.setLineStyle(new BasicStroke(2.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
              new float[] {9f, 5f}, 0f));
        }
        case REFERENCE -> {
          xs.setLineColor(REFERENCE);
          xs.setMarker(SeriesMarkers.NONE);
          xs.setLineStyle(SeriesLines.DOT_DOT);
        }
        default -> throw new IllegalStateException("style " + s.style());
      }
    }
    if (drawn == 0) { // XChart cannot draw an empty chart; say so in the legend instead
      c.addSeries("no data", new double[] {1}, new double[] {1}).setMarker(SeriesMarkers.NONE);
    }
    return c;
  }

  /** The series' points that the axes can show (finite, > 0 on a log axis), raised to {@code yFloor}. */
  static double[][] drawable(Series s, boolean logX, boolean logY, double yFloor) {
    List<double[]> keep = new ArrayList<>();
    for (int i = 0; i < s.x().length; i++) {
      double x = s.x()[i];
      double y = Double.isNaN(yFloor) ? s.y()[i] : Math.max(yFloor, s.y()[i]);
      if (!Double.isFinite(x) || !Double.isFinite(y) || (logX && x <= 0) || (logY && y <= 0)) continue;
      keep.add(new double[] {x, y});
    }
    double[][] out = new double[2][keep.size()];
    for (int i = 0; i < keep.size(); i++) {
      out[0][i] = keep.get(i)[0];
      out[1][i] = keep.get(i)[1];
    }
    return out;
  }

  /** PNG bytes of {@code spec}. */
  public static byte[] png(FigureSpec spec) throws IOException {
    return BitmapEncoder.getBitmapBytes(chart(spec), BitmapEncoder.BitmapFormat.PNG);
  }

  /** SVG bytes of {@code spec} (through VectorGraphics2D). */
  public static byte[] svg(FigureSpec spec) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    VectorGraphicsEncoder.saveVectorGraphic(chart(spec), bytes, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
    return bytes.toByteArray();
  }

  /** Writes {@code dir/ID.png} and {@code dir/ID.svg}; returns the PNG bytes (the page inlines them). */
  public static byte[] write(FigureSpec spec, Path dir) throws IOException {
    byte[] png = png(spec);
    AtomicFiles.write(dir.resolve(spec.id() + ".png"), png);
    AtomicFiles.write(dir.resolve(spec.id() + ".svg"), svg(spec));
    return png;
  }
}
