import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { HashEmbedder } from "../../src/embed/hash-embedder.js";
import { STOP_WORDS } from "../../src/embed/stop-words.js";
import { fold } from "../../src/text/fold.js";

// The hash embedder was rewritten for speed (issue 12: typed-array feature counts, n-grams
// hashed without building strings). Stored indexes hold its vectors, so they must stay the
// same to the bit: this is the previous implementation, compared on real documents.
function fnv(s: string, seed: number, from = 0, to = s.length): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = from; i < to; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function reference(text: string, dim: number): Float32Array {
  const feats = new Map<number, [number, number]>();
  const add = (h: number, w: number) => {
    const f = feats.get(h);
    if (f) f[0] += 1;
    else feats.set(h, [1, w]);
  };
  const words = fold(text).match(/[\p{L}\p{N}]+/gu) ?? [];
  let prev: string | null = null;
  for (const word of words) {
    if (STOP_WORDS.has(word)) {
      prev = null;
      continue;
    }
    add(fnv(word, 1), 1.0);
    const padded = `<${word}>`;
    const n = padded.length;
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

describe("hash embedder", () => {
  const corpus = join(import.meta.dirname, "../../bench/devset/docs");
  const docs = readdirSync(corpus).map((f) => readFileSync(join(corpus, f), "utf8"));
  // whole documents (thousands of features: the table grows), paragraphs, words, edge cases
  const texts = [
    ...docs,
    ...docs.flatMap((d) => d.split(/\n\s*\n/)),
    "",
    "og i at",
    "Ærø Sjælland Køge formanden",
    "DK2020 2021-2022 kl. 10.00",
    "a".repeat(3000),
    "æøå ÆØÅ é ü",
  ];

  test("gives the same vectors, bit for bit, as the previous implementation", () => {
    for (const dim of [384, 97]) {
      const e = new HashEmbedder({ dimensions: dim });
      for (const t of texts) assert.deepEqual(e.embedOne(t), reference(t, dim), t.slice(0, 60));
    }
  });

  test("does not carry features from one text to the next", () => {
    const e = new HashEmbedder();
    const a = e.embedOne("Kommunekontaktrådet i Syddanmark");
    e.embedOne(docs[0] ?? "noget helt andet");
    assert.deepEqual(e.embedOne("Kommunekontaktrådet i Syddanmark"), a);
  });
});
