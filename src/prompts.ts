import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Prompt texts live in the project's `prompts/` folder so they can be read and reviewed
 * as text. This module sits in `src/` under tsx and in `dist/src/` when compiled, so the
 * folder is found by walking up from here rather than by a fixed relative path.
 */

let promptsDir: string | undefined;
const cache = new Map<string, string>();

export function findPromptsDir(start: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = start;
  for (;;) {
    const candidate = join(dir, "prompts");
    if (existsSync(candidate) && statSync(candidate).isDirectory()) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`No prompts/ folder found above ${start}`);
    dir = parent;
  }
}

/** The text of `prompts/NAME.txt` (NAME may include `.txt`), read once and cached. */
export function loadPrompt(name: string): string {
  const file = name.endsWith(".txt") ? name : `${name}.txt`;
  // Names are fixed strings in code; refuse anything path-like all the same.
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(file)) throw new Error(`Invalid prompt name: ${name}`);
  const cached = cache.get(file);
  if (cached !== undefined) return cached;
  promptsDir ??= findPromptsDir();
  const text = readFileSync(join(promptsDir, file), "utf8").replace(/\r\n/g, "\n").trim();
  cache.set(file, text);
  return text;
}

/**
 * Fills `{{name}}` placeholders in one pass, so a value that itself contains `{{x}}`
 * (question or passage text) is never expanded. Unknown placeholders are left as they are.
 */
export function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (whole, key: string) =>
    Object.hasOwn(values, key) ? (values[key] ?? "") : whole,
  );
}
