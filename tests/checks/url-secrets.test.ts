// Credentials written into URLs are shown as "********", and a URL sent back as shown gets them again, on the
// same origin only.
import { describe, expect, it } from 'vitest';
import { maskUrlSecrets, restoreUrlSecrets } from '../../server/checks/index.ts';
import { ValidationError } from '../../server/errors.ts';

describe('maskUrlSecrets', () => {
  it.each([
    [
      'https://ops:pa%40ss@example.com:8443/x?token=abc&q=1',
      'https://********:********@example.com:8443/x?token=********&q=1',
    ],
    [
      'http://example.com/?api_key=1&apikey=2&key=3&secret=4&password=5&pass=6&pwd=7&auth=8&sig=9&access_token=10&page=2',
      'http://example.com/?api_key=********&apikey=********&key=********&secret=********&password=********&pass=********&pwd=********&auth=********&sig=********&access_token=********&page=2',
    ],
    [
      'https://s3.example.com/b/o?X-Amz-Signature=abc&X-Amz-Date=20260101',
      'https://s3.example.com/b/o?X-Amz-Signature=********&X-Amz-Date=20260101',
    ],
    ['https://example.com/health', 'https://example.com/health'],
    ['example.com:443', 'example.com:443'],
    ['10.0.0.1', '10.0.0.1'],
  ])('%s', (url, shown) => {
    expect(maskUrlSecrets(url)).toBe(shown);
  });

  it('hides the token segments of webhook paths when asked', () => {
    expect(maskUrlSecrets('https://hooks.slack.com/services/T0ABC/B0DEF/xoxSecretToken', { pathTokens: true })).toBe(
      'https://hooks.slack.com/services/********/********/********',
    );
    expect(
      maskUrlSecrets('https://discord.com/api/webhooks/112233445566778899/DiscordToken', { pathTokens: true }),
    ).toBe('https://discord.com/api/webhooks/********/********');
    expect(
      maskUrlSecrets('https://example.com/hooks/0b7e8f1c-2a4d-4c3f-9a51-5fb2a8d3c6e1/notify', { pathTokens: true }),
    ).toBe('https://example.com/hooks/********/notify');
    expect(maskUrlSecrets('https://example.com/hooks/alerts', { pathTokens: true })).toBe(
      'https://example.com/hooks/alerts',
    );
  });
});

describe('restoreUrlSecrets', () => {
  const stored = 'https://ops:pa%40ss@example.com:8443/hooks/0b7e8f1c2a4d4c3f9a515fb2a8d3c6e1?token=abc&q=1';

  it('puts back every masked part sent back as shown, and keeps the changes around them', () => {
    const shown = maskUrlSecrets(stored, { pathTokens: true });
    expect(restoreUrlSecrets(shown, stored, 'target')).toBe(stored);
    expect(restoreUrlSecrets(shown.replace('q=1', 'q=2'), stored, 'target')).toBe(stored.replace('q=1', 'q=2'));
    expect(restoreUrlSecrets('https://example.com:8443/?token=new', stored, 'target')).toBe(
      'https://example.com:8443/?token=new',
    );
  });

  it('refuses a placeholder for another origin, or for a value that is not stored', () => {
    const moved = () =>
      restoreUrlSecrets('https://********:********@other.example:8443/?token=********', stored, 'target');
    expect(moved).toThrow(ValidationError);
    expect(moved).toThrow(
      /stored for https:\/\/example\.com:8443, not for https:\/\/other\.example:8443: send the value/,
    );
    expect(() => restoreUrlSecrets('https://example.com:8443/?key=********', stored, 'target')).toThrow(
      /send the value/,
    );
  });
});
