/**
 * Boosted regression trees for the answer-or-decline decision: a node splits on one feature
 * at a threshold; a leaf holds a log-odds contribution. The trees are fitted by
 * scripts/lib/boosted-trees.ts and stored in answer-model.json; this file only evaluates them.
 */
export type Tree = { f: number; t: number; l: Tree; r: Tree } | { v: number };

export interface Forest {
  /** Log-odds before any tree. */
  base: number;
  trees: Tree[];
}

export function treeValue(tree: Tree, x: ArrayLike<number>): number {
  let node = tree;
  while (!("v" in node)) node = (x[node.f] ?? 0) <= node.t ? node.l : node.r;
  return node.v;
}

/** Log-odds of the forest for feature row x. */
export function forestLogit(forest: Forest, x: ArrayLike<number>): number {
  let z = forest.base;
  for (const t of forest.trees) z += treeValue(t, x);
  return z;
}
