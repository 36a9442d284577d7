/**
 * L2-regularised logistic regression by full-batch gradient descent with Adam. Small and
 * dependency-free on purpose: ~30 features and ~50k rows fit in a second, and the fitting
 * script must run anywhere `npm ci` ran.
 */
export interface Sample {
  x: Float64Array;
  y: 0 | 1;
  /** Weight of the row in the loss (classes are balanced per question). */
  w: number;
}

export function fitLogistic(
  samples: Sample[],
  dims: number,
  opts: { l2?: number; epochs?: number } = {},
): number[] {
  const l2 = opts.l2 ?? 0.002;
  const epochs = opts.epochs ?? 1500;
  const w = new Float64Array(dims);
  const m = new Float64Array(dims);
  const v = new Float64Array(dims);
  const totalW = samples.reduce((s, r) => s + r.w, 0) || 1;
  for (let e = 1; e <= epochs; e++) {
    const g = new Float64Array(dims);
    for (const r of samples) {
      let z = 0;
      for (let i = 0; i < dims; i++) z += w[i]! * r.x[i]!;
      const p = 1 / (1 + Math.exp(-z));
      const d = ((p - r.y) * r.w) / totalW;
      for (let i = 0; i < dims; i++) g[i]! += d * r.x[i]!;
    }
    adamStep(w, g, m, v, e, l2);
  }
  return [...w];
}

/** One question's candidate units for the ranker: feature rows and which of them answer. */
export interface Group {
  xs: Float64Array[];
  pos: boolean[];
}

/**
 * Conditional logit (softmax over a question's units): maximises the probability mass on
 * the units that answer. It learns to compare units of the same question, which is the
 * choice the answerer makes, rather than to score each unit in isolation.
 */
export function fitConditionalLogit(
  groups: Group[],
  dims: number,
  opts: { l2?: number; epochs?: number } = {},
): number[] {
  const l2 = opts.l2 ?? 0.002;
  const epochs = opts.epochs ?? 800;
  const usable = groups.filter((g) => g.pos.some(Boolean) && g.pos.some((p) => !p));
  const w = new Float64Array(dims);
  const m = new Float64Array(dims);
  const v = new Float64Array(dims);
  for (let e = 1; e <= epochs; e++) {
    const g = new Float64Array(dims);
    for (const grp of usable) {
      const s = grp.xs.map((x) => {
        let z = 0;
        for (let i = 0; i < dims; i++) z += w[i]! * x[i]!;
        return z;
      });
      const max = Math.max(...s);
      const ex = s.map((z) => Math.exp(z - max));
      const all = ex.reduce((a, b) => a + b, 0);
      const posSum = ex.reduce((a, b, i) => a + (grp.pos[i] ? b : 0), 0);
      grp.xs.forEach((x, j) => {
        const c = ex[j]! / all - (grp.pos[j] ? ex[j]! / posSum : 0);
        for (let i = 0; i < dims; i++) g[i]! += (c * x[i]!) / usable.length;
      });
    }
    adamStep(w, g, m, v, e, l2);
  }
  return [...w];
}

/** One Adam step on weights `w` with gradient `g` (L2 on every weight but the bias, feature 0). */
function adamStep(w: Float64Array, g: Float64Array, m: Float64Array, v: Float64Array, e: number, l2: number) {
  const lr = 0.05;
  for (let i = 1; i < w.length; i++) g[i]! += l2 * w[i]!;
  for (let i = 0; i < w.length; i++) {
    m[i] = 0.9 * m[i]! + 0.1 * g[i]!;
    v[i] = 0.999 * v[i]! + 0.001 * g[i]! * g[i]!;
    const mh = m[i]! / (1 - 0.9 ** e);
    const vh = v[i]! / (1 - 0.999 ** e);
    w[i]! -= (lr * mh) / (Math.sqrt(vh) + 1e-8);
  }
}
