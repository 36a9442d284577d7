import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { Command } from "commander";
import { registerDocs } from "../../src/cli/commands/docs.js";
import type { CliContext } from "../../src/cli/context.js";
import type { Config } from "../../src/config.js";
import type { DocumentInfo } from "../../src/documents/catalog.js";
import { isKkrError, type KkrError } from "../../src/errors.js";
import { silentLogger } from "../../src/logger.js";
import { listMeetings } from "../../src/meetings/meetings.js";
import { resolveMeeting } from "../../src/meetings/resolve-ref.js";
import { summarizeRef } from "../../src/meetings/summary.js";
import { KkrStore } from "../../src/store/store.js";
import { assertCitationsQuoteChunks, buildIndex } from "../helpers/index-fixture.js";

const FIXTURES = fileURLToPath(new URL("../fixtures/web", import.meta.url));
const CALENDAR = "moeder-kkr-nordjylland-2025.txt";

let store: KkrStore;
let db: string;
let cleanup: () => void;
before(async () => {
  const index = await buildIndex(FIXTURES);
  assert.deepEqual(index.summary.skipped, []);
  db = index.db;
  cleanup = index.cleanup;
  store = await KkrStore.open(db);
});
after(() => {
  store.close();
  cleanup();
});

describe("meetings from web pages, calendars, news and agendas", () => {
  test("kkr meetings lists every meeting the documents describe", async () => {
    const meetings = await listMeetings(store);
    assert.deepEqual(
      meetings.map((m) => m.id),
      [
        "nordjylland-2026-01-20",
        "sjaelland-2025-10-22",
        "nordjylland-2025-09-19",
        "sjaelland-2025-09-02",
        "sjaelland-2025-06-18",
        "nordjylland-2025-06-13",
        "sjaelland-2025-04-08",
        "nordjylland-2025-04-04",
        "nordjylland-2025-02-07",
        "sjaelland-2025-02-05",
        "syddanmark-2024-02-08",
        "syddanmark-2023-03-14",
        "midtjylland-2023-01-26",
      ],
    );
    const april = meetings.find((m) => m.id === "nordjylland-2025-04-04");
    assert.equal(april?.body, "KKR Nordjylland");
    assert.equal(april?.place, "Virtuelt via Teams");
    assert.equal(april?.time, "10.00-13.00");
    assert.deepEqual(
      april?.documents.map((d) => [d.kind, d.source]),
      [["mødeplan", CALENDAR]],
    );
    assert.ok(april?.documents[0]?.section, "a calendar meeting has its own section of the page");
    // A calendar given as a table: the place comes from its "Sted" column.
    assert.equal(meetings.find((m) => m.id === "sjaelland-2025-06-18")?.place, "Holbæk Rådhus");
    const news = meetings.find((m) => m.id === "midtjylland-2023-01-26");
    assert.equal(news?.place, "Silkeborg Rådhus");
    assert.equal(news?.documents[0]?.kind, "nyhed");
  });

  test("a summary of one calendar meeting uses only the text about that meeting", async () => {
    const r = await summarizeRef(store, "KKR Nordjylland 4. april 2025");
    assert.equal(r.meeting.id, "nordjylland-2025-04-04");
    assert.match(r.answer, /Trafikplan for den kollektive bustrafik/);
    assert.match(r.answer, /Virtuelt via Teams/);
    for (const other of [
      /Sundhedsaftalen/,
      /Hjørring/,
      /Turismestrategi/,
      /Skagen/,
      /9\.00-12\.00/,
      /Budget/,
    ]) {
      assert.doesNotMatch(r.answer, other);
    }
    await assertCitationsQuoteChunks(store, r.answer, r.citations);
  });

  test("'seneste møde i KKR X' is the latest held by today, not a planned one", async () => {
    const { meeting } = await resolveMeeting(store, "seneste møde i KKR Nordjylland", {
      today: "2025-07-01",
    });
    assert.equal(meeting.id, "nordjylland-2025-06-13");
    const later = await resolveMeeting(store, "seneste møde i KKR Nordjylland", { today: "2027-01-01" });
    assert.equal(later.meeting.id, "nordjylland-2026-01-20");
    const previous = await resolveMeeting(store, "forrige møde i KKR Nordjylland", { today: "2025-07-01" });
    assert.equal(previous.meeting.id, "nordjylland-2025-04-04");
  });

  test("a nonsense reference is unknown, with what exists in the details", async () => {
    await assert.rejects(resolveMeeting(store, "blå bananer"), (e: unknown) => {
      assert.ok(isKkrError(e, "MEETING_NOT_FOUND"), String(e));
      const available = (e as KkrError).details?.available as { id: string }[];
      assert.equal(available.length, 13);
      return true;
    });
  });

  test("an ambiguous reference carries its candidates in the details", async () => {
    await assert.rejects(resolveMeeting(store, "KKR Nordjylland 2025"), (e: unknown) => {
      assert.ok(isKkrError(e, "MEETING_AMBIGUOUS"), String(e));
      const candidates = (e as KkrError).details?.candidates as { id: string; body: string }[];
      assert.deepEqual(
        candidates.map((c) => c.id),
        [
          "nordjylland-2025-09-19",
          "nordjylland-2025-06-13",
          "nordjylland-2025-04-04",
          "nordjylland-2025-02-07",
        ],
      );
      assert.ok(candidates.every((c) => c.body === "KKR Nordjylland"));
      return true;
    });
  });
});

