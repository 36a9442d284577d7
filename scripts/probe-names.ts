import { personMentions } from "../src/answer/answer-shape.js";
for (const t of process.argv.slice(2)) console.log(JSON.stringify(personMentions(t)), "<-", t);
