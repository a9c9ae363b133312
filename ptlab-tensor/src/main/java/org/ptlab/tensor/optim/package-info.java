/**
 * Optimizers with torch.optim's update rules (SGD with momentum, Adam, AdamW), gradient clipping by global
 * norm, and learning-rate schedules. An optimizer's state is a plain {@link org.ptlab.tensor.optim.OptimizerState}
 * that restores exactly, for checkpoints.
 */
package org.ptlab.tensor.optim;
