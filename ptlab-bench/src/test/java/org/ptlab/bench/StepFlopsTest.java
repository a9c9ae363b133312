package org.ptlab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The MiniLM step's operation count, against the products written out by hand. */
class StepFlopsTest {
  @Test
  void minilmAndLoraMinilm() {
    // minilm: M = 8 · 52 = 416 rows; per layer 8·M·384² + 4·M·384·1536 (linear, counted twice: forward and input
    // gradient) and 4·8·52²·384 (attention, counted three times: 2 forward and 4 backward products)
    double linear = 8.0 * 416 * 384 * 384 + 4.0 * 416 * 384 * 1536;
    double attention = 4.0 * 8 * 52 * 52 * 384;
    assertEquals(6 * (2 * linear + 3 * attention) / 1e9, StepFlops.gflop(Workloads.byName("minilm")), 1e-12);
    assertEquals(18.264489984, StepFlops.gflop(Workloads.byName("minilm")), 1e-9);
    // lora-minilm: M = 256; plus r = 8 adapters on two modules, forward and three backward products' worth
    double lora = 2 * (2.0 * 256 * 384 * 8 + 2.0 * 256 * 8 * 384);
    double lin = 8.0 * 256 * 384 * 384 + 4.0 * 256 * 384 * 1536;
    double att = 4.0 * 8 * 32 * 32 * 384;
    assertEquals(6 * (2 * lin + 3 * att + 3 * lora) / 1e9, StepFlops.gflop(Workloads.byName("lora-minilm")), 1e-12);
  }
}
