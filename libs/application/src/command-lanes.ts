/**
 * Commands on one item from one process take turns: racing each other to the same revision only
 * wastes attempts. Between processes the store's expected revision decides, and the handler retries.
 */
export class CommandLanes {
  private readonly lanes = new Map<string, Promise<unknown>>();

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const turn = (this.lanes.get(key) ?? Promise.resolve()).catch(() => undefined).then(work);
    this.lanes.set(key, turn);
    try {
      return await turn;
    } finally {
      if (this.lanes.get(key) === turn) this.lanes.delete(key);
    }
  }
}
