import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fillTemplate, findPromptsDir, loadPrompt } from "../../src/prompts.js";

test("loadPrompt reads prompts/ with or without .txt and refuses paths", () => {
  const system = loadPrompt("answer.system");
  assert.match(system, /untrusted/);
  assert.equal(loadPrompt("answer.system.txt"), system);
  assert.throws(() => loadPrompt("../package.json"));
  assert.match(loadPrompt("answer.user"), /\{\{passages\}\}/);
});

test("findPromptsDir walks up from a nested folder (src/ under tsx, dist/src/ compiled)", () => {
  const root = mkdtempSync(join(tmpdir(), "kkr-prompts-"));
  try {
    mkdirSync(join(root, "prompts"));
    mkdirSync(join(root, "dist", "src"), { recursive: true });
    assert.equal(findPromptsDir(join(root, "dist", "src")), join(root, "prompts"));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test("fillTemplate fills once: placeholders inside values stay literal", () => {
  assert.equal(
    fillTemplate("Q: {{question}} / {{missing}}", { question: "{{passages}}" }),
    "Q: {{passages}} / {{missing}}",
  );
});
