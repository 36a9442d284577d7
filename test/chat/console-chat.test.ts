import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { describe, test } from "node:test";
import { routeInput } from "../../src/chat/route.js";
import { runConsoleChat } from "../../src/cli/console-chat.js";
import { useCorpusKkr } from "../helpers/index-fixture.js";

describe("shared routing", () => {
  test("find, summary, help and config words; everything else is a question", () => {
    const cases: [string, string, string][] = [
      ["find folderen til nye KKR-medlemmer", "find", "folderen til nye KKR-medlemmer"],
      ["Find dagsorden KKR Syddanmark", "find", "dagsorden KKR Syddanmark"],
      ["søg efter nyhedsbrev september", "find", "nyhedsbrev september"],
      ["search DK2020", "find", "DK2020"],
      ["opsummer seneste møde i KKR Sjælland", "summary", "seneste møde i KKR Sjælland"],
      ["summary of the last Syddanmark meeting?", "summary", "the last Syddanmark meeting"],
      ["opsummering af mødet 11. november 2020", "summary", "mødet 11. november 2020"],
      ["hjælp", "help", ""],
      ["help?", "help", ""],
      ["/help", "help", ""],
      ["config region Syddanmark", "config", "region Syddanmark"],
      ["Hvem er formand for KKR Sjælland?", "ask", "Hvem er formand for KKR Sjælland?"],
      ["find ud af hvem der er formand", "ask", "find ud af hvem der er formand"],
      ["hjælp mig med DK2020", "ask", "hjælp mig med DK2020"],
      ["opsummer", "summary", ""],
    ];
    for (const [line, kind, text] of cases) {
      const r = routeInput(line);
      assert.equal(r.kind, kind, line);
      assert.equal(r.text, text, line);
    }
    assert.equal(routeInput("help").language, "en");
    assert.equal(routeInput("hjælp").language, "da");
  });
});

describe("console chat over the real core", () => {
  const core = useCorpusKkr();

  async function chat(lines: string[]): Promise<string> {
    const input = new PassThrough();
    const output = new PassThrough();
    let text = "";
    output.on("data", (d: Buffer) => {
      text += d.toString("utf8");
    });
    const done = runConsoleChat(core.kkr, { input, output, interactive: false });
    input.end(`${lines.join("\n")}\n`);
    await done;
    return text;
  }

  test("find … lists documents instead of answering a question", async () => {
    const out = await chat(["find folderen til nye KKR-medlemmer"]);
    assert.match(out.split("\n")[0] ?? "", /^1\. .*kkr-sjaelland-folder-2022-03\.txt/);
    assert.ok(!/Kilder:/.test(out), out);
  });

  test("opsummer … gives the one-screen summary; hjælp and /help show help", async () => {
    const out = await chat(["opsummer KKR Syddanmark 11. november 2020", "hjælp", "/help", "help"]);
    assert.match(out, /^KKR Syddanmark – møde 11\. november 2020/);
    assert.match(out, /\n2\.3 DK2020 og regional organisering – Orientering: /);
    assert.equal(out.match(/opsummer MØDE/g)?.length, 2, "hjælp and /help in Danish");
    assert.equal(out.match(/summary MEETING/g)?.length, 2, "/help and help in English");
  });

  test("an unknown meeting is answered with the meetings that exist", async () => {
    const out = await chat(["opsummer KKR Nordjylland marts 2019"]);
    assert.match(out, /Indekset har disse møder/);
  });

  test("follow-ups use the conversation; /new forgets it", async () => {
    const out = await chat(["Hvem er formand for KKR Sjælland?", "og næstformanden?", "/new", "opsummer"]);
    assert.match(out, /Mikael Smed/);
    assert.match(out, /Pernille Beckmann/);
    assert.match(out, /\(ny samtale/);
    assert.match(out, /Skriv hvilket møde/);
  });

  test("interactive: an empty line does nothing; only end of input (Ctrl-D) quits", async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let text = "";
    output.on("data", (d: Buffer) => {
      text += d.toString("utf8");
    });
    let finished = false;
    const done = runConsoleChat(core.kkr, { input, output, interactive: true }).then(() => {
      finished = true;
    });
    input.write("\n\n");
    input.write("Hvem er formand for KKR Sjælland?\n");
    const deadline = Date.now() + 10_000;
    while (!/Mikael Smed/.test(text)) {
      assert.ok(Date.now() < deadline, "answered after the empty lines");
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(finished, false, "still running");
    const prompts = text.match(/› /g)?.length ?? 0;
    assert.ok(prompts >= 4, `a prompt after each line, got ${prompts}`);
    input.end();
    await done;
    assert.equal(finished, true);
  });
});
