/**
 * The {@code ptlab reproduce} pipeline as a library call ({@link org.ptlab.lab.reproduce.Reproduce}): sweep each
 * selected experiment into the run store, compute its claims and figures, export CSV/JSON, render the figures and
 * write the HTML report. The CLI ({@code org.ptlab.cli.ReproduceCommand}) only parses options and prints.
 *
 * <p>It sits above both {@code org.ptlab.lab.run} and {@code org.ptlab.report}, so neither depends on the other's
 * caller.
 */
package org.ptlab.lab.reproduce;
