/**
 * Full fine-tuning: every weight trains; the baseline for the PEFT methods. The head-only baseline is
 * {@code org.ptlab.tuning.ModulesToSave}.
 */
package org.ptlab.tuning.full;
