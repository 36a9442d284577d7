/**
 * What an index can store and compare: a vector of the expected width whose components
 * are finite and not all zero (cosine distance of a zero vector is undefined). Servers do
 * return NaN (base64 floats), overflow to Infinity in float32, or change width.
 */
export function vectorProblem(vector: Float32Array | undefined, dimensions: number): string | null {
  if (!vector || vector.length === 0) return "no vector";
  if (vector.length !== dimensions) return `${vector.length} dimensions, expected ${dimensions}`;
  let zero = true;
  for (const x of vector) {
    if (!Number.isFinite(x)) return Number.isNaN(x) ? "NaN values" : "infinite values";
    if (x !== 0) zero = false;
  }
  return zero ? "all zeros" : null;
}
