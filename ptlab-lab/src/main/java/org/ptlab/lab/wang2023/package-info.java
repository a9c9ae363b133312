/**
 * Experiments of Wang, Chauhan, Wang, Hsieh, <i>Universality and Limitations of Prompt Tuning</i> (NeurIPS 2023).
 * E10 ({@link org.ptlab.lab.wang2023.E10RealModelExperiment}) runs the paper's §7 comparison on the one real pretrained
 * transformer and real data reachable offline: all-MiniLM-L6-v2 on the UCI sentiment sentences.
 */
package org.ptlab.lab.wang2023;
