// An upper bound of the size of a regular expression once its counted repetitions are expanded, read from the
// pattern without compiling it. re2js has no program-size limit (RE2's max_mem), and compiling `\pL{1000}` 110
// times takes 150 ms on the main thread; patterns above the bound are refused before they are compiled.

/** Atoms (characters, classes, escapes) after expanding `{n,m}`: about 10 ms of compiling at worst. */
export const MAX_EXPANDED_REGEX_SIZE = 5000;

const REPEAT = /^\{(\d+)(?:,(\d*))?\}/;

/** Characters, classes and escapes the pattern holds once every counted repetition is written out. */
export function expandedRegexSize(pattern: string): number {
  const groups: number[] = [0];
  let lastAtom = 0;
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern[index]!;
    if (char === '\\') {
      index++;
      // \p{Greek}, \x{10FFFF}: one atom with its braces
      if (pattern[index + 1] === '{' && 'pPx'.includes(pattern[index]!)) index = closing(pattern, index + 1, '}');
      lastAtom = add(groups, 1);
    } else if (char === '[') {
      index = classEnd(pattern, index);
      lastAtom = add(groups, 1);
    } else if (char === '(') {
      groups.push(0);
      lastAtom = 0;
    } else if (char === ')') {
      const inner = groups.length > 1 ? groups.pop()! : 0;
      lastAtom = add(groups, inner);
    } else if (char === '{' && REPEAT.test(pattern.slice(index, index + 24))) {
      const [whole, min, max] = REPEAT.exec(pattern.slice(index, index + 24))!;
      const times = max === undefined ? Number(min) : max === '' ? Number(min) + 1 : Number(max);
      add(groups, lastAtom * (Math.max(times, 1) - 1));
      index += whole.length - 1;
    } else if (char === '|' || char === '*' || char === '+' || char === '?' || char === '^' || char === '$') {
      // alternatives add up (an upper bound); *, + and ? do not multiply
    } else {
      lastAtom = add(groups, 1);
    }
  }
  return groups.reduce((sum, size) => sum + size, 0);
}

function add(groups: number[], size: number): number {
  groups[groups.length - 1]! += size;
  return size;
}

function closing(pattern: string, from: number, char: string): number {
  const end = pattern.indexOf(char, from);
  return end < 0 ? pattern.length : end;
}

/** The index of the `]` ending the class opened at `start` (`[]a]` and `[^]a]` hold a literal `]`). */
function classEnd(pattern: string, start: number): number {
  let index = start + 1;
  if (pattern[index] === '^') index++;
  if (pattern[index] === ']') index++;
  for (; index < pattern.length; index++) {
    if (pattern[index] === '\\') index++;
    else if (pattern.startsWith('[:', index)) index = closing(pattern, index + 2, ']');
    else if (pattern[index] === ']') return index;
  }
  return pattern.length;
}
