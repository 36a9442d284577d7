import { splitQuestion } from "../src/retrieval/multi-part.js";

for (const q of [
  "Hvor og hvornår holder KKR Hovedstaden møde i september 2023?",
  "Hvem var formand for KKR Sjælland i 2018, og hvem blev formand i 2022?",
  "Hvem er formand for KKR Nordjylland, og hvor er vedkommende ansat?",
  "Who chairs KKR Sjælland and where is she mayor?",
  "Hvad besluttede KKR Sjælland om flygtninge og integration?",
  "Hvornår og hvor mødes KKR?",
  "Hvem er formand og næstformand i KKR Sjælland?",
])
  console.log(JSON.stringify(splitQuestion(q)));
