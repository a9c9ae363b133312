package org.ptlab.tuning;

import org.ptlab.nn.TransformerConfig;

/**
 * The names PEFT gives things in its files, which depend on the task type and the method. PEFT's keys are the
 * {@code state_dict} names of its {@code PeftModel}: a prompt-learning method wraps the Hugging Face model directly
 * ({@code base_model.<path>}), a tuner such as LoRA wraps it once more ({@code base_model.model.<path>}), and the path
 * inside a task model starts with the backbone's attribute ({@code bert.} in {@code BertForSequenceClassification},
 * none in {@code BertModel}). The task head sits beside the backbone ({@code classifier.weight}). LoRA on a model
 * that export --format hf writes as GPT-2 uses GPT2LMHeadModel's path instead ({@code transformer.h.L.attn.c_attn};
 * see {@code lora.Gpt2Names}).
 */
public final class PeftKeys {
  /** Prefix of every key of a prompt-learning adapter's {@code modules_to_save} (PROMPT_TUNING, PREFIX_TUNING). */
  public static final String PROMPT_LEARNING = "base_model.";
  /** Prefix of every key of a tuner adapter (LORA): the tuner model's {@code model} attribute comes first. */
  public static final String TUNER = "base_model.model.";

  private PeftKeys() {}

  /** PEFT's task_type for a model's head. */
  public static String taskType(TransformerConfig config) {
    return switch (config.head()) {
      case CLASSIFY -> "SEQ_CLS";
      case REGRESS -> "TOKEN_CLS";
      case LM -> "CAUSAL_LM";
      case NONE -> "FEATURE_EXTRACTION";
    };
  }

  /**
   * The backbone attribute of the Hugging Face class for this task, before an encoder module's path: "bert." for
   * the task models of the BERT family (PTLab's modules carry BERT's names), "" for the bare {@code BertModel}.
   */
  public static String backbone(TransformerConfig config) {
    return config.head() == TransformerConfig.Head.NONE ? "" : "bert.";
  }

  /** The prefix of a head tensor's key in an adapter of {@code method}. */
  public static String headPrefix(PeftMethod method) {
    return method == PeftMethod.PROMPT || method == PeftMethod.PREFIX ? PROMPT_LEARNING : TUNER;
  }

  /**
   * PEFT's {@code modules_to_save} for a head: a classification task lists both names PEFT gives classifiers
   * ({@code ["classifier", "score"]}, as {@code PeftModelForSequenceClassification} writes it); others, the head.
   */
  public static java.util.List<String> modulesToSave(ModulesToSave head, TransformerConfig config) {
    if (config.head() == TransformerConfig.Head.CLASSIFY && head.module().equals("classifier")) {
      return java.util.List.of("classifier", "score");
    }
    return java.util.List.of(head.module());
  }
}
