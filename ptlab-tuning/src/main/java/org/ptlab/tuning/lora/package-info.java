/**
 * LoRA (Hu et al. 2021; PEFT's LORA): rank-r updates of chosen linear modules, selected by alias, name suffix or
 * regex; rsLoRA scaling; merge into and unmerge from the frozen weights.
 */
package org.ptlab.tuning.lora;
