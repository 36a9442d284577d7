import type { Language } from "../types.js";

/** Every UI string the Slack bot shows, in Danish and English (the question's language). */
export interface UiStrings {
  searching: string;
  apology: string;
  sourcesHeading: string;
  showSources: string;
  postToChannel: string;
  helpful: string;
  notHelpful: string;
  feedbackThanks: string;
  rateLimited: (seconds: number) => string;
  tooLong: (max: number) => string;
  emptyQuestion: string;
  closestDocuments: string;
  noSources: string;
  answerExpired: string;
  postedBy: (user: string) => string;
  notInChannel: string;
  findHeading: (query: string) => string;
  findNone: string;
  share: string;
  openDocument: string;
  noFile: string;
  /** The file on disk is no longer the indexed document (changed, or a link out of the folder). */
  fileNotShared: string;
  shared: (title: string) => string;
  continued: string;
  help: string;
  findUsage: string;
  summaryUsage: string;
  showDetails: string;
  /** Next to the sources: the channel's default region was applied. */
  channelDefaultUsed: (region: string) => string;
  configUsage: string;
  configCurrent: (region: string | null) => string;
  configSet: (region: string) => string;
  configCleared: string;
  configRefused: string;
  configUnknownRegion: (value: string) => string;
  configFailed: string;
  greeting: string;
  promptsTitle: string;
  homeTitle: string;
  homeHolds: (documents: number) => string;
  homeNoDocuments: string;
  homeByRegion: string;
  homeLatestMeetings: string;
  homeSummaryButton: string;
  homeLastSync: (when: string) => string;
  homeHowToAsk: string;
  homeRecent: string;
  homeNoRecent: string;
  allRegions: string;
  noRegion: string;
}

