package org.ptlab.cli;

import java.util.List;
import java.util.Locale;
import org.ptlab.theory.Certificate;

/**
 * The one-sentence verdict {@code ptlab certify} prints first, built only from certificates that apply (a
 * certificate that does not apply never makes the verdict claim anything).
 */
final class Verdict {
  private Verdict() {}

  static String of(List<Certificate> certificates) {
    StringBuilder s = new StringBuilder();
    Certificate loss = find(certificates, "shared-token-loss-bound");
    Certificate lora = find(certificates, "exact-lora-update");
    Certificate inv = find(certificates, "invertibility");
    Certificate lip = find(certificates, "lipschitz");
    if (loss != null && loss.applies()) {
      Object evalLoss = loss.details().get("eval_loss");
      s.append(evalLoss instanceof Double e
          ? String.format(Locale.ROOT, "no prompt of any length can bring this dataset's loss below %.6g (ptlab eval's "
              + "mean squared error; %.6g summed as in the paper)", e, loss.value())
          : String.format(Locale.ROOT, "no prompt of any length can bring this dataset's loss below %.6g (%s)",
              loss.value(), loss.unit()));
      if (lora != null && lora.applies()) s.append("; ").append(lora.reason());
      s.append(". ");
    }
    if (inv != null && inv.applies()) {
      s.append(String.format(Locale.ROOT, "Every prompt within the radius keeps the model injective on inputs within "
          + "the radius: ‖τ(X1) − τ(X2)‖ ≥ %.3g·‖X1 − X2‖. ", inv.value()));
    } else if (lip != null && lip.applies()) {
      s.append(String.format(Locale.ROOT, "The prompted model is %.3g-Lipschitz on inputs within the radius "
          + "(injectivity not certified). ", lip.value()));
    }
    if (s.length() == 0) s.append("No certificate applies to this model and dataset; the reasons follow. ");
    return s.toString().trim();
  }

  private static Certificate find(List<Certificate> list, String name) {
    for (Certificate c : list) if (c.name().equals(name)) return c;
    return null;
  }
}
