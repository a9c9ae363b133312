/**
 * The {@code ptlab} command line (picocli): parsing and printing only. Each command is one class
 * ({@link org.ptlab.cli.TuneCommand} and its run {@code TuneRun}, {@code EvalCommand}, {@code GenerateCommand},
 * {@code PredictCommand}, {@code EmbedCommand},
 * {@code ExportCommand}, {@code BenchCommand}, {@code ReproduceCommand}, dispatched by {@link org.ptlab.cli.Main});
 * options shared by several commands are mixins ({@code ModelOptions}, {@code MethodOptions}, {@code TrainOptions},
 * {@code AttentionOptions}, {@code PromptConstraintOptions}), each shown under its own heading in {@code --help}
 * ({@code HelpLayout}). {@code Errors} turns bad input (and picocli's parse errors, and files the system refuses)
 * into the one-line message and exit code 2; a command checks every option and its output folder
 * ({@code OutputFolder}) before it writes anything, and {@code BadInputTableTest} keeps it so.
 *
 * <p>Not here, and where to look instead:
 * <ul>
 *   <li>what {@code --model} names (minilm, a preset, a folder, a .onnx file), tokenizers and data files:
 *       {@code ptlab-io}, {@code org.ptlab.io.model.ModelSource}, {@code org.ptlab.io.data};
 *   <li>what {@code --method} names, which methods train the head, and adapter files: the registry
 *       {@code org.ptlab.tuning.PeftMethod} and {@code org.ptlab.tuning.AdapterFiles} in {@code ptlab-tuning}
 *       ({@code MethodOptions} only turns options into each method's config);
 *   <li>training and evaluation: {@code org.ptlab.tuning.train}; generation and exact match:
 *       {@code org.ptlab.tuning.generate} (the KV cache itself: {@code Transformer.decode} in {@code ptlab-nn});
 *   <li>attention kernels and certificates: {@code ptlab-theory} ({@code org.ptlab.theory.hu2025});
 *   <li>the experiments behind {@code reproduce}, the run store and the report: {@code ptlab-lab};
 *   <li>the benchmark suites behind {@code bench}: {@code ptlab-bench}, found as {@link org.ptlab.cli.Benchmark}
 *       services.
 * </ul>
 *
 * <p>A new command: one class here, listed in {@link org.ptlab.cli.Main}'s subcommands, with a one-sentence
 * {@code header}, a short {@code customSynopsis}, a {@code paramLabel} on every option that takes a value, and its
 * own options under headings ({@code HelpLayout.OwnSections}); {@code HelpTest} checks all four.
 */
package org.ptlab.cli;
