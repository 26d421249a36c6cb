// A stored check result lives in types/, where db/ maps it.
export type { CheckResult, NewCheckResult } from '../types/index.ts';
