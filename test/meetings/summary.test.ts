import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Command } from "commander";
import { registerMeetings } from "../../src/cli/commands/meetings.js";
import type { CliContext } from "../../src/cli/context.js";
import type { Config } from "../../src/config.js";
import { isKkrError } from "../../src/errors.js";
import { silentLogger } from "../../src/logger.js";
import { listMeetings } from "../../src/meetings/meetings.js";
import { resolveMeeting } from "../../src/meetings/resolve-ref.js";
import { type SummaryResult, summarizeRef } from "../../src/meetings/summary.js";
import type { KkrStore } from "../../src/store/store.js";
import { assertCitationsQuoteChunks } from "../helpers/index-fixture.js";
import { indexCorpus } from "./corpus-index.js";

const AGENDA = "kkr-syddanmark-dagsorden-2020-11-11.md";
const SJ_NEWS = "kkr-sjaelland-nyhedsbrev-2020-09.txt";

let store: KkrStore;
let dbDir: string;
let cleanup: () => Promise<void>;
before(async () => {
  ({ store, dir: dbDir, cleanup } = await indexCorpus());
});
after(async () => {
  await cleanup();
});

async function assertCitationsValid(r: SummaryResult) {
  await assertCitationsQuoteChunks(store, r.answer, r.citations);
}

/** Content lines (everything but the sources line and blank lines) each carry a marker. */
function assertEveryLineCited(r: SummaryResult) {
  const lines = r.answer.split("\n").filter((l) => l.trim() !== "" && !/^(?:Dokumenter|Documents):/.test(l));
  for (const l of lines) assert.match(l, /\[\d+\]/, `line without citation: ${l}`);
}

describe("listMeetings over the reference corpus", () => {
  test("derives the three meetings, newest first, with their documents", async () => {
    const all = await listMeetings(store);
    assert.deepEqual(
      all.map((m) => m.id),
      ["syddanmark-2020-11-11", "syddanmark-2020-09-08", "sjaelland-2020-09-07"],
    );
    const nov = all[0];
    assert.equal(nov?.place, "Virtuelt via Teams");
    assert.deepEqual(
      nov?.documents.map((d) => [d.kind, d.source]),
      [["dagsorden", AGENDA]],
    );
    assert.deepEqual(
      all[2]?.documents.map((d) => d.source),
      [SJ_NEWS],
    );
  });

  test("filters by region and year", async () => {
    assert.deepEqual(
      (await listMeetings(store, { region: "Sjælland" })).map((m) => m.id),
      ["sjaelland-2020-09-07"],
    );
    assert.equal((await listMeetings(store, { region: "Syddanmark", year: 2020 })).length, 2);
    assert.equal((await listMeetings(store, { year: 2021 })).length, 0);
    assert.equal((await listMeetings(store, { region: "Nordjylland" })).length, 0);
  });
});

