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
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
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
    // feature hash -> [count, family weight]; sublinear weighting is per feature
    const feats = new Map<number, [number, number]>();
    const add = (h: number, w: number) => {
      const f = feats.get(h);
      if (f) f[0] += 1;
      else feats.set(h, [1, w]);
    };
    const words = fold(text).match(WORD_RE) ?? [];
    let prev: string | null = null;
    for (const word of words) {
      if (STOP_WORDS.has(word)) {
        prev = null;
        continue;
      }
      add(fnv(word, 1), 1.0);
      const padded = `<${word}>`;
      const n = padded.length;
      // character n-grams; a short word is already covered by its unigram
      if (n > 5) {
        for (let size = 3; size <= 5; size++) {
          for (let i = 0; i + size <= n; i++) add(fnv(padded, 10 + size, i, i + size), 0.45);
        }
      }
      if (prev !== null) add(fnv(`${prev} ${word}`, 2), 0.7);
      prev = word;
    }
    const vec = new Float32Array(dim);
    for (const [h, [count, w]] of feats) {
      const idx = h % dim;
      const sign = h & 0x80000000 ? -1 : 1;
      vec[idx] = (vec[idx] ?? 0) + sign * w * (1 + Math.log(count));
    }
    let norm = 0;
    for (let i = 0; i < dim; i++) norm += (vec[i] ?? 0) ** 2;
    norm = Math.sqrt(norm);
    if (norm > 0) for (let i = 0; i < dim; i++) vec[i] = (vec[i] ?? 0) / norm;
    return vec;
  }
}
