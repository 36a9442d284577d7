/**
 * Runs jobs one after another in this process: the bot's folder watch and its web sync
 * both write the index, and the ingest lock would make the second fail rather than wait.
 */
export class Serial {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(job: () => Promise<T>): Promise<T> {
    const result = this.tail.then(job, job);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
