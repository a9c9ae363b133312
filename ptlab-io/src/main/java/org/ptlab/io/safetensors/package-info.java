/**
 * Reading and writing safetensors files (the format of Hugging Face model weights and PEFT adapters):
 * {@link org.ptlab.io.safetensors.SafetensorsFile} reads, {@link org.ptlab.io.safetensors.SafetensorsWriter} writes,
 * and every defect of a file is a one-line {@link org.ptlab.io.safetensors.SafetensorsException} naming the file and
 * the fault.
 *
 * <p>The reader is as strict as the reference implementation (huggingface/safetensors) and a little stricter:
 * duplicate JSON keys, unknown entry fields and shapes of more than 64 dims are refused too. It decodes F64, F32,
 * F16 and BF16 to PTLab tensors and the integer and bool types to {@code long[]}; the other dtypes the format
 * knows (F8_*, F4, F6_*, C64) are listed but not decoded. The writer emits the bytes the reference would.
 *
 * <p>Not here: which tensor names a model uses ({@code org.ptlab.io.model}) or an adapter uses (the tuning
 * methods); this package knows files, not models.
 */
package org.ptlab.io.safetensors;
