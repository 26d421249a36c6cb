// The keyword of an HTTP check: plain text, or a regular expression in RE2 syntax (linear-time matching, run off
// the main thread by regex-pool.ts). Patterns RE2 cannot run (backreferences, lookarounds) are refused.
import { RE2JS } from 're2js';
import { ValidationError } from '../errors.ts';
import { matchRegex } from './regex-pool.ts';
import { expandedRegexSize, MAX_EXPANDED_REGEX_SIZE } from './regex-size.ts';

const MAX_KEYWORD_LENGTH = 1024;
/** Patterns known to compile: each check would otherwise compile its pattern again on the main thread. */
const compilable = new Set<string>();

/** Whether the keyword occurs in text; a regex match may reject (RegexTimeoutError) after timeoutMs. */
export type KeywordMatcher = (text: string, timeoutMs: number) => Promise<boolean>;

/** Compiles the keyword of an HTTP check into a matcher; throws ValidationError for an empty or invalid one. */
export function compileKeyword(keyword: unknown, isRegex: boolean): KeywordMatcher {
  if (typeof keyword !== 'string' || keyword === '') throw new ValidationError('keyword must not be empty', 'keyword');
  if (keyword.length > MAX_KEYWORD_LENGTH) {
    throw new ValidationError(`keyword is too long (at most ${MAX_KEYWORD_LENGTH} characters)`, 'keyword');
  }
  if (!isRegex) return async (text) => text.includes(keyword);
  const size = expandedRegexSize(keyword);
  if (size > MAX_EXPANDED_REGEX_SIZE) {
    throw new ValidationError(
      `keyword is too large a regular expression: ${size} characters once its repetitions {n,m} are expanded, at most ${MAX_EXPANDED_REGEX_SIZE}`,
      'keyword',
    );
  }
  try {
    if (!compilable.has(keyword)) {
      RE2JS.compile(keyword);
      if (compilable.size >= 1000) compilable.clear();
      compilable.add(keyword);
    }
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).replace(/^error parsing regexp: /, '');
    throw new ValidationError(
      `keyword is not a valid regular expression (RE2 syntax: no backreferences or lookarounds): ${reason}`,
      'keyword',
    );
  }
  return (text, timeoutMs) => matchRegex(keyword, text, timeoutMs);
}
