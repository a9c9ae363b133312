package org.ptlab.tensor.optim;

import java.util.List;
import org.ptlab.tensor.Tensor;

/**
 * Everything an optimizer needs to continue exactly: its kind, step count, learning rate and, per parameter,
 * its buffers (Adam: [m, v]; SGD: [momentum]); a buffer is null before the parameter's first update.
 */
public record OptimizerState(String kind, long step, double lr, List<Tensor[]> buffers) {}
