/**
 * Prefix tuning (Li and Liang 2021; PEFT's PREFIX_TUNING): trainable keys and values at every layer, optionally
 * through an MLP reparameterisation. The attention that reads them lives in {@code ptlab-nn}.
 */
package org.ptlab.tuning.prefix;
