import { fold } from "../text/fold.js";
import type { Embedder } from "./embedder.js";
import { STOP_WORDS } from "./stop-words.js";

/**
 * Weights-free, deterministic embeddings: signed feature hashing of word unigrams,
 * word bigrams and character n-grams (3–5, with word boundary markers), sublinear
 * term weights, L2-normalised. Character n-grams make Danish inflection ("formand" /
 * "formanden"), compounds ("psykiatripladser") and misspellings ("Lundsfryd" /
 * "Lundsryd") land close together without any model files.
 */
export interface HashEmbedderOptions {
  dimensions?: number;
}

const WORD_RE = /[\p{L}\p{N}]+/gu;

// FNV-1a over UTF-16 code units, seeded per feature family so the families don't collide.
function fnv(s: string, seed: number, from = 0, to = s.length): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = from; i < to; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  // final avalanche so low bits (used for the bucket) depend on every character
  return avalanche(h);
}

function avalanche(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** `fnv("<" + word + ">", seed, from, to)` without building the padded string. */
function fnvPadded(word: string, seed: number, from: number, to: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  const last = word.length + 1;
  for (let i = from; i < to; i++) {
    h ^= i === 0 ? 60 : i === last ? 62 : word.charCodeAt(i - 1);
    h = Math.imul(h, 0x01000193);
  }
  return avalanche(h);
}

/** `fnv(a + " " + b, seed)` without building the string. */
function fnvPair(a: string, b: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < a.length; i++) {
    h ^= a.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= 32;
  h = Math.imul(h, 0x01000193);
  for (let i = 0; i < b.length; i++) {
    h ^= b.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return avalanche(h);
}

export class HashEmbedder implements Embedder {
  readonly id: string;
  readonly dimensions: number;
  readonly maxBatch = 512;

  constructor(options: HashEmbedderOptions = {}) {
    this.dimensions = options.dimensions ?? 384;
    this.id = `hash-v1-${this.dimensions}`;
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    return texts.map((t) => this.embedOne(t));
  }

  embedOne(text: string): Float32Array {
    const dim = this.dimensions;
    // feature hash -> count and family weight (the family that produced it first);
    // sublinear weighting is per feature, summed in the order features first appear
    const feats = this.features;
    feats.reset();
    const words = fold(text).match(WORD_RE) ?? [];
    let prev: string | null = null;
    for (const word of words) {
      if (STOP_WORDS.has(word)) {
        prev = null;
        continue;
      }
      feats.add(fnv(word, 1), 1.0);
      // character n-grams of "<word>"; a short word is already covered by its unigram
      const n = word.length + 2;
      if (n > 5) {
        for (let size = 3; size <= 5; size++) {
          for (let i = 0; i + size <= n; i++) feats.add(fnvPadded(word, 10 + size, i, i + size), 0.45);
        }
      }
      if (prev !== null) feats.add(fnvPair(prev, word, 2), 0.7);
      prev = word;
    }
    const vec = new Float32Array(dim);
    for (let k = 0; k < feats.size; k++) {
      const h = feats.hashes[k]!;
      const idx = h % dim;
      const sign = h & 0x80000000 ? -1 : 1;
      vec[idx] = (vec[idx] ?? 0) + sign * feats.weights[k]! * (1 + Math.log(feats.counts[k]!));
    }
    let norm = 0;
    for (let i = 0; i < dim; i++) norm += (vec[i] ?? 0) ** 2;
    norm = Math.sqrt(norm);
    if (norm > 0) for (let i = 0; i < dim; i++) vec[i] = (vec[i] ?? 0) / norm;
    return vec;
  }

  private readonly features = new FeatureCounts();
}

/**
 * Distinct feature hashes with their counts and first weights, in order of first
 * appearance: an open-addressing table over typed arrays, reused from text to text.
 * (Ingest embeds every chunk: a Map of [count, weight] arrays was a third of its CPU.)
 */
class FeatureCounts {
  hashes = new Uint32Array(1024);
  counts = new Float64Array(1024);
  weights = new Float64Array(1024);
  size = 0;
  /** slot -> feature number + 1 (0: empty) */
  private table = new Int32Array(2048);
  private used: number[] = [];

  reset(): void {
    for (const slot of this.used) this.table[slot] = 0;
    this.used.length = 0;
    this.size = 0;
  }

  add(h: number, w: number): void {
    if (this.size * 2 >= this.table.length) this.grow();
    const mask = this.table.length - 1;
    let slot = h & mask;
    for (;;) {
      const k = this.table[slot]!;
      if (k === 0) break;
      if (this.hashes[k - 1] === h) {
        this.counts[k - 1]! += 1;
        return;
      }
      slot = (slot + 1) & mask;
    }
    const k = this.size++;
    if (k >= this.hashes.length) this.growArrays();
    this.hashes[k] = h;
    this.counts[k] = 1;
    this.weights[k] = w;
    this.table[slot] = k + 1;
    this.used.push(slot);
  }

  private growArrays(): void {
    const n = this.hashes.length * 2;
    const copy = <T extends Uint32Array | Float64Array>(a: T, b: T) => {
      b.set(a);
      return b;
    };
    this.hashes = copy(this.hashes, new Uint32Array(n));
    this.counts = copy(this.counts, new Float64Array(n));
    this.weights = copy(this.weights, new Float64Array(n));
  }

  private grow(): void {
    this.table = new Int32Array(this.table.length * 2);
    this.used.length = 0;
    const mask = this.table.length - 1;
    for (let k = 0; k < this.size; k++) {
      let slot = this.hashes[k]! & mask;
      while (this.table[slot] !== 0) slot = (slot + 1) & mask;
      this.table[slot] = k + 1;
      this.used.push(slot);
    }
  }
}
