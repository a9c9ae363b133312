/**
 * Parameter-efficient fine-tuning on top of {@code ptlab-nn}: the methods (one package each), the trainer with
 * checkpoints and resume, and adapter files in PEFT's layout.
 */
package org.ptlab.tuning;
