/**
 * LoRA (Hu et al. 2021; PEFT's LORA): rank-r updates of chosen linear modules, selected by alias, name suffix or
 * regex; rsLoRA scaling; merge into and unmerge from the frozen weights. Saved in PEFT's names: BERT's module names,
 * or on a model export --format hf writes as GPT-2 ({@code HfGpt2.isGpt2}) GPT2LMHeadModel's, with query, key and
 * value fused exactly into c_attn ({@link org.ptlab.tuning.lora.Gpt2Names}) and split again on reading
 * ({@link org.ptlab.tuning.lora.Gpt2LoraReader}).
 */
package org.ptlab.tuning.lora;
