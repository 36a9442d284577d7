/**
 * Each user's last few questions, for their App Home. In memory and bounded: questions
 * are not written anywhere (a restart forgets them), so nothing users ask is kept longer
 * than the bot runs.
 */
export class RecentQuestions {
  private readonly byUser = new Map<string, { question: string; at: number }[]>();
  private readonly perUser: number;
  private readonly maxUsers: number;

  constructor(options: { perUser?: number; maxUsers?: number } = {}) {
    this.perUser = options.perUser ?? 5;
    this.maxUsers = options.maxUsers ?? 10_000;
  }

  add(user: string, question: string, at: number): void {
    const q = question.replace(/\s+/g, " ").trim();
    if (!q) return;
    const list = (this.byUser.get(user) ?? []).filter((x) => x.question !== q);
    list.unshift({ question: q.length > 200 ? `${q.slice(0, 199)}…` : q, at });
    // re-insert so the Map's order is least recently active first
    this.byUser.delete(user);
    this.byUser.set(user, list.slice(0, this.perUser));
    while (this.byUser.size > this.maxUsers) {
      const oldest = this.byUser.keys().next().value;
      if (oldest === undefined) break;
      this.byUser.delete(oldest);
    }
  }

  /** Newest first. */
  list(user: string): { question: string; at: number }[] {
    return [...(this.byUser.get(user) ?? [])];
  }
}
