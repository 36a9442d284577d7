import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { isKkrError } from "../../src/errors.js";
import { type Meeting, meetingsFromDocuments } from "../../src/meetings/meetings.js";
import { matchError, matchMeeting, parseMeetingRef } from "../../src/meetings/resolve-ref.js";
import type { StoredDocument } from "../../src/store/store.js";
import type { DocKind, Region } from "../../src/types.js";

function doc(
  source: string,
  kind: DocKind,
  region: Region | null,
  meetingDate: string | null,
  extra: Partial<StoredDocument> = {},
): Omit<StoredDocument, "text"> {
  return {
    id: source,
    source,
    title: source,
    kind,
    region,
    meetingDate,
    publishedDate: null,
    place: null,
    url: null,
    contentHash: "",
    fingerprint: "",
    pageCount: null,
    pageOffsets: [],
    year: meetingDate ? Number(meetingDate.slice(0, 4)) : null,
    meetings: [],
    size: 0,
    mtimeMs: 0,
    ingestedAt: "",
    ...extra,
  };
}

const DOCS = [
  doc("syd-dagsorden-2020-11-11.pdf", "dagsorden", "Syddanmark", "2020-11-11", {
    place: "Virtuelt via Teams",
  }),
  doc("syd-referat-2020-11-11.pdf", "referat", "Syddanmark", "2020-11-11", { place: "Odense" }),
  doc("syd-nyhedsbrev-2020-09.txt", "nyhedsbrev", "Syddanmark", "2020-09-08", {
    publishedDate: "2020-09-14",
  }),
  doc("sj-nyhedsbrev-2020-09.txt", "nyhedsbrev", "Sjælland", "2020-09-07", { publishedDate: "2020-09-14" }),
  doc("sj-dagsorden-2021-02-01.pdf", "dagsorden", "Sjælland", "2021-02-01"),
  doc("folder.txt", "folder", "Sjælland", null, { publishedDate: "2022-03" }),
  doc("beretning.txt", "beretning", "all", null, { publishedDate: "2016" }),
  doc("no-region.pdf", "dagsorden", null, "2020-05-05"),
];
const MEETINGS: Meeting[] = meetingsFromDocuments(DOCS);

const resolve = (ref: string) => matchMeeting(MEETINGS, parseMeetingRef(ref));
const found = (ref: string) => {
  const m = resolve(ref);
  assert.equal(m.status, "found", `${ref} → ${m.status}`);
  return m.status === "found" ? m.meeting.id : "";
};

describe("meetingsFromDocuments", () => {
  test("groups documents by region and meeting date, newest first; the agenda's place wins", () => {
    assert.deepEqual(
      MEETINGS.map((m) => m.id),
      ["sjaelland-2021-02-01", "syddanmark-2020-11-11", "syddanmark-2020-09-08", "sjaelland-2020-09-07"],
    );
    const nov = MEETINGS.find((m) => m.id === "syddanmark-2020-11-11");
    assert.deepEqual(
      nov?.documents.map((d) => d.kind),
      ["dagsorden", "referat"],
    );
    assert.equal(nov?.place, "Virtuelt via Teams");
  });
});

describe("meetings of several bodies and several per page", () => {
  const calendar = doc("sd-sundhed-kalender.txt", "mødeplan", "Syddanmark", null, {
    meetings: [
      {
        date: "2022-03-08",
        body: "Sundhedskoordinationsudvalget",
        kkr: false,
        region: "Syddanmark",
        time: "18.00-20.00",
        place: null,
        start: 100,
        end: 140,
      },
      {
        date: "2022-12-09",
        body: "Sundhedssamarbejdsudvalget",
        kkr: false,
        region: "Syddanmark",
        time: null,
        place: "Odense",
        start: 141,
        end: 180,
      },
    ],
  });
  const all = meetingsFromDocuments([...DOCS, calendar]);
  const match = (ref: string, today?: string) => matchMeeting(all, parseMeetingRef(ref), today);

  test("another body's meetings get their own id and name, and each keeps its section", () => {
    const skud = all.find((m) => m.id === "syddanmark-sundhedskoordinationsudvalget-2022-03-08");
    assert.equal(skud?.kkr, false);
    assert.equal(skud?.time, "18.00-20.00");
    assert.deepEqual(skud?.documents[0]?.section, { start: 100, end: 140 });
    // Legacy documents (no stored meetings) are whole-document KKR meetings.
    assert.equal(all.find((m) => m.id === "syddanmark-2020-11-11")?.documents[0]?.section, null);
  });

  test("a reference to a body finds its meetings; 'KKR' or no body means KKR meetings", () => {
    const r = match("Sundhedskoordinationsudvalget marts 2022");
    assert.equal(
      r.status === "found" ? r.meeting.id : r.status,
      "syddanmark-sundhedskoordinationsudvalget-2022-03-08",
    );
    const latest = match("seneste møde i KKR Syddanmark");
    assert.equal(latest.status === "found" ? latest.meeting.id : latest.status, "syddanmark-2020-11-11");
    const plain = match("seneste møde i Syddanmark");
    assert.equal(plain.status === "found" ? plain.meeting.id : plain.status, "syddanmark-2020-11-11");
    const other = match("seneste møde i sundhedssamarbejdsudvalget");
    assert.equal(
      other.status === "found" ? other.meeting.id : other.status,
      "syddanmark-sundhedssamarbejdsudvalget-2022-12-09",
    );
  });

  test("a reference that names nothing is unknown, not ambiguous", () => {
    for (const ref of ["blå bananer", "hvad med det", "xyzzy"]) {
      const m = match(ref);
      assert.equal(m.status, "not_found", ref);
      if (m.status === "not_found") assert.equal(m.available.length, all.length);
      if (m.status !== "not_found") continue;
      const err = matchError(m, parseMeetingRef(ref));
      assert.ok(isKkrError(err, "MEETING_NOT_FOUND"));
      assert.equal((err.details?.available as unknown[] | undefined)?.length, all.length);
    }
  });
});

