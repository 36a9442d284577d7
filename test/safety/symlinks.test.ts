import assert from "node:assert/strict";
import { mkdirSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { parseFile } from "../../ingest/parse-file.js";
import { runIngest } from "../../ingest/pipeline.js";
import { walkDocuments } from "../../ingest/walk.js";
import { HashEmbedder } from "../../src/embed/hash-embedder.js";
import { isKkrError } from "../../src/errors.js";
import { Kkr } from "../../src/kkr.js";
import { silentLogger } from "../../src/logger.js";
import { type SlackBot, startSlackBot } from "../../src/slack/app.js";
import { ACTION } from "../../src/slack/render.js";
import { KkrStore } from "../../src/store/store.js";
import { tempDir, testConfig } from "../helpers/index-fixture.js";
import { blocksText, findButtons, SlackEmulator } from "../helpers/slack-emulator.js";
import { emulatorConfig } from "../slack/fake-service.js";

/**
 * Issue 8.1: anyone who can drop a file into the documents folder must not be able to
 * make the bot read, index, quote or share a file outside it.
 */

const SECRET = "OPENAI_API_KEY=sk-zebrafink-4711-hemmelig";
const AGENDA = [
  "# KKR Sjælland – dagsorden 3. marts 2021",
  "",
  "## 1. Godkendelse af dagsorden",
  "KKR Sjælland godkender dagsordenen. Mødet holdes på Rådhuset i Ringsted.",
  "",
  "## 2. Trafikplan for Vestsjælland",
  "Formand Aksel Tvedemose orienterer om trafikplanen for busruterne i Vestsjælland.",
].join("\n");
const NEWSLETTER = [
  "# Nyhedsbrev KKR Sjælland april 2021",
  "",
  "Borgmester Hedda Lønstrup fortæller om den nye cykelstrategi for kommunerne i Sjælland.",
].join("\n");

const opts = (dir: string) => ({ dir, maxFileBytes: 10 * 1024 * 1024, parseTimeoutMs: 20_000 });
const tmp = tempDir("kkr-symlinks-");
const outside = join(tmp.path, "outside");
const docs = join(tmp.path, "docs");
const db = join(tmp.path, "db");
after(() => tmp.cleanup());

before(() => {
  mkdirSync(outside, { recursive: true });
  mkdirSync(join(docs, "sub"), { recursive: true });
  writeFileSync(join(outside, "secret.txt"), `${SECRET}\nKKR Sjælland hemmeligt referat om trafikplanen.\n`);
  writeFileSync(
    join(outside, "other.md"),
    "# Udenfor\nKKR Sjælland dokument uden for mappen om trafikplanen.\n",
  );
  writeFileSync(join(docs, "dagsorden.md"), AGENDA);
  writeFileSync(join(docs, "nyhedsbrev.md"), NEWSLETTER);
  writeFileSync(join(docs, "sub", "bilag.md"), "# Bilag\nBilag til trafikplanen for KKR Sjælland.\n");
  // the attacks: a link to a secret file, a link to the parent folder, a link loop
  symlinkSync(join(outside, "secret.txt"), join(docs, "passwd.txt"));
  symlinkSync("..", join(docs, "up"));
  symlinkSync(".", join(docs, "sub", "loop"));
  symlinkSync("../../outside", join(docs, "sub", "ud"));
  // a link that stays inside the folder is fine
  symlinkSync(join(docs, "sub", "bilag.md"), join(docs, "bilag-link.md"));
});

describe("the walk never leaves the documents folder", () => {
  test("links to a file outside, to the parent folder and out of a subfolder are skipped with a reason; loops end", async () => {
    const { files, skipped } = await walkDocuments(docs);
    assert.deepEqual(
      files.map((f) => f.source),
      ["bilag-link.md", "dagsorden.md", "nyhedsbrev.md", "sub/bilag.md"],
    );
    const reasons = new Map(skipped.map((s) => [s.source, s.reason]));
    for (const source of ["passwd.txt", "up", "sub/ud"]) {
      assert.match(reasons.get(source) ?? "", /outside the documents folder/, source);
    }
  });

  test("ingest indexes nothing from outside, so nothing outside can be quoted or found", async () => {
    const store = await KkrStore.open(db, { create: true });
    try {
      const summary = await runIngest(store, new HashEmbedder(), opts(docs));
      assert.deepEqual(summary.added.sort(), [
        "bilag-link.md",
        "dagsorden.md",
        "nyhedsbrev.md",
        "sub/bilag.md",
      ]);
      const leaked = await store.chunksWhere("text LIKE '%zebrafink%' OR source LIKE '%outside%'");
      assert.equal(leaked.length, 0);
    } finally {
      store.close();
    }
    const kkr = await Kkr.open(testConfig(db), { llmAnswerer: null, rewriter: null });
    try {
      const hits = await kkr.find("zebrafink hemmelig OPENAI_API_KEY");
      assert.ok(hits.every((h) => !/passwd|outside|secret/.test(h.source)));
      const answer = await kkr.ask("Hvad er OPENAI_API_KEY?");
      assert.ok(!answer.answer.includes("zebrafink"));
    } finally {
      await kkr.close();
    }
  });

  test("a file swapped for a link after the walk is not read (parse-time re-check)", async () => {
    const path = join(docs, "swapped.md");
    symlinkSync(join(outside, "other.md"), path);
    const info = statSync(path);
    const file = { absPath: path, source: "swapped.md", size: info.size, mtimeMs: info.mtimeMs, ext: ".md" };
    await assert.rejects(
      parseFile(file, { ...opts(docs), rootReal: (await walkDocuments(docs)).rootReal }),
      (error: unknown) =>
        isKkrError(error, "PARSE_FAILED") && /outside the documents folder/.test(error.message),
    );
    rmSync(path);
  });
});

describe("Share re-checks the file when it is clicked (real core, Slack emulator)", () => {
  let kkr: Kkr;
  let slack: SlackEmulator;
  let bot: SlackBot;

  before(async () => {
    kkr = await Kkr.open(testConfig(db), { llmAnswerer: null, rewriter: null });
    slack = await SlackEmulator.start();
    bot = await startSlackBot({ config: emulatorConfig(slack), service: kkr, logger: silentLogger });
  });
  after(async () => {
    await bot.stop();
    await slack.close();
    await kkr.close();
  });

  /** `/kkr find QUERY` in `channel`, then a click on the Share button of `source`. */
  async function findAndShare(query: string, source: string, channel: string) {
    await slack.sendCommand({ text: `find ${query}`, user: "U7", channel });
    const list = await slack.waitForCall(
      "response_url",
      (c) => c.args.replace_original === true && JSON.stringify(c.args.blocks).includes(source),
    );
    const blocks = list.args.blocks as unknown[];
    const index = findButtons(blocks, ACTION.shareFile).findIndex((b) => b.button.value === source);
    assert.ok(index >= 0, `a share button for ${source}`);
    return { blocks, index };
  }

  test("an untouched file is uploaded with its own bytes", async () => {
    const { blocks, index } = await findAndShare("cykelstrategi Hedda Lønstrup", "nyhedsbrev.md", "C1");
    await slack.sendAction({
      actionId: ACTION.shareFile,
      blocks,
      index,
      user: "U7",
      channel: "C1",
      ephemeral: true,
    });
    const upload = await slack.waitForCall("file_upload");
    assert.ok(String(upload.args.body).includes("Hedda Lønstrup fortæller om den nye cykelstrategi"));
    await slack.waitForCall("files.completeUploadExternal", (c) => c.args.channel_id === "C1");
  });

  test("an indexed file replaced by a link to a secret is refused, nothing is uploaded", async () => {
    const { blocks, index } = await findAndShare("trafikplan Aksel Tvedemose", "dagsorden.md", "C2");
    // the attack happens after the listing: the indexed file becomes a link to a secret
    rmSync(join(docs, "dagsorden.md"));
    symlinkSync(join(outside, "secret.txt"), join(docs, "dagsorden.md"));
    const uploadsBefore = slack.callsTo("files.getUploadURLExternal").length;
    await slack.sendAction({
      actionId: ACTION.shareFile,
      blocks,
      index,
      user: "U7",
      channel: "C2",
      ephemeral: true,
    });
    const notice = await slack.waitForCall("response_url", (c) =>
      /ikke delt|not shared/.test(String(c.args.text)),
    );
    assert.match(blocksText(notice.args.blocks as unknown[]), /ændret eller flyttet/);
    await slack.settle();
    assert.equal(slack.callsTo("files.getUploadURLExternal").length, uploadsBefore, "no upload started");
    assert.ok(slack.callsTo("file_upload").every((c) => !String(c.args.body).includes("zebrafink")));
  });

  test("an indexed file whose content changed since ingest is refused (hash mismatch)", async () => {
    const { blocks, index } = await findAndShare("bilag trafikplanen", "sub/bilag.md", "C3");
    writeFileSync(join(docs, "sub", "bilag.md"), `# Bilag\n${SECRET}\n`);
    const uploadsBefore = slack.callsTo("files.getUploadURLExternal").length;
    await slack.sendAction({
      actionId: ACTION.shareFile,
      blocks,
      index,
      user: "U7",
      channel: "C3",
      ephemeral: true,
    });
    await slack.waitForCall("response_url", (c) => /ikke delt|not shared/.test(String(c.args.text)));
    await slack.settle();
    assert.equal(slack.callsTo("files.getUploadURLExternal").length, uploadsBefore);
  });

  test("the core never offers a path outside the folder", async () => {
    assert.equal((await kkr.sourceFile("dagsorden.md"))?.path, null);
    assert.deepEqual(await kkr.readSourceFile("dagsorden.md"), { ok: false, reason: "outside" });
  });
});
