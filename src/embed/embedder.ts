/** Turns texts into vectors. One implementation per file; `create-embedder.ts` picks one from config. */
export interface Embedder {
  /** Identifies the model and settings; the index records it and refuses a different one. */
  readonly id: string;
  readonly dimensions: number;
  /** Most texts one `embed` call should be given. */
  readonly maxBatch: number;
  /** Vectors for `texts`, in order. `kind` lets asymmetric models treat queries differently. */
  embed(texts: string[], kind?: "document" | "query", signal?: AbortSignal): Promise<Float32Array[]>;
}