describe("parseMeetingRef + matchMeeting", () => {
  test("region and exact date, in Danish, English and numeric forms", () => {
    assert.equal(found("KKR Syddanmark 11. november 2020"), "syddanmark-2020-11-11");
    assert.equal(found("the KKR Syddanmark meeting on 11 November 2020"), "syddanmark-2020-11-11");
    assert.equal(found("Syddanmark 11-11-2020"), "syddanmark-2020-11-11");
    assert.equal(found("syddanmark-2020-11-11"), "syddanmark-2020-11-11");
  });

  test("region and month, or month without a year", () => {
    assert.equal(found("Syddanmark november 2020"), "syddanmark-2020-11-11");
    assert.equal(found("the September 2020 meeting in Sjælland"), "sjaelland-2020-09-07");
    assert.equal(found("mødet i KKR Sjælland i september"), "sjaelland-2020-09-07");
    assert.equal(found("sjaelland sept 2020"), "sjaelland-2020-09-07");
  });

  test("latest and previous, per region or overall", () => {
    assert.equal(found("seneste møde i KKR Sjælland"), "sjaelland-2021-02-01");
    assert.equal(found("last Syddanmark meeting"), "syddanmark-2020-11-11");
    assert.equal(found("forrige møde i KKR Syddanmark"), "syddanmark-2020-09-08");
    assert.equal(found("the previous Sjælland meeting"), "sjaelland-2020-09-07");
    assert.equal(found("det seneste møde"), "sjaelland-2021-02-01");
    assert.equal(found("sidste møde i KKR Syddanmark i 2020"), "syddanmark-2020-11-11");
  });

  test("a document's publication date finds the meeting it reports on", () => {
    assert.equal(found("nyhedsbrevet fra KKR Sjælland 14. september 2020"), "sjaelland-2020-09-07");
  });

  test("ambiguous references list the candidates", () => {
    const m = resolve("Syddanmark 2020");
    assert.equal(m.status, "ambiguous");
    if (m.status !== "ambiguous") return;
    assert.deepEqual(
      m.candidates.map((c) => c.id),
      ["syddanmark-2020-11-11", "syddanmark-2020-09-08"],
    );
    const err = matchError(m, parseMeetingRef("Syddanmark 2020"));
    assert.ok(isKkrError(err, "MEETING_AMBIGUOUS"));
    assert.match(err.message, /2 møder/);
    assert.match(err.message, /KKR Syddanmark 11\. november 2020 \(dagsorden, referat\)/);
    assert.match(err.message, /KKR Syddanmark 8\. september 2020 \(nyhedsbrev\)/);

    const en = resolve("the September 2020 meeting");
    assert.equal(en.status, "ambiguous");
    if (en.status !== "ambiguous") return;
    const enErr = matchError(en, parseMeetingRef("the September 2020 meeting"));
    assert.match(enErr.message, /matches 2 meetings/);
    assert.match(enErr.message, /KKR Sjælland 7 September 2020 \(newsletter\)/);
  });

  test("unknown references say which meetings exist", () => {
    const ref = parseMeetingRef("KKR Nordjylland marts 2019");
    const m = matchMeeting(MEETINGS, ref);
    assert.equal(m.status, "not_found");
    if (m.status !== "not_found") return;
    assert.equal(m.available.length, 4);
    const err = matchError(m, ref);
    assert.ok(isKkrError(err, "MEETING_NOT_FOUND"));
    assert.match(err.message, /intet møde/);
    for (const line of [
      "KKR Sjælland 1. februar 2021",
      "KKR Syddanmark 11. november 2020",
      "KKR Sjælland 7. september 2020",
    ]) {
      assert.ok(err.message.includes(line), line);
    }
    // Known region, unknown date: lists that region's meetings only.
    const syd = matchMeeting(MEETINGS, parseMeetingRef("KKR Syddanmark 5. februar 2021"));
    assert.equal(syd.status, "not_found");
    if (syd.status === "not_found")
      assert.deepEqual(
        syd.available.map((x) => x.region),
        ["Syddanmark", "Syddanmark"],
      );
    // Nothing indexed at all.
    const none = matchMeeting([], parseMeetingRef("last meeting"));
    assert.equal(none.status, "not_found");
    if (none.status === "not_found")
      assert.match(matchError(none, parseMeetingRef("last meeting")).message, /kkr ingest/);
  });

  test("reference language follows the text", () => {
    assert.equal(parseMeetingRef("seneste møde i KKR Sjælland").language, "da");
    assert.equal(parseMeetingRef("KKR Syddanmark 11. november 2020").language, "da");
    assert.equal(parseMeetingRef("the September 2020 meeting in Sjælland").language, "en");
    assert.equal(parseMeetingRef("last Sjælland meeting").language, "en");
  });
});
