// `tsx bench/profile-summary.ts <file.cpuprofile> [top]`: self and inclusive time per function and per area.
import { readFileSync } from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Coarse areas, first match wins: where in the stack the time was spent. */
const AREAS: Array<[string, (frame: CallFrame) => boolean]> = [
  ['(garbage collector)', (f) => f.functionName === '(garbage collector)'],
  ['(idle)', (f) => f.functionName === '(idle)'],
  ['(program: native, not JS)', (f) => f.functionName === '(program)'],
  ['server/checks', (f) => f.url.includes('/server/checks/')],
  ['server/scheduler', (f) => f.url.includes('/server/scheduler/')],
  ['server/db', (f) => f.url.includes('/server/db/')],
  ['bench (measuring)', (f) => f.url.includes('/bench/')],
  ['pg driver', (f) => /node_modules\/(pg|pg-protocol|pg-types|pg-pool|postgres-[a-z]+)\//.test(f.url)],
  ['pino', (f) => f.url.includes('node_modules/pino')],
  ['tsx loader', (f) => f.url.includes('node_modules/tsx') || f.url.includes('node_modules/esbuild')],
  ['node: http client/parser', (f) => /node:_http_|node:http$|internal\/http/.test(f.url)],
  ['node: net/stream', (f) => /node:net|internal\/(stream|streams|net)|node:stream/.test(f.url)],
  ['node: timers/events/other', (f) => f.url.startsWith('node:')],
  ['native/builtin (no url)', (f) => f.url === ''],
];

function area(frame: CallFrame): string {
  return AREAS.find(([, test]) => test(frame))?.[0] ?? 'other JS';
}

function label(frame: CallFrame): string {
  const where = frame.url.replace(/^file:\/\/.*?\/(server|bench|node_modules)\//, '$1/');
  return `${frame.functionName || '(anonymous)'} ${where ? `${where}:${frame.lineNumber + 1}` : ''}`.trim();
}

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: tsx bench/profile-summary.ts <file.cpuprofile> [top]');
  process.exit(1);
}
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const selfUs = new Map<number, number>();
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const totalUs = [...selfUs.values()].reduce((sum, us) => sum + us, 0);

const selfByLabel = new Map<string, number>();
const selfByArea = new Map<string, number>();
const inclusiveByLabel = new Map<string, number>();
// Inclusive time: walk the tree, counting a function once per path even when it recurses.
function walk(node: ProfileNode, onPath: Set<string>): number {
  let sum = selfUs.get(node.id) ?? 0;
  const key = label(node.callFrame);
  const first = !onPath.has(key);
  if (first) onPath.add(key);
  for (const child of node.children ?? []) sum += walk(byId.get(child)!, onPath);
  if (first) {
    onPath.delete(key);
    inclusiveByLabel.set(key, (inclusiveByLabel.get(key) ?? 0) + sum);
  }
  return sum;
}
for (const node of profile.nodes) {
  const us = selfUs.get(node.id) ?? 0;
  selfByLabel.set(label(node.callFrame), (selfByLabel.get(label(node.callFrame)) ?? 0) + us);
  selfByArea.set(area(node.callFrame), (selfByArea.get(area(node.callFrame)) ?? 0) + us);
}
walk(profile.nodes[0]!, new Set());

const print = (title: string, entries: Map<string, number>, limit: number): void => {
  console.log(`\n${title}`);
  for (const [key, us] of [...entries].sort((a, b) => b[1] - a[1]).slice(0, limit)) {
    console.log(
      `  ${((us / totalUs) * 100).toFixed(1).padStart(5)} %  ${(us / 1000).toFixed(0).padStart(7)} ms  ${key}`,
    );
  }
};
console.log(`${file}: ${(totalUs / 1e6).toFixed(1)} s sampled`);
print('self time by area', selfByArea, AREAS.length + 1);
print(`self time, top ${top} functions`, selfByLabel, top);
print(`inclusive time, top ${top} functions`, inclusiveByLabel, top);