const da: UiStrings = {
  searching: "Søger i dokumenterne…",
  apology: "Beklager, jeg kunne ikke svare lige nu. Prøv igen om lidt.",
  sourcesHeading: "Kilder",
  showSources: "Vis kilder",
  postToChannel: "Del i kanalen",
  helpful: "👍 Brugbart",
  notHelpful: "👎 Ikke brugbart",
  feedbackThanks: "Tak for din feedback!",
  rateLimited: (s) => `Du har stillet mange spørgsmål på kort tid. Prøv igen om ${s} sekunder.`,
  tooLong: (max) => `Spørgsmålet er for langt (højst ${max} tegn). Prøv at gøre det kortere.`,
  emptyQuestion: "Skriv et spørgsmål efter `/kkr`, eller nævn mig med et spørgsmål. `/kkr help` viser hjælp.",
  closestDocuments: "Nærmeste dokumenter",
  noSources: "Der er ingen citerede passager til dette svar.",
  answerExpired: "Svaret er ikke længere tilgængeligt. Stil spørgsmålet igen.",
  postedBy: (user) => `Spurgt af ${user}`,
  notInChannel: "Jeg er ikke medlem af kanalen. Invitér mig med `/invite @kkr-bot` og prøv igen.",
  findHeading: (q) => `Dokumenter der matcher “${q}”`,
  findNone: "Jeg fandt ingen dokumenter, der matcher.",
  share: "Del filen",
  openDocument: "Åbn",
  noFile: "Originalfilen er ikke tilgængelig.",
  fileNotShared:
    "Filen blev ikke delt: den er ændret eller flyttet, siden den blev indekseret. Den deles igen, når indekset er opdateret.",
  shared: (title) => `Delte “${title}”.`,
  continued: "(fortsat)",
  help: [
    "*kkr-bot* svarer på spørgsmål om KKR-dokumenter (dagsordener, referater, nyhedsbreve) med kildehenvisninger.",
    "• `/kkr SPØRGSMÅL` – svar kun til dig, med en knap til at dele det i kanalen",
    "• `/kkr find SØGNING` – find dokumenter og del originalfilen",
    "• `/kkr opsummer MØDE` – et møde på én skærm, fx `/kkr opsummer KKR Syddanmark 11. november 2020`",
    "• `/kkr config region REGION` – kanalens standardregion (`/kkr config region clear` fjerner den)",
    "• `/kkr help` – denne hjælp",
    "Du kan også nævne mig i en kanal (svaret kommer i tråden), skrive til mig direkte eller åbne mig i assistentpanelet. `find …`, `opsummer …` og `hjælp` virker overalt. Opfølgende spørgsmål i en tråd, jeg har svaret i, bruger de tidligere spørgsmål som kontekst.",
  ].join("\n"),
  findUsage: "Skriv hvad du leder efter, fx `find dagsorden KKR Syddanmark november 2020`.",
  summaryUsage:
    "Skriv hvilket møde, fx `opsummer KKR Syddanmark 11. november 2020` eller `opsummer seneste møde i KKR Sjælland`.",
  showDetails: "Vis detaljer",
  channelDefaultUsed: (region) =>
    `Kanalens standard: KKR ${region} (nævn en anden region for at spørge om den)`,
  configUsage:
    "Brug `/kkr config region REGION` (Hovedstaden, Sjælland, Syddanmark, Midtjylland, Nordjylland) eller `/kkr config region clear`.",
  configCurrent: (region) =>
    region
      ? `Kanalens standardregion er KKR ${region}. Spørgsmål her læses som om de nævnte den, med mindre de nævner en anden region.`
      : "Kanalen har ingen standardregion.",
  configSet: (region) =>
    `Kanalens standardregion er nu KKR ${region}. Spørgsmål her læses som om de nævnte den, med mindre de nævner en anden region.`,
  configCleared: "Kanalens standardregion er fjernet.",
  configRefused:
    "Kun workspace-administratorer og den, der oprettede kanalen, kan ændre kanalens standardregion.",
  configUnknownRegion: (value) =>
    `“${value}” er ikke en KKR-region. Vælg Hovedstaden, Sjælland, Syddanmark, Midtjylland eller Nordjylland.`,
  configFailed: "Jeg kunne ikke se, hvem der må ændre kanalen. Prøv igen om lidt.",
  greeting:
    "Hej! Jeg svarer på spørgsmål om KKR-dokumenterne (dagsordener, referater, nyhedsbreve) og citerer kilderne. Spørg, skriv `find …` for at finde et dokument, eller `opsummer …` for et møde.",
  promptsTitle: "Prøv for eksempel",
  homeTitle: "kkr-bot",
  homeHolds: (n) => `Indekset rummer ${n} dokument${n === 1 ? "" : "er"}.`,
  homeNoDocuments: "Indekset er tomt. Kør `kkr ingest MAPPE` med dokumenterne.",
  homeByRegion: "Dokumenter pr. region",
  homeLatestMeetings: "Seneste møde pr. region",
  homeSummaryButton: "Opsummering",
  homeLastSync: (when) => `Sidst synkroniseret ${when}`,
  homeHowToAsk:
    "*Sådan spørger du*\nSkriv til mig her eller i assistentpanelet, nævn @kkr-bot i en kanal, eller brug `/kkr SPØRGSMÅL`. `find …` finder dokumenter, `opsummer …` opsummerer et møde, `hjælp` viser hjælp.",
  homeRecent: "Dine seneste spørgsmål",
  homeNoRecent: "Du har ikke stillet spørgsmål endnu.",
  allRegions: "Alle KKR",
  noRegion: "Uden region",
};

