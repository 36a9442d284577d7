import type { webApi } from "@slack/bolt";
import { type ActionInput, guarded, type RespondFn, tellClicker } from "./actions.js";
import { type BotContext, withTimeout } from "./bot-context.js";
import { decodeDetailsRef, renderAnswer, renderNotice } from "./render.js";
import { uiStrings } from "./strings.js";

/**
 * "Vis detaljer / Show details" on a one-screen meeting summary: the long form (every item's
 * recommendation, decision and key facts), shown to the one who clicked.
 */
export async function showSummaryDetails(
  ctx: BotContext,
  client: webApi.WebClient,
  respond: RespondFn,
  input: ActionInput,
): Promise<void> {
  const ref = decodeDetailsRef(input.value);
  const language = ref?.l ?? "da";
  const s = uiStrings(language);
  await guarded(
    ctx,
    "show summary details",
    async () => {
      if (!ref) {
        await tellClicker(client, respond, input, renderNotice(s.answerExpired));
        return;
      }
      const result = await ctx.track((stop) =>
        withTimeout(ctx.askTimeoutMs, stop, (signal) =>
          ctx.service.summary(ref.m, { detail: true, language, signal }),
        ),
      );
      const messages = renderAnswer(result, { language, question: ref.m, answerId: ctx.cache.put(result) });
      for (const message of messages) await tellClicker(client, respond, input, message);
    },
    () => tellClicker(client, respond, input, renderNotice(s.apology)),
  );
}
