/**
 * Prefix tuning (Li and Liang 2021; PEFT's PREFIX_TUNING): trainable keys and values at every layer, optionally
 * through an MLP reparameterisation. As in Hugging Face, where the prefix is {@code past_key_values}, the input's
 * position ids start after it ({@code ForwardHooks.positionOffset}). The attention that reads them lives in
 * {@code ptlab-nn}.
 */
package org.ptlab.tuning.prefix;
