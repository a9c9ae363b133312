package org.ptlab.tuning;

import java.util.Arrays;
import java.util.Locale;

/** The tuning methods, their command-line names and PEFT's {@code peft_type} (null where PEFT has none). */
public enum Method {
  PROMPT("prompt", "PROMPT_TUNING"),
  PREFIX("prefix", "PREFIX_TUNING"),
  LORA("lora", "LORA"),
  FULL("full", null),
  HEAD("head", null);

  private final String cliName;
  private final String peftType;

  Method(String cliName, String peftType) {
    this.cliName = cliName;
    this.peftType = peftType;
  }

  public String cliName() {
    return cliName;
  }

  public String peftType() {
    return peftType;
  }

  /** The method called {@code name} on the command line (prompt, prefix, lora, full, head). */
  public static Method parse(String name) {
    for (Method m : values()) if (m.cliName.equals(name.toLowerCase(Locale.ROOT))) return m;
    throw new IllegalArgumentException("--method: unknown method '" + name + "' (known: "
        + String.join(", ", Arrays.stream(values()).map(Method::cliName).toList()) + ")");
  }

  /** The method whose adapter_config.json says {@code peft_type}. */
  public static Method fromPeftType(String peftType, String source) {
    for (Method m : values()) if (peftType.equals(m.peftType)) return m;
    throw new IllegalArgumentException(source + ": peft_type '" + peftType + "' is not supported (PROMPT_TUNING, "
        + "PREFIX_TUNING, LORA)");
  }
}
