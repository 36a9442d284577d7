import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { HashEmbedder } from "../../src/embed/hash-embedder.js";
import { Kkr } from "../../src/kkr.js";
import { silentLogger } from "../../src/logger.js";
import { ANNOUNCE_SUMMARY_ACTION, postAnnouncement } from "../../src/slack/announce.js";
import { type SlackBot, startSlackBot } from "../../src/slack/app.js";
import { AnnouncementQueue, queueDirFor } from "../../src/sync/announce-queue.js";
import { buildAnnouncements } from "../../src/sync/announcer.js";
import { type BotSync, startBotSync } from "../../src/sync/bot-sync.js";
import { Serial } from "../../src/sync/serial.js";
import type { FixtureSite } from "../helpers/fixture-site.js";
import { makePdf } from "../helpers/make-pdf.js";
import { blocksText, SlackEmulator } from "../helpers/slack-emulator.js";
import { emulatorConfig } from "../slack/fake-service.js";
import { addDecember, kkrSite, mainPage, PATHS, START_PATH, sourcesFor } from "./kkr-site.js";
import { syncEnv } from "./sync-env.js";

const CHANNEL = "CNEWS";

/** New documents announced in Slack through real Bolt against the emulator, once, also across restarts. */
describe("announcing new documents in Slack", () => {
  let site: FixtureSite;
  let env: Awaited<ReturnType<typeof syncEnv>>;
  let slack: SlackEmulator;
  let kkr: Kkr;
  let bot: SlackBot;
  let botSync: BotSync | null = null;
  let baseline: Awaited<ReturnType<typeof env.run>>;

  const announcements = () => slack.callsTo("chat.postMessage").filter((c) => c.args.channel === CHANNEL);
  /** What `kkr serve` composes: the bot's sync (with announcements) on the shared index. */
  const startBot = async () => {
    const started = startBotSync({
      config: env.config,
      store: env.store,
      embedder: new HashEmbedder(),
      serial: new Serial(),
      retryBaseMs: 5,
    });
    assert.ok(started, "an announcement channel starts the bot's sync");
    botSync = started;
    return started;
  };
  const connect = (b: BotSync) => b.setPublisher((a) => postAnnouncement(bot.client, CHANNEL, a));

  before(async () => {
    site = await kkrSite();
    env = await syncEnv(sourcesFor(site), { KKR_ANNOUNCE_CHANNEL: CHANNEL });
    baseline = await env.run();
    slack = await SlackEmulator.start();
    kkr = await Kkr.open(env.config, { llmAnswerer: null, rewriter: null });
    bot = await startSlackBot({ config: emulatorConfig(slack), service: kkr, logger: silentLogger });
  });
  after(async () => {
    await botSync?.stop();
    await bot.stop();
    await slack.close();
    await kkr.close();
    env.cleanup();
    await site.close();
  });

  test("the first sync of a source is its starting point: nothing is announced", async () => {
    assert.equal(baseline.sources[0]?.baseline, true);
    assert.equal(baseline.documents.filter((d) => d.status === "new").length, 5);
    assert.deepEqual(await new AnnouncementQueue(queueDirFor(env.docs)).pending(), []);
    const b = await startBot();
    await connect(b);
    await slack.settle();
    assert.equal(announcements().length, 0);
    await b.stop();
  });

  test("a new meeting is announced once, grouped, with links and a Summary button", async () => {
    await addDecember(site);
    const b = await startBot();
    await b.syncNow();
    assert.equal(announcements().length, 0, "held until Slack is connected");
    await connect(b);
    await slack.settle();
    const posts = announcements();
    assert.equal(posts.length, 1);
    const post = posts[0]!;
    assert.equal(post.args.text, "Ny dagsorden: KKR Syddanmark, møde 3. december 2020");
    const text = blocksText(post.args.blocks as unknown[]);
    const agendaLink = text.indexOf(`<${site.url(PATHS.decemberAgenda)}|Dagsorden>`);
    const appendixLink = text.indexOf(`<${site.url(PATHS.decemberAppendix)}|Bilag 2: Trafikplan>`);
    assert.ok(agendaLink > 0 && appendixLink > agendaLink, text);
    assert.doesNotMatch(text, /11\. november|dagsorden-2020-11-11/, "only the new meeting");

    // The Summary button shows the meeting's summary to the clicker.
    const message = slack.messages.find((m) => m.channel === CHANNEL);
    assert.ok(message);
    await slack.sendAction({
      actionId: ANNOUNCE_SUMMARY_ACTION,
      blocks: post.args.blocks as unknown[],
      channel: CHANNEL,
      user: "U7",
      message: { ts: message.ts, text: message.text },
    });
    const reply = await slack.waitForCall(
      "response_url",
      (c) => c.args.response_type === "ephemeral",
      15_000,
    );
    assert.equal(reply.args.replace_original, false, "the announcement stays");
    const summary = blocksText(reply.args.blocks as unknown[]);
    assert.match(summary, /KKR Syddanmark – møde 3\. december 2020/);
    assert.match(summary, /Ny trafikplan/);
    assert.match(summary, /Bodil Opdigtsen/);

    await b.syncNow();
    await b.announceNow();
    await slack.settle();
    assert.equal(announcements().length, 1, "not again on the next sync");
    await b.stop();
  });

  test("after a restart nothing is announced again, and a post cut off by a crash is not repeated", async () => {
    // A crash between claiming and posting: the entry is left in `sending`.
    const queue = new AnnouncementQueue(queueDirFor(env.docs));
    await queue.enqueue([
      {
        url: site.url("/media/9999/crashed.pdf"),
        file: "syddanmark/media/9999/crashed.pdf",
        source: "syddanmark",
        linkText: "Bilag 9",
        role: "bilag",
        context: null,
        region: "Syddanmark",
        kind: null,
        meetingDate: "2020-12-03",
        queuedAt: new Date().toISOString(),
      },
    ]);
    await queue.claim(await queue.pending());

    const b = await startBot();
    await connect(b);
    await b.syncNow();
    await slack.settle();
    assert.equal(announcements().length, 1);
    assert.deepEqual(await queue.pending(), []);
    await b.stop();
  });

  test("a post Slack refuses is retried later; changed documents are not announced", async () => {
    // Minutes for the December meeting, and a changed agenda of an old one.
    site.setFile(
      "/kkr-syddanmark/moedemateriale/filer/referat-2020-12-03.pdf",
      await makePdf({
        pages: [
          "Referat\nKKR Syddanmark\nMøde den 3. december 2020\n1. Ny trafikplan\nBeslutning:\nGodkendt.",
        ],
        header: null,
      }),
      "application/pdf",
    );
    site.setFile(
      PATHS.juneAgenda,
      await makePdf({ pages: ["Dagsorden\nRettet udgave"], header: null }),
      "application/pdf",
    );
    site.html(
      START_PATH,
      mainPage({ december: true }).replace(
        "(PDF)</li>",
        '(PDF)</li><li><a href="/kkr-syddanmark/moedemateriale/filer/referat-2020-12-03.pdf">Referat</a></li>',
      ),
    );
    const b = await startBot();
    await connect(b);
    slack.failNext("chat.postMessage", "not_in_channel");
    await b.syncNow();
    await slack.settle();
    assert.equal(announcements().length, 2, "one refused attempt");
    assert.equal(
      (await new AnnouncementQueue(queueDirFor(env.docs)).pending()).length,
      1,
      "kept for a retry",
    );
    assert.equal(await b.announceNow(), 1);
    await slack.settle();
    const posts = announcements();
    assert.equal(posts.length, 3);
    assert.equal(posts[2]?.args.text, "Nyt referat: KKR Syddanmark, møde 3. december 2020");
    assert.doesNotMatch(blocksText(posts[2]?.args.blocks as unknown[]), /10-06|juni/);
    await b.stop();
  });
});

