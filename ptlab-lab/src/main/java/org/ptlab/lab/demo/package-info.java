/**
 * The demo experiment D0 ({@link org.ptlab.lab.demo.D0PromptVsLoraExperiment}): prompt tuning vs LoRA on a toy
 * regression whose teacher is the seeds' layer ({@code org.ptlab.nn.Presets#paper}, frozen random weights) with a
 * hidden prompt. Prompt and LoRA are {@code ptlab-tuning}'s methods. It is a demo, labelled as one in the report:
 * it exercises the whole {@code ptlab reproduce} path (runs, store, claims, figures, report) beside the paper
 * experiments of {@code org.ptlab.lab.hu2025} and {@code org.ptlab.lab.wang2023}, and its claims check the
 * construction, not a paper.
 *
 * <p>Files follow the experiments' naming scheme (see {@code org.ptlab.lab}): {@code D0PromptVsLoraExperiment} (the
 * registered class), {@code D0Point} (run parameters), {@code D0Claims}, {@code D0Figures}.
 */
package org.ptlab.lab.demo;
