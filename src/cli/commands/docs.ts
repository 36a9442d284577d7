import { type Command, InvalidArgumentError } from "commander";
import { type DocumentInfo, listDocumentInfo } from "../../documents/catalog.js";
import { KkrStore } from "../../store/store.js";
import { fold } from "../../text/fold.js";
import { DOC_KINDS, type DocKind, type Region } from "../../types.js";
import { type CliContext, printJson } from "../context.js";
import { parseRegionOption } from "../options.js";

/** A kind as typed: "nyhed", "mødeplan" or "modeplan"/"moedeplan"; "other" is the old name of "side". */
export function parseKindOption(value: string): DocKind {
  const v = fold(value.trim()).replace(/oe/g, "o");
  if (v === "other") return "side";
  const kind = DOC_KINDS.find((k) => fold(k).replace(/oe/g, "o") === v);
  if (!kind) throw new InvalidArgumentError(`expected one of ${DOC_KINDS.join(", ")}`);
  return kind;
}

const MAX_MEETINGS_SHOWN = 6;

/** One block per document: what it is, then its title, then place, url and meetings. */
export function renderDocuments(docs: DocumentInfo[]): string {
  if (docs.length === 0) return "No documents. Run `kkr ingest DIR` to add some.";
  return docs
    .map((d) => {
      const facts = [
        d.kind,
        d.region ?? "no region",
        d.publishedDate ? `published ${d.publishedDate}` : null,
        d.meetingDate ? `meeting ${d.meetingDate}` : null,
        d.pages === null ? null : `${d.pages} pages`,
        `${d.chunks} chunks`,
      ].filter((f) => f !== null);
      const lines = [d.source, `    ${d.title}`, `    ${facts.join(" · ")}`];
      if (d.place) lines.push(`    place: ${d.place}`);
      if (d.url) lines.push(`    url: ${d.url}`);
      if (d.meetings.length > 0) {
        const shown = d.meetings
          .slice(0, MAX_MEETINGS_SHOWN)
          .map(
            (m) => `${m.date} ${m.body}${m.time ? ` kl. ${m.time}` : ""}${m.place ? ` (${m.place})` : ""}`,
          );
        const more = d.meetings.length - shown.length;
        lines.push(`    meetings: ${shown.join("; ")}${more > 0 ? `; … and ${more} more` : ""}`);
      }
      return lines.join("\n");
    })
    .join("\n\n");
}

export function registerDocs(program: Command, ctx: (opts: { db?: string }) => CliContext) {
  program
    .command("docs")
    .description(
      "list every indexed document with the metadata read from it (title, kind, region, dates, place, url, pages, chunks, meetings)",
    )
    .option("--region <region>", "only this KKR region", parseRegionOption)
    .option("--kind <kind>", `only this kind (${DOC_KINDS.join(", ")})`, parseKindOption)
    .option("--db <uri>", "LanceDB path or URI (overrides KKR_DB)")
    .option("--json", "print JSON on stdout")
    .action(async (opts: { db?: string; json?: boolean; region?: Region; kind?: DocKind }) => {
      const c = ctx({ db: opts.db });
      const store = await KkrStore.open(c.config.db);
      try {
        const docs = await listDocumentInfo(store, {
          ...(opts.region ? { region: opts.region } : {}),
          ...(opts.kind ? { kind: opts.kind } : {}),
        });
        if (opts.json) printJson(c, { documents: docs });
        else c.out(renderDocuments(docs));
      } finally {
        store.close();
      }
    });
}
