package org.ptlab.tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/** One recorded op in the define-by-run graph: its inputs and its backward rule. */
final class Node {
  final String op;
  final Tensor[] inputs;
  Backward rule;     // null once the graph is freed
  Tensor gradSum;    // dL/d(output), accumulated while backward runs
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
        n.rule.apply(g, new Grads(n));
        if (!retainGraph) n.rule = null;
      }
    }
  }

  /** Nodes in an order where every node comes after the nodes that produced its inputs (iterative DFS). */
  private static List<Node> topologicalOrder(Node root) {
    Object mark = new Object();
    List<Node> order = new ArrayList<>();
    ArrayDeque<Node> nodes = new ArrayDeque<>();
    ArrayDeque<Integer> nextInput = new ArrayDeque<>();
    nodes.push(root);
    nextInput.push(0);
    root.visitMark = mark;
    while (!nodes.isEmpty()) {
      Node n = nodes.peek();
      int next = nextInput.pop();
      if (next < n.inputs.length) {
        nextInput.push(next + 1);
        Node child = n.inputs[next].node;
        if (child != null && child.visitMark != mark) {
          child.visitMark = mark;
          nodes.push(child);
          nextInput.push(0);
        }
      } else {
        nodes.pop();
        order.add(n);
      }
    }
    return order;
  }
}
