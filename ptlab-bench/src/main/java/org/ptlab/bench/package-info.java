/**
 * Benchmark suites behind {@code ptlab bench}, registered as {@link org.ptlab.cli.Benchmark} services. This module
 * is outside the default build (Maven profile {@code bench}) because its peer, libtorch 2.7.1 through DJL 0.35.1,
 * pulls 112 MB of natives.
 *
 * <p>{@link org.ptlab.bench.EngineBenchmark} ({@code ptlab bench engine}) times the prompt-tuning steps of DESIGN.md
 * on both sides of identical math: {@link org.ptlab.bench.Workloads} builds the numbers from a seed,
 * {@link org.ptlab.bench.PtlabWorkloads} and {@link org.ptlab.bench.TorchWorkloads} run the same step line by line,
 * with torch.optim.Adam's update on both sides ({@link org.ptlab.tensor.optim.Adam},
 * {@link org.ptlab.bench.TorchAdam}). Its {@code sweep} item ({@link org.ptlab.bench.SweepBench}) times whole runs
 * instead: E1-style prompt-tuning runs ({@link org.ptlab.bench.SweepExperiment}) through the lab's executor, against
 * the same runs on libtorch ({@link org.ptlab.bench.TorchSweep}), in runs per second.
 */
package org.ptlab.bench;
