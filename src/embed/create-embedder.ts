import type { Config } from "../config.js";
import type { Logger } from "../logger.js";
import type { Embedder } from "./embedder.js";
import { HashEmbedder } from "./hash-embedder.js";

/** The one place that picks an Embedder from config. */
export async function createEmbedder(
  config: Config,
  deps: { fetch?: typeof fetch; logger?: Logger } = {},
): Promise<Embedder> {
  if (config.embedder === "openai") {
    const { OpenAIEmbedder } = await import("./openai-embedder.js");
    return OpenAIEmbedder.create(config, deps);
  }
  return new HashEmbedder({ dimensions: config.hashDim });
}
