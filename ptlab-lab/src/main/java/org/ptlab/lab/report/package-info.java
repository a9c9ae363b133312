/**
 * Turning results into things people read: {@link org.ptlab.lab.report.Charts} renders a {@link
 * org.ptlab.lab.FigureSpec} to PNG and SVG with XChart (headless), and {@link org.ptlab.lab.report.HtmlReport} writes
 * the one self-contained page of {@code ptlab reproduce} (claims summary first, then one section per experiment,
 * then provenance).
 *
 * <p>Not here: what a figure shows (the experiment's {@code figures(results)}) and how runs are produced
 * ({@code org.ptlab.lab.run}).
 */
package org.ptlab.lab.report;
