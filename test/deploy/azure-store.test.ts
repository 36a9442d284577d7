import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { loadConfig } from "../../src/config.js";
import { isKkrError } from "../../src/errors.js";
import { KkrStore } from "../../src/store/store.js";
import { tempDir } from "../helpers/index-fixture.js";
import { type ReplicaProcess, runKkr, startReplica } from "../helpers/run-kkr.js";
import { type Azurite, startAzurite } from "../helpers/storage-emulators.js";

const kkr = (args: string[], env: Record<string, string>) => runKkr(args, env);

/** Invented documents (people and bodies made up for the tests). */
function writeDocs(dir: string) {
  writeFileSync(
    join(dir, "referat-kkr-nordjylland-2025-03-04.md"),
    "# Referat af møde i KKR Nordjylland 4. marts 2025\n\n## 1. Valg af formand\n\n" +
      "KKR Nordjylland valgte borgmester Ingeborg Tvede som formand for perioden.\n\n" +
      "## 2. Sundhedsaftale\n\nKKR drøftede den nye sundhedsaftale og godkendte tidsplanen for arbejdet.\n",
  );
  writeFileSync(
    join(dir, "nyhedsbrev-kkr-nordjylland-2025-04.md"),
    "# Nyhedsbrev fra KKR Nordjylland april 2025\n\n## Erhvervsfremme\n\n" +
      "Kommunerne i Nordjylland afsætter 12 mio. kr. til fælles erhvervsfremme i 2025.\n",
  );
}