describe("grouping announcements", () => {
  const doc = (over: Partial<Parameters<typeof buildAnnouncements>[0][number]["entry"]>, meta = {}) => ({
    entry: {
      key: over.url ?? "k",
      url: "https://x.dk/a.pdf",
      file: "s/a.pdf",
      source: "s",
      linkText: "",
      role: null,
      context: null,
      region: null,
      kind: null,
      meetingDate: null,
      queuedAt: "",
      attempts: 0,
      ...over,
    },
    kind: null,
    region: "Sjælland" as const,
    meetingDate: null as string | null,
    title: "",
    ...meta,
  });

  test("agenda and minutes of one meeting share one message; other documents one more", () => {
    const groups = buildAnnouncements([
      doc({ url: "https://x.dk/b.pdf", linkText: "Bilag 1", role: "bilag" }, { meetingDate: "2024-04-17" }),
      doc({ url: "https://x.dk/r.pdf", linkText: "Referat", role: "referat" }, { meetingDate: "2024-04-17" }),
      doc(
        { url: "https://x.dk/d.pdf", linkText: "Dagsorden", role: "dagsorden" },
        { meetingDate: "2024-04-17" },
      ),
      doc(
        { url: "https://x.dk/n.pdf", linkText: "PDF" },
        { kind: "nyhedsbrev", title: "Nyhedsbrev juni 2024" },
      ),
    ]);
    assert.equal(groups.length, 2);
    assert.equal(
      groups[0]?.announcement.headline,
      "Ny dagsorden og nyt referat: KKR Sjælland, møde 17. april 2024",
    );
    assert.deepEqual(
      groups[0]?.announcement.documents.map((d) => d.label),
      ["Dagsorden", "Referat", "Bilag 1"],
    );
    assert.equal(groups[0]?.announcement.summaryRef, "KKR Sjælland 17. april 2024");
    assert.equal(groups[1]?.announcement.headline, "Nyt nyhedsbrev: Nyhedsbrev juni 2024");
    assert.equal(groups[1]?.announcement.summaryRef, null);
  });
});
