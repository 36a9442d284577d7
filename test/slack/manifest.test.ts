import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { test } from "node:test";
import { routeInput } from "../../src/chat/route.js";

const ROOT = resolve(import.meta.dirname, "../..");
const manifest = JSON.parse(readFileSync(join(ROOT, "manifest.json"), "utf8")) as {
  features: {
    app_home: { home_tab_enabled: boolean; messages_tab_enabled: boolean };
    assistant_view?: {
      assistant_description: string;
      suggested_prompts: { title: string; message: string }[];
    };
    slash_commands: { command: string }[];
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: { event_subscriptions: { bot_events: string[] }; interactivity: { is_enabled: boolean } };
};

/** The scopes each Web API method the bot calls needs (Slack's method reference). */
const METHOD_SCOPES: Record<string, string[]> = {
  "chat.postMessage": ["chat:write"],
  "chat.postEphemeral": ["chat:write"],
  "chat.update": ["chat:write"],
  "chat.delete": ["chat:write"],
  chatStream: ["chat:write"],
  "conversations.replies": ["channels:history", "groups:history", "im:history", "mpim:history"],
  "conversations.info": ["channels:read", "groups:read", "im:read", "mpim:read"],
  "users.info": ["users:read"],
  "views.publish": [],
  filesUploadV2: ["files:write"],
  // Bolt's Assistant utilities
  "assistant.threads.setStatus": ["assistant:write"],
  "assistant.threads.setSuggestedPrompts": ["assistant:write"],
  "assistant.threads.setTitle": ["assistant:write"],
};

function sources(): string {
  const dir = join(ROOT, "src/slack");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".ts"))
    .map((f) => readFileSync(join(dir, f), "utf8"))
    .join("\n");
}

test("the manifest installs the assistant pane, the Home tab and /kkr with interactivity", () => {
  const view = manifest.features.assistant_view;
  assert.ok(view, "features.assistant_view");
  assert.ok(view.assistant_description.length > 0);
  assert.ok(view.suggested_prompts.length >= 1 && view.suggested_prompts.length <= 4);
  for (const p of view.suggested_prompts) {
    assert.ok(p.title && p.message, "prompts have a title and a message");
    assert.notEqual(routeInput(p.message).kind, "config");
  }
  assert.equal(manifest.features.app_home.home_tab_enabled, true);
  assert.equal(manifest.features.app_home.messages_tab_enabled, true);
  assert.equal(manifest.features.slash_commands[0]?.command, "/kkr");
  assert.equal(manifest.settings.interactivity.is_enabled, true);
});

test("every event the bot listens to is subscribed", () => {
  const events = new Set(manifest.settings.event_subscriptions.bot_events);
  for (const e of [
    "app_mention",
    "app_home_opened",
    "assistant_thread_started",
    "assistant_thread_context_changed",
  ]) {
    assert.ok(events.has(e), e);
  }
  // message events: DMs (and assistant threads in them) and group DMs
  assert.ok(events.has("message.im") && events.has("message.mpim"));
  const src = sources();
  for (const [, name] of src.matchAll(/app\.event\("([a-z_]+)"/g)) {
    if (name !== "message") assert.ok(events.has(name ?? ""), `app.event("${name}") needs ${name}`);
  }
});

test("every Web API method the bot calls has its scope", () => {
  const scopes = new Set(manifest.oauth_config.scopes.bot);
  const src = sources();
  const called = new Set<string>();
  for (const [, m] of src.matchAll(
    /client\.((?:chat|conversations|users|views|files|assistant)(?:\.\w+)+|chatStream|filesUploadV2)\(/g,
  )) {
    if (m) called.add(m);
  }
  called.add("assistant.threads.setStatus");
  called.add("assistant.threads.setSuggestedPrompts");
  called.add("assistant.threads.setTitle");
  for (const method of called) {
    const needed = METHOD_SCOPES[method];
    assert.ok(needed, `add ${method} and its scopes to this test`);
    for (const scope of needed) assert.ok(scopes.has(scope), `${method} needs ${scope}`);
  }
  assert.ok(scopes.has("commands") && scopes.has("app_mentions:read"));
});
