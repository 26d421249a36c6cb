// One animation frame for everything that changes the page: live updates go to the store and from the store to
// the DOM in the same frame. Tasks queued while the frame runs (a view reacting to the store) run in it too.
const tasks = new Map<unknown, () => void>();
/** When no frame came (hidden tab), the tasks run after this long instead (browsers slow it to 1 s there). */
const BACKGROUND_MS = 250;
let scheduled = false;
/** Counts the schedules, so that the fallback of one already run by its frame does not run a later one early. */
let generation = 0;

function run(): void {
  scheduled = false;
  // A task may queue another (store → view): drain until nothing is left, each key at most once per pass.
  while (tasks.size > 0) {
    const batch = [...tasks.values()];
    tasks.clear();
    for (const task of batch) {
      try {
        task();
      } catch (error) {
        // The other tasks still run; the error is reported as uncaught.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }
}

/** Runs `task` in the next animation frame; a second call with the same key before then replaces the first. */
export function inNextFrame(key: unknown, task: () => void): void {
  tasks.set(key, task);
  if (scheduled) return;
  scheduled = true;
  const current = ++generation;
  requestAnimationFrame(run);
  // A tab in the background gets no frames; the store must still follow (the page title counts what is down).
  setTimeout(() => scheduled && current === generation && run(), BACKGROUND_MS);
}
