// Follows an append-only table by id. Ids are taken when rows are inserted but become visible at commit, so a
// row may appear after a higher id was already delivered: such missing ids ("holes") are looked for again for
// a while before they are taken for rolled-back inserts.

export type FetchAfter<T> = (afterId: number, holes: number[], limit: number) => Promise<T[]>;

const PAGE_SIZE = 1000;
const HOLE_LIFETIME_MS = 15_000;
const MAX_HOLES = 10_000;

export class TableTail<T extends { id: number }> {
  private holes = new Map<number, number>();

  constructor(
    private readonly fetchAfter: FetchAfter<T>,
    private cursor: number,
  ) {}

  /** Starts over from the given id (a stream that had no subscriber has no one to catch up for). */
  reset(cursor: number): void {
    this.cursor = cursor;
    this.holes.clear();
  }

  /** True when the last poll() filled a whole page: more rows may be waiting. */
  more = false;

  /**
   * The next rows not delivered yet, in id order: at most one page, so that a long backlog is read (and held in
   * memory) one page at a time while it is delivered; poll again while `more`.
   */
  async poll(): Promise<T[]> {
    this.expireHoles();
    const fresh: T[] = [];
    const rows = await this.fetchAfter(this.cursor, [...this.holes.keys()], PAGE_SIZE);
    let highest = this.cursor;
    for (const row of rows) {
      if (this.holes.delete(row.id)) {
        fresh.push(row);
        continue;
      }
      if (row.id <= this.cursor) continue;
      for (let missing = highest + 1; missing < row.id && this.holes.size < MAX_HOLES; missing++) {
        this.holes.set(missing, Date.now());
      }
      highest = row.id;
      fresh.push(row);
    }
    this.cursor = highest;
    this.more = rows.length === PAGE_SIZE;
    return fresh.sort((a, b) => a.id - b.id);
  }

  private expireHoles(): void {
    const oldest = Date.now() - HOLE_LIFETIME_MS;
    for (const [id, seenAt] of this.holes) if (seenAt < oldest) this.holes.delete(id);
  }
}
