// Exports of results and alerts as one CSV or JSON document, produced page by page in constant memory.
import type { Db } from '../db/index.ts';
import {
  EXPORT_COLUMNS,
  findExportPageEnd,
  readExportPage,
  type ExportCursor,
  type ExportFormat,
  type ExportPage,
  type ExportTable,
} from '../db/index.ts';

export type { ExportFormat, ExportTable } from '../db/index.ts';

export interface ExportRequest {
  table: ExportTable;
  format: ExportFormat;
  /** null: every monitor (and, for results, one-off checks). */
  monitorId: number | null;
  /** Results only: those checked from this location; null or absent: every location. */
  location?: string | null;
  /** Range [from, to) on the check time (results) or creation time (alerts); null leaves that end open. */
  from: Date | null;
  to: Date | null;
}

/** Rows read per statement: large enough that round trips cost little, small enough to keep memory flat. */
export const EXPORT_PAGE_SIZE = 10_000;

/**
 * Pages read ahead of the one being sent: PostgreSQL formats them at the same time (on two connections of
 * the pool; formatting is most of an export's work) while the client takes the current one.
 */
const PAGES_AHEAD = 2;

// CSV lines end with CRLF, as RFC 4180 writes them.
const CSV_EOL = '\r\n';

interface Framing {
  /** Before the first row. */
  start: string;
  /** Between two rows. */
  separator: string;
  /** After the last row (given whether there was one). */
  end: (empty: boolean) => string;
}

function framing(request: ExportRequest): Framing {
  if (request.format === 'csv') {
    return {
      start: EXPORT_COLUMNS[request.table].join(',') + CSV_EOL,
      separator: CSV_EOL,
      end: (empty) => (empty ? '' : CSV_EOL),
    };
  }
  return { start: '[\n', separator: ',\n', end: (empty) => (empty ? ']\n' : '\n]\n') };
}

/**
 * The document as chunks of text, one per page of rows, oldest first (time, then id). Stopping the
 * iteration (return(), as stream.pipeline does when the reader goes away) stops reading from the database.
 * The first chunk is yielded only once the first page was read, so a failing database fails the export
 * before any byte of it is sent.
 */
export async function* exportDocument(
  db: Db,
  request: ExportRequest,
  pageSize = EXPORT_PAGE_SIZE,
): AsyncGenerator<string> {
  const frame = framing(request);
  let prefix = frame.start;
  let empty = true;
  for await (const page of readPagesAhead(db, request, frame.separator, pageSize)) {
    if (page.rowCount === 0) continue;
    yield prefix + page.text;
    prefix = frame.separator;
    empty = false;
  }
  yield (empty ? frame.start : '') + frame.end(empty);
}

const EMPTY_PAGE: ExportPage = { text: '', rowCount: 0 };

/**
 * Pages in order until a short one. A page's end is found first (a cheap statement); the next page's end is
 * looked for as soon as it is known, while the page itself is being formatted, as long as no more than
 * PAGES_AHEAD pages wait for the consumer.
 */
async function* readPagesAhead(
  db: Db,
  request: ExportRequest,
  separator: string,
  pageSize: number,
): AsyncGenerator<ExportPage> {
  const queue: Array<Promise<ExportPage>> = [];
  let stopped = false;
  // Where to go on once the queue has room again.
  let held: ExportCursor | null = null;
  const start = (after: ExportCursor | null): void => {
    const page = findExportPageEnd(db, request, after, pageSize).then((end) => {
      if (end.rowCount === pageSize && !stopped) {
        if (queue.length < PAGES_AHEAD) start(end.last);
        else held = end.last;
      }
      return end.last ? readExportPage(db, request, request.format, { after, last: end.last }, separator) : EMPTY_PAGE;
    });
    // Each page is awaited below; one still in flight when the consumer leaves must not go unhandled.
    page.catch(() => undefined);
    queue.push(page);
  };
  try {
    start(null);
    while (queue.length > 0) {
      const page = await queue.shift()!;
      if (held && queue.length < PAGES_AHEAD) {
        start(held);
        held = null;
      }
      yield page;
    }
  } finally {
    stopped = true;
  }
}
