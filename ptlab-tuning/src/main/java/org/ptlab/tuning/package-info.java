/**
 * Parameter-efficient fine-tuning on top of {@code ptlab-nn}: the methods (one package each: {@code prompt},
 * {@code prefix}, {@code lora}, {@code full}), the tuned model that composes them, adapter files in PEFT's layout
 * ({@link org.ptlab.tuning.PeftKeys}: PEFT's key names per task type and method), batching ({@code batch}), the
 * trainer with checkpoints and resume ({@code train}), and text generation with a KV cache through the attached
 * methods ({@code generate}).
 *
 * <p>{@link org.ptlab.tuning.PeftMethod} is the one registry of methods (name, PEFT type, config type, factory,
 * adapter reader) and holds the one rule about heads ({@link org.ptlab.tuning.PeftMethod.HeadRule}: as PEFT, a classifier trains
 * beside the method as {@code modules_to_save}, a language model's {@code lm_head} does not;
 * {@link org.ptlab.tuning.ModulesToSave}); everything that chooses a method by name or by
 * PEFT type goes through it. A {@link org.ptlab.tuning.TuningMethod} is one method attached to a model;
 * {@link org.ptlab.tuning.MethodConfigs} is where a caller's configs come from.
 *
 * <p>Not here: reading data files and models ({@code ptlab-io}: {@code org.ptlab.io.data},
 * {@code org.ptlab.io.model}).
 */
package org.ptlab.tuning;
