/**
 * Soft prompt tuning (Lester et al. 2021; PEFT's PROMPT_TUNING): a trainable P [m_p, d] prepended at the input
 * layer, with five inits. The model does the placing and the slicing ({@code Transformer.encode}); this package only
 * owns P, its init and its adapter fields.
 */
package org.ptlab.tuning.prompt;