// The steps build on each other: one at a time.
describe("index in Azure Blob Storage (Azurite)", { timeout: 120_000, concurrency: 1 }, () => {
  let az: Azurite | null = null;
  let skip: string | null = null;
  const docs = tempDir("kkr-az-docs-");
  let env: Record<string, string> = {};
  const DB = "az://kkr-index/prod/lancedb";

  before(async () => {
    const started = await startAzurite();
    if ("skip" in started) {
      skip = started.skip;
      return;
    }
    az = started;
    env = { ...az.env, KKR_DB: DB, KKR_DOCS_DIR: docs.path };
    writeDocs(docs.path);
  });
  after(async () => {
    await az?.stop();
    docs.cleanup();
  });

  test("ingest → ask → incremental change → feedback, all against az://", async (t) => {
    if (skip) return t.skip(skip);
    // the container does not exist yet: the writer creates it
    let r = await kkr(["ingest", docs.path, "--json"], env);
    assert.equal(r.code, 0, r.stderr);
    const first = JSON.parse(r.stdout);
    assert.equal(first.db, DB);
    assert.equal(first.added.length, 2);
    assert.doesNotMatch(r.stderr, /Eby8vdM02xNOcqFlqUw/, "the account key is never logged");

    r = await kkr(["ask", "Hvor mange penge afsætter kommunerne til erhvervsfremme?", "--json"], env);
    assert.equal(r.code, 0, r.stderr);
    const answer = JSON.parse(r.stdout);
    assert.equal(answer.abstained, false);
    assert.match(answer.answer, /12 mio/);
    assert.match(answer.citations[0].source, /nyhedsbrev-kkr-nordjylland-2025-04/);

    // a changed document replaces its old copy; a new one is added; unchanged cost nothing
    writeFileSync(
      join(docs.path, "nyhedsbrev-kkr-nordjylland-2025-04.md"),
      "# Nyhedsbrev fra KKR Nordjylland april 2025\n\n## Erhvervsfremme\n\n" +
        "Kommunerne i Nordjylland afsætter 15 mio. kr. til fælles erhvervsfremme i 2025.\n",
    );
    writeFileSync(
      join(docs.path, "dagsorden-kkr-nordjylland-2025-06-10.md"),
      "# Dagsorden til møde i KKR Nordjylland 10. juni 2025\n\n## 1. Praktikpladser\n\n" +
        "KKR Nordjylland drøfter en fælles målsætning om 400 nye praktikpladser på ældreområdet.\n",
    );
    r = await kkr(["ingest", docs.path, "--json"], env);
    assert.equal(r.code, 0, r.stderr);
    const second = JSON.parse(r.stdout);
    assert.equal(second.added.length, 1);
    assert.equal(second.updated.length, 1);
    assert.equal(second.unchanged, 1);
    assert.equal(second.documents, 3);

    r = await kkr(["ask", "Hvor mange penge afsætter kommunerne til erhvervsfremme?", "--json"], env);
    assert.equal(r.code, 0, r.stderr);
    const changed = JSON.parse(r.stdout);
    assert.match(changed.answer, /15 mio/);
    assert.doesNotMatch(changed.answer, /12 mio/);
    r = await kkr(["ask", "Hvor mange nye praktikpladser drøfter KKR Nordjylland?", "--json"], env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(JSON.parse(r.stdout).answer, /400/);

    // feedback from two replicas at once: every vote lands (LanceDB's commit conflict
    // resolution needs the conditional writes Azurite enforces)
    const readerEnv = { ...env, KKR_ROLE: "reader" };
    const writers = await Promise.all([
      runKkr(["A", "5"], readerEnv, { entry: "test/deploy/fixtures/feedback-writer.ts" }),
      runKkr(["B", "5"], readerEnv, { entry: "test/deploy/fixtures/feedback-writer.ts" }),
    ]);
    for (const w of writers) assert.equal(w.code, 0, w.stderr);
    r = await kkr(["feedback", "--json"], env);
    assert.equal(r.code, 0, r.stderr);
    const votes = JSON.parse(r.stdout) as { total: number; up: number; feedback: { question: string }[] };
    assert.equal(votes.total, 10);
    assert.equal(votes.up, 6);
    assert.equal(new Set(votes.feedback.map((v) => v.question)).size, 10);
  });

  test("one writer: a second writer is refused while the lease is held, and may write after", async (t) => {
    if (skip) return t.skip(skip);
    const config = loadConfig({ ...env, KKR_ROLE: "writer", KKR_LOG_LEVEL: "silent" });
    const store = await KkrStore.open(DB, { create: true, store: config.store });
    const lock = await store.acquireWriterLock();
    try {
      // the same process, a second time
      await assert.rejects(store.acquireWriterLock(), (e) => isKkrError(e, "INGEST_LOCKED"));
      // another process: the ingest job
      const r = await kkr(["ingest", docs.path], { ...env, KKR_ROLE: "writer" });
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /Another writer holds the index \(pid \d+ on /);
    } finally {
      await lock.release();
      store.close();
    }
    // released: the next writer gets the lease at once
    const next = await KkrStore.open(DB, { store: config.store });
    try {
      await (await next.acquireWriterLock()).release();
    } finally {
      next.close();
    }
  });

  test("a reader never ingests", async (t) => {
    if (skip) return t.skip(skip);
    const r = await kkr(["ingest", docs.path], { ...env, KKR_ROLE: "reader" });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /KKR_ROLE=reader/);
    // a replica pointed at a container nobody created: a clear error, nothing created
    const missing = await kkr(["stats"], { ...env, KKR_ROLE: "reader", KKR_DB: "az://nobody-made-this/x" });
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /container nobody-made-this does not exist/);
  });

  test("a reader picks up a new index version within its interval", async (t) => {
    if (skip) return t.skip(skip);
    const reader = await KkrStore.open(DB, {
      store: loadConfig({ ...env, KKR_ROLE: "reader", KKR_READ_CONSISTENCY_S: "1" }).store,
    });
    try {
      const before = await reader.countDocuments();
      writeFileSync(
        join(docs.path, "nyhedsbrev-kkr-nordjylland-2025-09.md"),
        "# Nyhedsbrev fra KKR Nordjylland september 2025\n\n## Klima\n\nKKR Nordjylland følger op på klimaplanerne.\n",
      );
      const r = await kkr(["ingest", docs.path, "--json"], env);
      assert.equal(r.code, 0, r.stderr);
      const deadline = Date.now() + 5_000;
      let seen = before;
      while (Date.now() < deadline && seen === before) {
        await new Promise((res) => setTimeout(res, 250));
        seen = await reader.countDocuments();
      }
      assert.equal(seen, before + 1);
    } finally {
      reader.close();
    }
  });

  test("two reader replicas and one writer work together", async (t) => {
    if (skip) return t.skip(skip);
    const readerEnv = { ...env, KKR_ROLE: "reader", KKR_READ_CONSISTENCY_S: "1", HEALTH_PORT: "0" };
    const replicas: ReplicaProcess[] = [startReplica(readerEnv), startReplica(readerEnv)];
    try {
      const ports = await Promise.all(replicas.map((r) => r.healthPort()));
      const documents = async (port: number) => {
        const res = await fetch(`http://127.0.0.1:${port}/readyz`);
        const body = (await res.json()) as { checks: { documents: number } };
        assert.equal(res.status, 200, JSON.stringify(body));
        return body.checks.documents;
      };
      const before = await Promise.all(ports.map(documents));
      assert.equal(before[0], before[1]);
      // the writer job adds a document while both replicas serve
      writeFileSync(
        join(docs.path, "referat-kkr-nordjylland-2025-11-20.md"),
        "# Referat af møde i KKR Nordjylland 20. november 2025\n\n## 3. Ungdomsuddannelser\n\n" +
          "KKR Nordjylland besluttede at oprette 35 nye pladser på erhvervsskolernes grundforløb.\n",
      );
      const r = await kkr(["ingest", docs.path, "--json"], { ...env, KKR_ROLE: "writer" });
      assert.equal(r.code, 0, r.stderr);
      for (const port of ports) {
        const deadline = Date.now() + 10_000;
        let seen = await documents(port);
        while (seen === before[0] && Date.now() < deadline) {
          await new Promise((res) => setTimeout(res, 200));
          seen = await documents(port);
        }
        assert.equal(seen, (before[0] ?? 0) + 1);
      }
      // and answers from it
      const answer = await replicas[1]!.ask(
        "Hvor mange nye pladser på grundforløbet besluttede KKR Nordjylland?",
      );
      assert.match(answer, /35 nye pladser/);
    } finally {
      await Promise.all(replicas.map((r) => r.stop()));
    }
  });
});
