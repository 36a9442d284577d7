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
  summaryUnavailable: string;
  continued: string;
  help: string;
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
  summaryUnavailable: "Mødeopsummeringer er ikke tilgængelige endnu.",
  continued: "(fortsat)",
  help: [
    "*kkr-bot* svarer på spørgsmål om KKR-dokumenter (dagsordener, referater, nyhedsbreve) med kildehenvisninger.",
    "• `/kkr SPØRGSMÅL` – svar kun til dig, med en knap til at dele det i kanalen",
    "• `/kkr find SØGNING` – find dokumenter og del originalfilen",
    "• `/kkr summary MØDE` – opsummering af et møde, fx `/kkr summary KKR Syddanmark 11. november 2020`",
    "• `/kkr help` – denne hjælp",
    "Du kan også nævne mig i en kanal (svaret kommer i tråden) eller skrive til mig direkte. Opfølgende spørgsmål i en tråd, jeg har svaret i, bruger de tidligere spørgsmål som kontekst.",
  ].join("\n"),
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
  summaryUnavailable: "Meeting summaries are not available yet.",
  continued: "(continued)",
  help: [
    "*kkr-bot* answers questions about KKR documents (agendas, minutes, newsletters) with citations.",
    "• `/kkr QUESTION` – an answer only you see, with a button to post it to the channel",
    "• `/kkr find QUERY` – find documents and share the original file",
    "• `/kkr summary MEETING` – a meeting summary, e.g. `/kkr summary KKR Syddanmark 11 November 2020`",
    "• `/kkr help` – this help",
    "You can also mention me in a channel (I answer in the thread) or message me directly. Follow-up questions in a thread I answered in use the earlier questions as context.",
  ].join("\n"),
};

export function uiStrings(language: Language): UiStrings {
  return language === "en" ? en : da;
}
