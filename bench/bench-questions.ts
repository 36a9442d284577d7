// Questions the benchmarks ask: in the shape of the synthetic agendas
// (test/helpers/synthetic-corpus.ts) and of the real documents, Danish and English.
export const BENCH_QUESTIONS = [
  "Hvem gav et oplæg om klimahandleplaner i KKR Syddanmark?",
  "Hvor mange kommuner deltager i indsatsen for praktikpladser?",
  "Hvor mange mio. kr. er afsat til akutfunktioner i KKR Sjælland?",
  "Hvem er udpeget til styregruppen for DK2020?",
  "Hvornår forventes den videre proces for trafikselskaber afsluttet?",
  "What was decided about kollektiv trafik in Nordjylland?",
  "Who gave a presentation on the resultatkontrakt for Erhvervshus?",
  "Hvad indstilles vedrørende Rammeaftale og specialiserede socialområde?",
  "Hvem er formand for KKR Midtjylland?",
  "How many municipalities take part in det nære sundhedsvæsen?",
];

/** Keyword-style queries, for the vector-index recall measurement. */
export const KEYWORD_QUERIES = [
  "tværsektoriel kobling og styring og kapacitet",
  "grøn omstilling vejledning virksomheder",
  "dimensionering af pædagoguddannelsen",
  "almen praksis og akutfunktioner i Hovedstaden",
  "Parisaftalen klimakoordinator Midtjylland",
  "infrastruktur trafikselskaber Sjælland 2019",
];
