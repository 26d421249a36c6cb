// Runs users' regular expressions on RE2 (re2js: linear time, no backtracking) in worker threads, so that even a
// slow match over a 1 MiB body never holds the event loop; a match that outlives its check's deadline is stopped.
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

// Linear time is not cheap time: `\w{200}$` over 1 MiB takes seconds in re2js, hence the threads.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { RE2JS } = require(workerData.re2jsPath);
const compiled = new Map();
parentPort.on('message', ({ pattern, text }) => {
  try {
    let regex = compiled.get(pattern);
    if (regex === undefined) {
      regex = RE2JS.compile(pattern);
      if (compiled.size >= 100) compiled.clear();
      compiled.set(pattern, regex);
    }
    parentPort.postMessage({ found: regex.matcher(text).find() });
  } catch (error) {
    parentPort.postMessage({ error: error instanceof Error ? error.message : String(error) });
  }
});
`;
const RE2JS_PATH = createRequire(import.meta.url).resolve('re2js');
const MAX_WORKERS = Math.min(4, Math.max(2, availableParallelism()));

/** The match did not finish before the check's deadline (its worker was stopped). */
export class RegexTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`the regular expression did not finish within ${Math.round(timeoutMs)} ms`);
    this.name = 'RegexTimeoutError';
  }
}

interface Job {
  pattern: string;
  text: string;
  /** performance.now() after which the job is abandoned. */
  deadline: number;
  resolve(found: boolean): void;
  reject(error: Error): void;
}

const idle: Worker[] = [];
const waiting: Job[] = [];
let running = 0;

/** Whether pattern (RE2 syntax) matches somewhere in text; rejects with RegexTimeoutError after timeoutMs. */
export function matchRegex(pattern: string, text: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    waiting.push({ pattern, text, deadline: performance.now() + timeoutMs, resolve, reject });
    drain();
  });
}

function drain(): void {
  while (running < MAX_WORKERS && waiting.length > 0) {
    const job = waiting.shift()!;
    const remaining = job.deadline - performance.now();
    if (remaining <= 0) {
      job.reject(new RegexTimeoutError(0));
      continue;
    }
    running++;
    run(job, remaining);
  }
}

function run(job: Job, remainingMs: number): void {
  const worker = idle.pop() ?? spawn();
  const done = (keep: boolean): void => {
    clearTimeout(timer);
    worker.off('message', onMessage).off('error', onError);
    if (keep && idle.length < MAX_WORKERS) idle.push(worker);
    else void worker.terminate();
    running--;
    drain();
  };
  const timer = setTimeout(() => {
    done(false);
    job.reject(new RegexTimeoutError(remainingMs));
  }, remainingMs);
  const onMessage = (reply: { found?: boolean; error?: string }): void => {
    done(true);
    if (reply.error !== undefined) job.reject(new Error(reply.error));
    else job.resolve(reply.found === true);
  };
  const onError = (error: Error): void => {
    done(false);
    job.reject(error);
  };
  worker.on('message', onMessage).on('error', onError);
  worker.postMessage({ pattern: job.pattern, text: job.text });
}

function spawn(): Worker {
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { re2jsPath: RE2JS_PATH } });
  // Idle workers must not keep the process alive; one that dies while idle is simply not reused.
  worker.unref();
  worker.on('error', () => {});
  worker.on('exit', () => {
    const index = idle.indexOf(worker);
    if (index >= 0) idle.splice(index, 1);
  });
  return worker;
}
