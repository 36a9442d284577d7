import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseMeetingRef } from "../../src/meetings/resolve-ref.js";
import { detectSummaryRequest } from "../../src/meetings/summary-intent.js";

describe("detectSummaryRequest", () => {
  const positives: [string, { region?: string; date?: string; month?: number; back?: number }][] = [
    ["opsummer mødet i KKR Syddanmark i november 2020", { region: "Syddanmark", date: "2020-11" }],
    ["Opsummér mødet i KKR Syddanmark 11. november 2020", { region: "Syddanmark", date: "2020-11-11" }],
    ["resumé af seneste møde i KKR Sjælland", { region: "Sjælland", back: 0 }],
    ["Kan du give mig et resumé af det seneste møde i KKR Sjælland?", { region: "Sjælland", back: 0 }],
    [
      "Lav en opsummering af KKR Syddanmarks møde den 11. november 2020",
      { region: "Syddanmark", date: "2020-11-11" },
    ],
    [
      "Giv mig et overblik over mødet i KKR Sjælland i september 2020",
      { region: "Sjælland", date: "2020-09" },
    ],
    ["Hvad skete der på mødet i KKR Syddanmark i november?", { region: "Syddanmark", month: 11 }],
    ["Hvad blev der besluttet på det seneste møde i KKR Syddanmark?", { region: "Syddanmark", back: 0 }],
    ["sammenfat dagsordenen for KKR Syddanmark 11-11-2020", { region: "Syddanmark", date: "2020-11-11" }],
    ["summarise the last Sjælland meeting", { region: "Sjælland", back: 0 }],
    [
      "Summarize the KKR Syddanmark meeting on 11 November 2020",
      { region: "Syddanmark", date: "2020-11-11" },
    ],
    [
      "Can you give me a summary of the September 2020 meeting in Sjælland?",
      { region: "Sjælland", date: "2020-09" },
    ],
    ["what happened at the Syddanmark meeting in November 2020?", { region: "Syddanmark", date: "2020-11" }],
    ["What was decided at the latest KKR Sjælland meeting?", { region: "Sjælland", back: 0 }],
    ["recap of the most recent Syddanmark meeting please", { region: "Syddanmark", back: 0 }],
    [
      "Give me an overview of the KKR Sjælland newsletter from September 2020",
      { region: "Sjælland", date: "2020-09" },
    ],
    ["summary: KKR Syddanmark 11. november 2020", { region: "Syddanmark", date: "2020-11-11" }],
  ];
  for (const [question, want] of positives) {
    test(`matches: ${question}`, () => {
      const r = detectSummaryRequest(question);
      assert.ok(r, "should be a summary request");
      const ref = parseMeetingRef(r.ref);
      if (want.region) assert.deepEqual(ref.regions, [want.region], `region from ref "${r.ref}"`);
      if (want.date) assert.equal(ref.date?.iso, want.date, `date from ref "${r.ref}"`);
      if (want.month) assert.equal(ref.month, want.month);
      if (want.back !== undefined) assert.equal(ref.back, want.back);
    });
  }

  const negatives = [
    "Hvem er formand for KKR Sjælland?",
    "Where was the KKR Syddanmark meeting on 11 November 2020 held?",
    "Hvornår er næste møde i KKR Syddanmark?",
    "Hvad blev besluttet om DK2020 på mødet i KKR Syddanmark?",
    "What was decided about DK2020 at the September meeting?",
    "Who represents Syddanmark in DEB?",
    "Hvor mange kommuner har søgt om deltagelse i DK2020?",
    "Opsummer rammeaftalen for erhvervshusene",
    "Is there a summary of the rammeaftale?",
    "Where can I find the minutes of the meeting?",
    "What happened to the DK2020 partnership in 2020?",
    "Hvem deltog i mødet med Astrid Krag?",
    "Hvad står der i dagsordenen om Astrid Krag?",
    "",
    "   ",
  ];
  for (const question of negatives) {
    test(`does not match: ${JSON.stringify(question)}`, () => {
      assert.equal(detectSummaryRequest(question), null);
    });
  }
});
