import { createRequire } from "node:module";

/**
 * apache-arrow as LanceDB sees it. LanceDB is CommonJS and requires arrow's CJS build; an ESM
 * `import … from "apache-arrow"` would load the ESM build beside it (a second copy: ~0.1 s of
 * cold start and ~17 MiB), and schemas built from one copy are foreign objects to the other.
 */
export const arrow: typeof import("apache-arrow") = createRequire(import.meta.url)("apache-arrow");
