/**
 * The lab's runs on Apache Spark: {@link org.ptlab.spark.SparkRunExecutor} (one Spark job per run, results stored by
 * the driver) and its registration as {@code --engine spark}. Outside the default build (Maven profile
 * {@code spark}); Spark is {@code provided}. The sweep, the store and the experiments are in {@code ptlab-lab}.
 */
package org.ptlab.spark;
