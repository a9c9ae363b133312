/** The seeded generator every run carries; there is deliberately no global random state. */
package org.ptlab.tensor.random;
