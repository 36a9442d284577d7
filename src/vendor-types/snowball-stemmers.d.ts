// snowball-stemmers ships no types; this is the part of its API kkr-bot uses.
declare module "snowball-stemmers" {
  export interface Stemmer {
    stem(word: string): string;
  }
  export function newStemmer(language: string): Stemmer;
  const _default: { newStemmer: typeof newStemmer };
  export default _default;
}