const en: UiStrings = {
  searching: "Searching the documents…",
  apology: "Sorry, I couldn't answer right now. Please try again in a moment.",
  sourcesHeading: "Sources",
  showSources: "Show sources",
  postToChannel: "Post to channel",
  helpful: "👍 Helpful",
  notHelpful: "👎 Not helpful",
  feedbackThanks: "Thanks for your feedback!",
  rateLimited: (s) => `You have asked a lot of questions in a short time. Please try again in ${s} seconds.`,
  tooLong: (max) => `The question is too long (at most ${max} characters). Please shorten it.`,
  emptyQuestion: "Type a question after `/kkr`, or mention me with a question. `/kkr help` shows help.",
  closestDocuments: "Closest documents",
  noSources: "There are no quoted passages for this answer.",
  answerExpired: "That answer is no longer available. Please ask again.",
  postedBy: (user) => `Asked by ${user}`,
  notInChannel: "I'm not a member of this channel. Invite me with `/invite @kkr-bot` and try again.",
  findHeading: (q) => `Documents matching “${q}”`,
  findNone: "I found no matching documents.",
  share: "Share file",
  openDocument: "Open",
  noFile: "The original file is not available.",
  fileNotShared:
    "The file was not shared: it has changed or moved since it was indexed. It can be shared again once the index is updated.",
  shared: (title) => `Shared “${title}”.`,
  continued: "(continued)",
  help: [
    "*kkr-bot* answers questions about KKR documents (agendas, minutes, newsletters) with citations.",
    "• `/kkr QUESTION` – an answer only you see, with a button to post it to the channel",
    "• `/kkr find QUERY` – find documents and share the original file",
    "• `/kkr summary MEETING` – a meeting on one screen, e.g. `/kkr summary KKR Syddanmark 11 November 2020`",
    "• `/kkr config region REGION` – the channel's default region (`/kkr config region clear` removes it)",
    "• `/kkr help` – this help",
    "You can also mention me in a channel (I answer in the thread), message me directly or open me in the assistant pane. `find …`, `summary …` and `help` work everywhere. Follow-up questions in a thread I answered in use the earlier questions as context.",
  ].join("\n"),
  findUsage: "Say what to look for, e.g. `find agenda KKR Syddanmark November 2020`.",
  summaryUsage:
    "Say which meeting, e.g. `summary KKR Syddanmark 11 November 2020` or `summary latest KKR Sjælland meeting`.",
  showDetails: "Show details",
  channelDefaultUsed: (region) => `Channel default: KKR ${region} (name another region to ask about it)`,
  configUsage:
    "Use `/kkr config region REGION` (Hovedstaden, Sjælland, Syddanmark, Midtjylland, Nordjylland) or `/kkr config region clear`.",
  configCurrent: (region) =>
    region
      ? `This channel's default region is KKR ${region}. Questions here are read as if they named it, unless they name another region.`
      : "This channel has no default region.",
  configSet: (region) =>
    `This channel's default region is now KKR ${region}. Questions here are read as if they named it, unless they name another region.`,
  configCleared: "This channel's default region is removed.",
  configRefused:
    "Only workspace admins and the person who created the channel can change its default region.",
  configUnknownRegion: (value) =>
    `“${value}” is not a KKR region. Choose Hovedstaden, Sjælland, Syddanmark, Midtjylland or Nordjylland.`,
  configFailed: "I couldn't check who may change this channel. Please try again in a moment.",
  greeting:
    "Hi! I answer questions about the KKR documents (agendas, minutes, newsletters) and cite the sources. Ask away, type `find …` to find a document, or `summary …` for a meeting.",
  promptsTitle: "Try for example",
  homeTitle: "kkr-bot",
  homeHolds: (n) => `The index holds ${n} document${n === 1 ? "" : "s"}.`,
  homeNoDocuments: "The index is empty. Run `kkr ingest FOLDER` with the documents.",
  homeByRegion: "Documents per region",
  homeLatestMeetings: "Latest meeting per region",
  homeSummaryButton: "Summary",
  homeLastSync: (when) => `Last synced ${when}`,
  homeHowToAsk:
    "*How to ask*\nMessage me here or in the assistant pane, mention @kkr-bot in a channel, or use `/kkr QUESTION`. `find …` finds documents, `summary …` summarises a meeting, `help` shows help.",
  homeRecent: "Your recent questions",
  homeNoRecent: "You haven't asked anything yet.",
  allRegions: "All KKR",
  noRegion: "No region",
};

export function uiStrings(language: Language): UiStrings {
  return language === "en" ? en : da;
}
