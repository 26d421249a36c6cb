// Server errors mapped to form fields, and the reconnect back-off of the live connection.
import { describe, expect, it } from 'vitest';
import { cleanMessage, errorText, sortErrors } from '../../../client/src/api/errors.ts';
import { backoffMs } from '../../../client/src/state/connection.ts';

describe('sortErrors', () => {
  it('puts BAD_USER_INPUT errors next to their field, without repeating the field name', () => {
    const sorted = sortErrors({
      graphQLErrors: [
        {
          message: '[GraphQL] target: host "a;b" contains the forbidden character ";"',
          extensions: { code: 'BAD_USER_INPUT', field: 'target' },
        },
        {
          message: 'http.keyword: invalid regular expression',
          extensions: { code: 'BAD_USER_INPUT', field: 'http.keyword' },
        },
        { message: 'monitor 9 not found', extensions: { code: 'NOT_FOUND' } },
        { message: 'interval too short', extensions: { code: 'BAD_USER_INPUT', field: null } },
      ],
    });
    expect(sorted.fields).toEqual({
      target: 'Host "a;b" contains the forbidden character ";"',
      'http.keyword': 'Invalid regular expression',
    });
    expect(sorted.general).toEqual(['Not found: it may have been deleted.', 'Interval too short']);
  });

  it('says the server cannot be reached on a network error', () => {
    expect(sortErrors({ networkError: new Error('Failed to fetch'), graphQLErrors: [] }).general[0]).toMatch(
      /Cannot reach/,
    );
  });

  it('handles plain errors and nothing at all', () => {
    expect(errorText(new Error('boom'))).toBe('Boom');
    expect(errorText(undefined)).toBe('Something went wrong.');
    expect(cleanMessage('[Network] down')).toBe('Down');
  });
});

describe('backoffMs', () => {
  it('doubles from half a second up to eight, with jitter', () => {
    expect(backoffMs(0, () => 0.5)).toBe(500);
    expect(backoffMs(1, () => 0.5)).toBe(1000);
    expect(backoffMs(10, () => 0.5)).toBe(8000);
    expect(backoffMs(10, () => 0)).toBe(6400);
    expect(backoffMs(10, () => 1)).toBe(9600);
  });
});
