/**
 * The demo experiment D0 ({@link org.ptlab.lab.demo.PromptVsLoraDemo}): prompt tuning vs LoRA on a toy regression
 * whose teacher is the seeds' layer with a hidden prompt. It is a demo, labelled as one in the report: it exercises
 * the whole {@code ptlab reproduce} path (runs, store, claims, figures, report) until the experiments E1–E10 of
 * DESIGN.md land in their per-paper packages.
 *
 * <p>{@link org.ptlab.lab.demo.SeedLayer} is a stand-in for the seeds' layer preset of the future {@code ptlab-nn}
 * module, built from engine ops; replace it with that preset when it exists.
 */
package org.ptlab.lab.demo;