describe("kkr docs", () => {
  function run(args: string[]): Promise<string> {
    const out: string[] = [];
    const ctx = (): CliContext => ({
      config: { db } as Config,
      logger: silentLogger,
      out: (t) => out.push(t),
    });
    const program = new Command("kkr").exitOverride().configureOutput({ writeErr: () => {} });
    registerDocs(program, ctx);
    return program.parseAsync(["node", "kkr", "docs", ...args]).then(() => out.join("\n"));
  }

  test("--json lists every document with the metadata read from it", async () => {
    const { documents } = JSON.parse(await run(["--json"])) as { documents: DocumentInfo[] };
    assert.equal(documents.length, 7);
    const calendar = documents.find((d) => d.source === CALENDAR);
    assert.deepEqual(
      { ...calendar, meetings: calendar?.meetings.length },
      {
        source: CALENDAR,
        title: "Møder i KKR Nordjylland 2025",
        kind: "mødeplan",
        region: "Nordjylland",
        publishedDate: "2024-12-12",
        meetingDate: null,
        place: null,
        url: null,
        pages: null,
        chunks: calendar?.chunks,
        meetings: 5,
      },
    );
    assert.ok((calendar?.chunks ?? 0) >= 5);
    const news = documents.find((d) => d.kind === "nyhed");
    assert.equal(news?.url, "https://netvaerk.example.dk/nyheder/2023/ny-formand-kkr-midtjylland");
    assert.equal(news?.publishedDate, "2023-01-27");
    assert.equal(news?.meetingDate, "2023-01-26");
  });

  test("--kind and --region filter; the text lists title, facts and meetings", async () => {
    const { documents } = JSON.parse(
      await run(["--json", "--kind", "modeplan", "--region", "nordjylland"]),
    ) as {
      documents: DocumentInfo[];
    };
    assert.deepEqual(
      documents.map((d) => d.source),
      [CALENDAR],
    );
    const syd = JSON.parse(await run(["--json", "--region", "syddanmark"])) as { documents: DocumentInfo[] };
    assert.deepEqual(syd.documents.map((d) => d.kind).sort(), ["dagsorden", "side", "udpegning"]);
    const text = await run(["--kind", "dagsorden"]);
    assert.match(
      text,
      /^dagsorden-kkr-syddanmark-2023-03-14\.txt\n {4}KKR Syddanmark – dagsorden 14\. marts 2023\n/,
    );
    assert.match(text, /dagsorden · Syddanmark · meeting 2023-03-14 · \d+ chunks/);
    assert.match(text, /place: Byrådssalen, Rådhuset, Torvet 2, 5700 Svendborg/);
    await assert.rejects(run(["--kind", "blog"]), /expected one of/);
  });
});
