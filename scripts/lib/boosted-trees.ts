/**
 * Gradient-boosted regression trees with logistic loss (Newton leaf values, shrinkage, row
 * subsampling), for the answer model. Small and dependency-free like logistic.ts. Splits are
 * searched over up to 16 quantile cut points per feature with gradient histograms, so ~10k
 * rows of ~50 features fit in a few seconds.
 */
import type { Forest, Tree } from "../../src/answer/trees.js";
import type { Sample } from "./logistic.js";

export interface BoostOptions {
  rounds?: number;
  depth?: number;
  learningRate?: number;
  /** Fewest rows in a leaf (guards against leaves of a few rows). */
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
  const cuts = candidateThresholds(samples, dims);
  const bins = binRows(samples, cuts);
  const ctx: Ctx = { bins, cuts, dims, g: new Float64Array(n), h: new Float64Array(n), minLeaf, l2, lr };
  const z = new Float64Array(n).fill(base);
  const trees: Tree[] = [];
  for (let m = 0; m < rounds; m++) {
    for (let i = 0; i < n; i++) {
      const p = 1 / (1 + Math.exp(-z[i]!));
      ctx.g[i] = (samples[i]!.y - p) * samples[i]!.w;
      ctx.h[i] = Math.max(1e-6, p * (1 - p)) * samples[i]!.w;
    }
    const rows: number[] = [];
    for (let i = 0; i < n; i++) if (hash(i, m) < subsample) rows.push(i);
    const tree = grow(rows, ctx, depth);
    trees.push(tree);
    for (let i = 0; i < n; i++) z[i]! += leafOf(tree, samples[i]!.x);
  }
  return { base, trees };
}

interface Ctx {
  /** bins[i * dims + f]: the bin of row i's feature f (0 … cuts[f].length). */
  bins: Uint8Array;
  cuts: number[][];
  dims: number;
  g: Float64Array;
  h: Float64Array;
  minLeaf: number;
  l2: number;
  lr: number;
}

function leafOf(tree: Tree, x: ArrayLike<number>): number {
  let node = tree;
  while (!("v" in node)) node = (x[node.f] ?? 0) <= node.t ? node.l : node.r;
  return node.v;
}

/** Up to 16 quantile cut points per feature (ascending). */
function candidateThresholds(samples: Sample[], dims: number): number[][] {
  const out: number[][] = [];
  for (let f = 0; f < dims; f++) {
    const values = [...new Set(samples.map((s) => s.x[f] ?? 0))].sort((a, b) => a - b);
    const cuts = new Set<number>();
    const steps = Math.min(16, values.length - 1);
    for (let k = 1; k <= steps; k++) {
      const i = Math.floor((k * (values.length - 1)) / (steps + 1));
      cuts.add((values[i]! + values[i + 1]!) / 2);
    }
    out.push([...cuts].sort((a, b) => a - b));
  }
  return out;
}

function binRows(samples: Sample[], cuts: number[][]): Uint8Array {
  const dims = cuts.length;
  const bins = new Uint8Array(samples.length * dims);
  samples.forEach((s, i) => {
    for (let f = 0; f < dims; f++) {
      const v = s.x[f] ?? 0;
      const c = cuts[f]!;
      let b = 0;
      while (b < c.length && v > c[b]!) b++;
      bins[i * dims + f] = b;
    }
  });
  return bins;
}

function grow(rows: number[], ctx: Ctx, depth: number): Tree {
  const { g, h, l2, lr, minLeaf, dims, bins, cuts } = ctx;
  let G = 0;
  let H = 0;
  for (const i of rows) {
    G += g[i]!;
    H += h[i]!;
  }
  const leaf: Tree = { v: (lr * G) / (H + l2) };
  if (depth === 0 || rows.length < 2 * minLeaf) return leaf;
  // gradient, Hessian and row-count histograms per feature and bin
  const width = 17;
  const hg = new Float64Array(dims * width);
  const hh = new Float64Array(dims * width);
  const hc = new Uint32Array(dims * width);
  for (const i of rows) {
    const gi = g[i]!;
    const hi = h[i]!;
    const o = i * dims;
    for (let f = 0; f < dims; f++) {
      const k = f * width + bins[o + f]!;
      hg[k]! += gi;
      hh[k]! += hi;
      hc[k]!++;
    }
  }
  const parent = (G * G) / (H + l2);
  let best = { gain: 1e-9, f: -1, b: -1 };
  for (let f = 0; f < dims; f++) {
    let gl = 0;
    let hl = 0;
    let cl = 0;
    const c = cuts[f]!;
    // a cut after bin b sends bins 0..b left (values ≤ cuts[b])
    for (let b = 0; b < c.length; b++) {
      const k = f * width + b;
      gl += hg[k]!;
      hl += hh[k]!;
      cl += hc[k]!;
      const cr = rows.length - cl;
      if (cl < minLeaf || cr < minLeaf) continue;
      const gr = G - gl;
      const hr = H - hl;
      const gain = (gl * gl) / (hl + l2) + (gr * gr) / (hr + l2) - parent;
      if (gain > best.gain) best = { gain, f, b };
    }
  }
  if (best.f < 0) return leaf;
  const left: number[] = [];
  const right: number[] = [];
  for (const i of rows) (bins[i * dims + best.f]! <= best.b ? left : right).push(i);
  return {
    f: best.f,
    t: cuts[best.f]![best.b]!,
    l: grow(left, ctx, depth - 1),
    r: grow(right, ctx, depth - 1),
  };
}

/** Deterministic pseudo-random number in [0, 1) for row i in round m. */
function hash(i: number, m: number): number {
  let x = Math.imul(i + 1, 2654435761) ^ Math.imul(m + 1, 40503);
  x = Math.imul(x ^ (x >>> 15), 2246822519);
  x ^= x >>> 13;
  return (x >>> 0) / 4294967296;
}
