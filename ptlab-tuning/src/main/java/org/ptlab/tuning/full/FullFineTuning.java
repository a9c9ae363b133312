package org.ptlab.tuning.full;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.ptlab.nn.ForwardHooks;
import org.ptlab.nn.Transformer;
import org.ptlab.tensor.Tensor;
import org.ptlab.tuning.AdapterJson;
import org.ptlab.tuning.PeftMethod;
import org.ptlab.tuning.TuningMethod;

/**
 * Full fine-tuning: every weight of the model trains, in place (no adapter; the output folder holds the whole
 * model as config.json + model.safetensors). The baseline every PEFT method is measured against.
 */
public final class FullFineTuning implements TuningMethod {
  private final Transformer model;

  public FullFineTuning(Transformer model) {
    this.model = model;
    model.requiresGrad(true);
  }

  @Override
  public PeftMethod kind() {
    return PeftMethod.FULL;
  }

  @Override
  public ForwardHooks hooks() {
    return ForwardHooks.NONE;
  }

  @Override
  public Map<String, Tensor> trainable() {
    return model.parameters().all();
  }

  @Override
  public ObjectNode adapterConfig() {
    ObjectNode c = AdapterJson.object();
    c.putObject("ptlab").put("method", PeftMethod.FULL.cliName());
    return c;
  }
}
