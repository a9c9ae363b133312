package org.ptlab.tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** One recorded op in the define-by-run graph: its inputs and its backward rule. */
final class Node {
  final String op;
  final Tensor[] inputs;
  Backward rule;     // null once the graph is freed
  Tensor gradSum;    // dL/d(output), accumulated while backward runs
  boolean gradSumOwned; // gradSum was allocated by the accumulation (nothing else holds it): add into it in place
  Object visitMark;  // the sweep that last visited this node (cheaper than a visited set)

  Node(String op, Tensor[] inputs, Backward rule) {
    this.op = op;
    this.inputs = inputs;
    this.rule = rule;
  }

  /** Reverse-mode sweep from {@code root} with seed gradient {@code seed}. */
  static void backward(Tensor root, Tensor seed, boolean retainGraph) {
    List<Node> order = topologicalOrder(root.node);
    root.node.gradSum = seed;
    root.node.gradSumOwned = false;
    boolean anomalies = GradMode.anomalyDetection();
    try (GradMode.Scope s = GradMode.noGrad()) {
      for (int i = order.size() - 1; i >= 0; i--) {
        Node n = order.get(i);
        Tensor g = n.gradSum;
        n.gradSum = null;
        if (g == null) continue; // not on a path from the root
        if (n.rule == null) {
          throw new IllegalStateException("backward through a freed graph: the saved tensors of op '" + n.op
              + "' were released by an earlier backward(); pass retainGraph=true to the first backward");
        }
        n.rule.apply(g, new Grads(n, anomalies));
        if (!retainGraph) n.rule = null;
      }
    }
  }

  /** Nodes in an order where every node comes after the nodes that produced its inputs (iterative DFS). */
  private static List<Node> topologicalOrder(Node root) {
    Object mark = new Object();
    List<Node> order = new ArrayList<>();
    Node[] nodes = new Node[16]; // the DFS stack, with each node's next input to visit
    int[] nextInput = new int[16];
    int top = 0;
    nodes[0] = root;
    root.visitMark = mark;
    while (top >= 0) {
      Node n = nodes[top];
      int next = nextInput[top];
      if (next < n.inputs.length) {
        nextInput[top] = next + 1;
        Node child = n.inputs[next].node;
        if (child != null && child.visitMark != mark) {
          child.visitMark = mark;
          if (++top == nodes.length) {
            nodes = Arrays.copyOf(nodes, 2 * top);
            nextInput = Arrays.copyOf(nextInput, 2 * top);
          }
          nodes[top] = child;
          nextInput[top] = 0;
        }
      } else {
        nodes[top--] = null;
        order.add(n);
      }
    }
    return order;
  }
}
