/**
 * Gradient-boosted regression trees with logistic loss (Newton leaf values, shrinkage, row
 * subsampling), for the answer-or-decline decision. Small and dependency-free like
 * logistic.ts: a few hundred rows and ~20 features fit in well under a second.
 */
import type { Forest, Tree } from "../../src/answer/trees.js";
import type { Sample } from "./logistic.js";

export interface BoostOptions {
  rounds?: number;
  depth?: number;
  learningRate?: number;
  /** Smallest total Hessian weight in a leaf (guards against leaves of a few rows). */
  minLeaf?: number;
  /** Share of rows each tree sees (deterministic per round). */
  subsample?: number;
  l2?: number;
}

export function fitBoostedTrees(samples: Sample[], dims: number, opts: BoostOptions = {}): Forest {
  const rounds = opts.rounds ?? 120;
  const depth = opts.depth ?? 2;
  const lr = opts.learningRate ?? 0.08;
  const minLeaf = opts.minLeaf ?? 4;
  const subsample = opts.subsample ?? 0.8;
  const l2 = opts.l2 ?? 1;
  const n = samples.length;
  const pos = samples.reduce((s, r) => s + r.y * r.w, 0);
  const tot = samples.reduce((s, r) => s + r.w, 0) || 1;
  const prior = Math.min(0.99, Math.max(0.01, pos / tot));
  const base = Math.log(prior / (1 - prior));
  const z = new Float64Array(n).fill(base);
  const trees: Tree[] = [];
  const thresholds = candidateThresholds(samples, dims);
  for (let m = 0; m < rounds; m++) {
    const g = new Float64Array(n);
    const h = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const p = 1 / (1 + Math.exp(-z[i]!));
      g[i] = (samples[i]!.y - p) * samples[i]!.w;
      h[i] = Math.max(1e-6, p * (1 - p)) * samples[i]!.w;
    }
    const rows: number[] = [];
    for (let i = 0; i < n; i++) if (hash(i, m) < subsample) rows.push(i);
    const tree = grow(rows, samples, g, h, thresholds, depth, minLeaf, l2, lr);
    trees.push(tree);
    for (let i = 0; i < n; i++) z[i]! += leafOf(tree, samples[i]!.x);
  }
  return { base, trees };
}

function leafOf(tree: Tree, x: ArrayLike<number>): number {
  let node = tree;
  while (!("v" in node)) node = (x[node.f] ?? 0) <= node.t ? node.l : node.r;
  return node.v;
}

/** Up to 16 quantile cut points per feature. */
function candidateThresholds(samples: Sample[], dims: number): number[][] {
  const out: number[][] = [];
  for (let f = 0; f < dims; f++) {
    const values = [...new Set(samples.map((s) => s.x[f] ?? 0))].sort((a, b) => a - b);
    if (values.length <= 1) {
      out.push([]);
      continue;
    }
    const cuts = new Set<number>();
    const steps = Math.min(16, values.length - 1);
    for (let k = 1; k <= steps; k++) {
      const i = Math.floor((k * (values.length - 1)) / (steps + 1));
      cuts.add((values[i]! + values[i + 1]!) / 2);
    }
    out.push([...cuts]);
  }
  return out;
}

function grow(
  rows: number[],
  samples: Sample[],
  g: Float64Array,
  h: Float64Array,
  thresholds: number[][],
  depth: number,
  minLeaf: number,
  l2: number,
  lr: number,
): Tree {
  const G = rows.reduce((s, i) => s + g[i]!, 0);
  const H = rows.reduce((s, i) => s + h[i]!, 0);
  const leaf: Tree = { v: (lr * G) / (H + l2) };
  if (depth === 0 || rows.length < 2 * minLeaf) return leaf;
  let best = { gain: 1e-9, f: -1, t: 0 };
  const parent = (G * G) / (H + l2);
  for (let f = 0; f < thresholds.length; f++) {
    for (const t of thresholds[f]!) {
      let gl = 0;
      let hl = 0;
      for (const i of rows) {
        if ((samples[i]!.x[f] ?? 0) <= t) {
          gl += g[i]!;
          hl += h[i]!;
        }
      }
      const gr = G - gl;
      const hr = H - hl;
      if (hl < minLeaf * 0.05 || hr < minLeaf * 0.05) continue;
      const gain = (gl * gl) / (hl + l2) + (gr * gr) / (hr + l2) - parent;
      if (gain > best.gain) best = { gain, f, t };
    }
  }
  if (best.f < 0) return leaf;
  const left = rows.filter((i) => (samples[i]!.x[best.f] ?? 0) <= best.t);
  const right = rows.filter((i) => (samples[i]!.x[best.f] ?? 0) > best.t);
  if (left.length < minLeaf || right.length < minLeaf) return leaf;
  return {
    f: best.f,
    t: best.t,
    l: grow(left, samples, g, h, thresholds, depth - 1, minLeaf, l2, lr),
    r: grow(right, samples, g, h, thresholds, depth - 1, minLeaf, l2, lr),
  };
}

/** Deterministic pseudo-random number in [0, 1) for row i in round m. */
function hash(i: number, m: number): number {
  let x = Math.imul(i + 1, 2654435761) ^ Math.imul(m + 1, 40503);
  x = Math.imul(x ^ (x >>> 15), 2246822519);
  x ^= x >>> 13;
  return (x >>> 0) / 4294967296;
}