describe("detailed offline summary of the Syddanmark agenda of 11 November 2020", () => {
  let r: SummaryResult;
  before(async () => {
    r = await summarizeRef(store, "KKR Syddanmark 11. november 2020", { detail: true });
  });

  test("has the AskResult shape with mode summary, in Danish", () => {
    assert.equal(r.mode, "summary");
    assert.equal(r.method, "extractive");
    assert.equal(r.abstained, false);
    assert.equal(r.language, "da");
    assert.deepEqual(r.closest, []);
    assert.equal(r.question, "KKR Syddanmark 11. november 2020");
    assert.equal(r.meeting.id, "syddanmark-2020-11-11");
    assert.equal(typeof r.timings_ms.total, "number");
  });

  test("header names the KKR, date, time, place and source document", () => {
    const [first, second] = r.answer.split("\n");
    assert.match(
      first ?? "",
      /^KKR Syddanmark – møde 11\. november 2020 kl\. 10:00, Virtuelt via Teams \[1\]/,
    );
    assert.match(second ?? "", new RegExp(`^Dokumenter: dagsorden ${AGENDA.replaceAll(".", "\\.")}`));
    assert.ok(
      r.citations[0]?.quote.startsWith("Dato: 11-11-2020") || r.citations[0]?.quote.startsWith("Sted:"),
    );
  });

  test("lists all agenda items 1.1 through 5.1 in order, with their titles", () => {
    const expected: [string, string][] = [
      ["1.1", "Godkendelse af referat fra mødet den 8. september 2020"],
      ["2.1", "Indsatsområder i Rammeaftalen 2021-2022"],
      ["2.2", "Ny rammeaftale for erhvervshusene for 2021-2023"],
      ["2.3", "DK2020 og regional organisering"],
      ["2.4", "Fælles pejlemærker om fremtidens sundhedsvæsen"],
      ["2.5", "Social- og indenrigsminister Astrid Krag"],
      ["3.1", "Siden sidst"],
      ["3.2", "Orientering om nye videns- og erhvervs-klynger"],
      ["4.1", "Punkter til næste møde den 5. februar 2020"],
      ["5.1", "Eventuelt"],
    ];
    assert.deepEqual(
      r.items.filter((i) => !i.group).map((i) => i.number),
      expected.map(([n]) => n),
    );
    let at = 0;
    for (const [n, title] of expected) {
      const line = `\n${n} ${title} [`;
      const i = r.answer.indexOf(line, at);
      assert.ok(i > at, `item ${n} "${title}" in order`);
      at = i;
    }
    assert.deepEqual(
      r.items.filter((i) => i.group).map((i) => i.number),
      ["1", "2", "3", "4", "5"],
    );
  });

  test("gives the Indstilling of 2.2 and the key facts of DK2020 and Astrid Krag's visit", () => {
    const item = (n: string) => r.items.find((i) => i.number === n)?.lines ?? [];
    const rec22 = item("2.2").find((l) => l.kind === "recommendation");
    assert.match(
      rec22?.text ?? "",
      /^ {2}- Indstilling: Det indstilles, at KKR Syddanmark tager orienteringen til efterretning\. \[\d+\]$/,
    );
    const dk2020 = item("2.3")
      .map((l) => l.text)
      .join("\n");
    assert.match(dk2020, /Boris Schønfeldt/);
    assert.match(dk2020, /3 mio\. kr\./);
    assert.match(dk2020, /21\. oktober 2020/);
    const krag = item("2.5");
    assert.match(krag[0]?.text ?? "", /^2\.5 Social- og indenrigsminister Astrid Krag \[\d+\]$/);
    assert.ok(
      krag.some((l) => l.kind === "fact" && /Astrid Krag deltager på KKR Syddanmarks møde/.test(l.text)),
    );
    assert.ok(krag.some((l) => l.kind === "recommendation" && /Astrid Krag's oplæg/.test(l.text)));
  });

  test("every line is cited with a quote that is an exact substring of a stored chunk", async () => {
    assertEveryLineCited(r);
    await assertCitationsValid(r);
    assert.ok(r.citations.every((c) => c.source === AGENDA));
    assert.ok(r.citations.some((c) => c.item === "2.3" && c.quote.includes("Boris Schønfeldt")));
  });

  test("an English reference gets English labels around the Danish quotes", async () => {
    const en = await summarizeRef(store, "the Syddanmark meeting on 11 November 2020", { detail: true });
    assert.equal(en.language, "en");
    assert.match(en.answer, /^KKR Syddanmark – meeting 11 November 2020 at 10:00, Virtuelt via Teams/);
    assert.match(
      en.answer,
      /Recommendation: Det indstilles, at KKR Syddanmark tager orienteringen til efterretning/,
    );
    assert.match(en.note ?? "", /Danish documents/);
    await assertCitationsValid(en);
  });
});

describe("newsletter-only meeting", () => {
  test("the Sjælland September 2020 summary is built from the newsletter's sections and cites it", async () => {
    const r = await summarizeRef(store, "the September 2020 meeting in Sjælland", { detail: true });
    assert.equal(r.meeting.id, "sjaelland-2020-09-07");
    assert.ok(r.citations.length >= 5);
    assert.ok(r.citations.every((c) => c.source === SJ_NEWS));
    assert.match(r.answer, /^KKR Sjælland – meeting 7 September 2020 \[1\]/);
    assert.equal(r.citations[0]?.quote, "KKR Sjælland holdt møde den 7. september 2020.");
    for (const title of [
      "DK2020: Oplæg til fælles geografisk organisering for KKR Sjælland og Region Sjælland",
      "Rammeaftale for det specialiserede social- og undervisningsområde 2021 og 2022",
    ]) {
      assert.ok(
        r.items.some((i) => i.title.startsWith(title.slice(0, 60))),
        title,
      );
    }
    assert.match(r.answer, /tiltræde rammeaftalen senest den 1\. december 2020/);
    assertEveryLineCited(r);
    await assertCitationsValid(r);
  });

  test("Danish latest-meeting reference", async () => {
    const r = await summarizeRef(store, "seneste møde i KKR Sjælland");
    assert.equal(r.meeting.id, "sjaelland-2020-09-07");
    assert.equal(r.language, "da");
    assert.match(r.answer, /^KKR Sjælland – møde 7\. september 2020 \[1\]/);
  });
});

describe("references that don't name one meeting", () => {
  test("ambiguous: MEETING_AMBIGUOUS listing the candidates", async () => {
    await assert.rejects(summarizeRef(store, "Syddanmark 2020"), (e: unknown) => {
      assert.ok(isKkrError(e, "MEETING_AMBIGUOUS"));
      assert.match(e.message, /KKR Syddanmark 11\. november 2020 \(dagsorden\)/);
      assert.match(e.message, /KKR Syddanmark 8\. september 2020 \(nyhedsbrev\)/);
      assert.equal((e.details?.candidates as unknown[] | undefined)?.length, 2);
      return true;
    });
    await assert.rejects(resolveMeeting(store, "the September 2020 meeting"), (e: unknown) =>
      isKkrError(e, "MEETING_AMBIGUOUS"),
    );
  });

  test("unknown: MEETING_NOT_FOUND saying which meetings exist", async () => {
    await assert.rejects(summarizeRef(store, "KKR Nordjylland marts 2019"), (e: unknown) => {
      assert.ok(isKkrError(e, "MEETING_NOT_FOUND"));
      for (const m of [
        "KKR Syddanmark 11. november 2020",
        "KKR Syddanmark 8. september 2020",
        "KKR Sjælland 7. september 2020",
      ]) {
        assert.ok(e.message.includes(m), m);
      }
      return true;
    });
    await assert.rejects(
      summarizeRef(store, "the KKR Syddanmark meeting on 5 February 2021"),
      (e: unknown) => {
        assert.ok(isKkrError(e, "MEETING_NOT_FOUND"));
        assert.match(e.message, /No meeting matches/);
        assert.ok(!e.message.includes("Sjælland"), "lists only the region asked about");
        return true;
      },
    );
  });
});

describe("kkr meetings / kkr summary commands", () => {
  function run(args: string[]): Promise<string> {
    const out: string[] = [];
    const ctx = (): CliContext => ({
      config: {
        db: dbDir,
        answerMode: "extractive",
        openai: { apiKey: undefined, baseURL: undefined },
      } as Config,
      logger: silentLogger,
      out: (t) => out.push(t),
    });
    const program = new Command("kkr").exitOverride();
    registerMeetings(program, ctx);
    return program.parseAsync(["node", "kkr", ...args]).then(() => out.join("\n"));
  }

  test("kkr meetings --json and text", async () => {
    const json = JSON.parse(await run(["meetings", "--json", "--region", "syddanmark"])) as {
      meetings: { id: string; documents: { source: string }[] }[];
    };
    assert.deepEqual(
      json.meetings.map((m) => m.id),
      ["syddanmark-2020-11-11", "syddanmark-2020-09-08"],
    );
    const text = await run(["meetings", "--year", "2020"]);
    assert.match(text, /2020-11-11 {2}KKR Syddanmark {2}kl\. 10:00 {2}\(Virtuelt via Teams\)/);
    assert.match(text, /kkr-sjaelland-nyhedsbrev-2020-09\.txt/);
  });

  test("kkr summary --json prints the ask fields plus meeting and items", async () => {
    const json = JSON.parse(
      await run(["summary", "KKR Syddanmark 11. november 2020", "--json"]),
    ) as SummaryResult;
    assert.equal(json.mode, "summary");
    assert.equal(json.meeting.id, "syddanmark-2020-11-11");
    assert.ok(json.citations.length > 10);
    assert.ok(json.items.some((i) => i.number === "5.1"));
    const text = await run(["summary", "seneste møde i KKR Sjælland"]);
    assert.match(text, /^KKR Sjælland – møde 7\. september 2020/);
    assert.match(text, /\nKilder:\n\[1\]/);
  });

  test("kkr summary fits one screen with sources per document; --detail prints the long form", async () => {
    const short = await run(["summary", "KKR Syddanmark 11. november 2020"]);
    assert.ok(short.split("\n").length <= 16, short);
    assert.match(
      short,
      /\nKilder:\n\[1\]–\[12\] KKR Syddanmark – dagsorden 11\. november 2020 · 2020-11-11 — kkr-syddanmark-dagsorden-2020-11-11\.md$/,
    );
    const long = await run(["summary", "KKR Syddanmark 11. november 2020", "--detail"]);
    assert.match(long, /Indstilling: Det indstilles/);
    assert.ok(long.split("\n").length > 50);
    const json = JSON.parse(await run(["summary", "KKR Syddanmark 11. november 2020", "--json"])) as {
      items: { number: string; itemKind?: string | null }[];
      detail: boolean;
    };
    assert.equal(json.items.find((i) => i.number === "2.3")?.itemKind, "Orientering");
  });
});
