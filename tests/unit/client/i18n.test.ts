// The catalogues: French has every English message (none empty, same parameters), every message the code asks
// for exists, and every message is used; the language follows the browser; t/tn fill parameters and plurals.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { en } from '../../../client/src/i18n/en.ts';
import { fr } from '../../../client/src/i18n/fr.ts';
import { chooseLanguage, t, tn, useLanguage } from '../../../client/src/i18n/index.ts';
import { EMPTY_FORM, validateForm } from '../../../client/src/state/validate.ts';

const CLIENT = fileURLToPath(new URL('../../../client/', import.meta.url));
const CATALOGUES = { en, fr } as Record<string, Record<string, string>>;

function sourceFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|html)$/.test(name) ? [path] : [];
  });
}

/** The client's sources, without the catalogues themselves. */
const sources = [...sourceFiles(join(CLIENT, 'src')), join(CLIENT, 'index.html'), join(CLIENT, 'status.html')]
  .filter((path) => !path.includes(`${join('src', 'i18n')}`))
  .map((path) => ({ path, text: readFileSync(path, 'utf8') }));

const placeholders = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!).sort();

/** The keys the code names: t('key'), tn('base') (its .one and .other), data-i18n="key", labels({ x: 'key' }). */
function keysUsed(): Array<{ key: string; path: string }> {
  const used: Array<{ key: string; path: string }> = [];
  for (const { path, text } of sources) {
    for (const match of text.matchAll(/\bt\(\s*'([^']*)'/g)) used.push({ key: match[1]!, path });
    for (const match of text.matchAll(/\btn\(\s*'([^']*)'/g)) {
      used.push({ key: `${match[1]}.one`, path }, { key: `${match[1]}.other`, path });
    }
    for (const match of text.matchAll(/data-i18n(?:-label)?="([^"]*)"/g)) used.push({ key: match[1]!, path });
    for (const block of text.matchAll(/\blabels\(\{([^}]*)\}\)/g)) {
      for (const match of block[1]!.matchAll(/:\s*'([^']*)'/g)) used.push({ key: match[1]!, path });
    }
  }
  return used;
}

describe('catalogues', () => {
  it('have the same keys, none empty, with the same parameters', () => {
    for (const [name, catalogue] of Object.entries(CATALOGUES)) {
      expect(Object.keys(catalogue).sort(), name).toEqual(Object.keys(en).sort());
      for (const [key, text] of Object.entries(catalogue)) {
        expect(text.trim(), `${name}: ${key} is empty`).not.toBe('');
        expect(placeholders(text), `${name}: ${key}'s parameters`).toEqual(placeholders(en[key as keyof typeof en]));
      }
    }
  });

  it('have every key the code uses', () => {
    const used = keysUsed();
    expect(used.length).toBeGreaterThan(20);
    const missing = used.filter(({ key }) => !(key in en)).map(({ key, path }) => `${key} (${path})`);
    expect(missing).toEqual([]);
  });

  it('hold no message the code never uses', () => {
    const named = new Set(keysUsed().map(({ key }) => key));
    // Keys written out elsewhere as a literal (e.g. in a table of keys) count as used.
    const everything = sources.map(({ text }) => text).join('\n');
    const unused = Object.keys(en).filter((key) => !named.has(key) && !everything.includes(`'${key}'`));
    expect(unused).toEqual([]);
  });
});

describe('language', () => {
  afterEach(() => useLanguage('en'));

  it('follows the first of the browser’s languages it speaks, English otherwise', () => {
    expect(chooseLanguage(['fr-FR', 'en-US'])).toBe('fr');
    expect(chooseLanguage(['de-DE', 'fr-CA', 'en'])).toBe('fr');
    expect(chooseLanguage(['en-US'])).toBe('en');
    expect(chooseLanguage(['de', 'es'])).toBe('en');
    expect(chooseLanguage([])).toBe('en');
  });

  it('fills parameters, fractions with the locale’s decimal sign', () => {
    expect(t('app.titleDown', { count: 1234, base: 'Vigie' })).toBe('1234 down · Vigie');
    expect(t('unit.ms', { value: 2.5 })).toBe('2.5 ms');
    useLanguage('fr');
    expect(t('nav.monitors')).toBe('Moniteurs');
    expect(t('app.titleDown', { count: 1234, base: 'Vigie' })).toBe('1234 en panne · Vigie');
    expect(t('unit.ms', { value: 2.5 })).toBe('2,5\u202fms');
  });
});

describe('plural forms', () => {
  afterEach(() => useLanguage('en'));
  it('follow each language’s rules: French says 0 and 1 in the singular', () => {
    expect(tn('statusPage.checks', 1)).toBe('1 check');
    expect(tn('statusPage.checks', 0)).toBe('0 checks');
    useLanguage('fr');
    expect(tn('statusPage.checks', 0)).toBe('0 vérification');
    expect(tn('statusPage.checks', 2)).toBe('2 vérifications');
  });
});

describe('count-bearing messages', () => {
  afterEach(() => useLanguage('en'));

  it('are plural forms (tn) wherever the count can vary: no message puts a count before a plural noun alone', () => {
    // "{count} checks", "{days} days": a message with a count before a plural word must be a plural pair (.one,
    // .other), else "1 checks" shows. Fixed counts (lengths of 8 characters and more, the 90 days) are the exception.
    const fixed = new Set(['form.atLeastChars', 'validate.atMostChars', 'statusPage.daysLabel']);
    const bare = Object.entries(en)
      .filter(([key]) => !/\.(one|other)$/.test(key) && !fixed.has(key))
      .filter(([, text]) =>
        /\{\w+\} (checks|days|points|seconds|failures|monitors|services|incidents|attempts)\b/.test(text),
      )
      .map(([key]) => key);
    expect(bare).toEqual([]);
    // Each .one form is really singular.
    const pluralOnes = Object.entries(en)
      .filter(([key, text]) => key.endsWith('.one') && /\{count\} (checks|days|points|seconds|failures)\b/.test(text))
      .map(([key]) => key);
    expect(pluralOnes).toEqual([]);
  });

  it('say one check, day, point or second in the singular, and more in the plural, in English and French', () => {
    expect(tn('detail.checkCount', 1)).toBe('1 check');
    expect(tn('detail.checkCount', 2)).toBe('2 checks');
    expect(tn('phases.chart', 1)).toBe('Phase timings of the last check');
    expect(tn('phases.chart', 50)).toBe('Phase timings of the last 50 checks');
    expect(tn('detail.certificateAlertBelow', 1)).toBe('Alert below 1 day.');
    expect(tn('detail.certificateAlertBelow', 14)).toBe('Alert below 14 days.');
    expect(tn('monitorNotifications.certificateDays', 1)).toBe('Certificate alert 1 day before expiry');
    expect(tn('statusPage.daysAgo', 90)).toBe('90 days ago');
    expect(tn('bar.label', 1, { up: tn('bar.up', 1), down: tn('bar.down', 0) })).toBe('last 1 check: 1 up, 0 down');
    expect(tn('bar.label', 50, { up: tn('bar.up', 49), down: tn('bar.down', 1) })).toBe(
      'last 50 checks: 49 up, 1 down',
    );
    expect(t('chart.resultsLabel', { checks: tn('chart.checks', 1), failures: 0 })).toBe(
      'Latency chart: 1 check, 0 failed',
    );
    expect(
      t('chart.bucketsLabel', {
        points: tn('chart.points', 1),
        size: '1 h',
        checks: tn('chart.checks', 12),
        failures: 1,
      }),
    ).toBe('Latency chart: 1 point of 1 h (12 checks, 1 failed)');
    const form = { ...EMPTY_FORM, name: 'Shop', target: 'https://shop.example.com/' };
    expect(validateForm({ ...form, intervalSeconds: '0' }).intervalSeconds).toBe('At least 1 second.');
    expect(validateForm({ ...form, retries: '0' }).retries).toBe('At least 1 failure.');
    expect(validateForm({ ...form, retries: '101' }).retries).toBe('At most 100 failures.');
    expect(validateForm({ ...form, intervalSeconds: '86401' }).intervalSeconds).toBe('At most 86400 seconds.');

    useLanguage('fr');
    expect(tn('detail.checkCount', 1)).toBe('1 vérification');
    expect(tn('phases.chart', 1)).toBe('Durée des phases de la dernière vérification');
    expect(tn('detail.certificateAlertBelow', 1)).toBe('Alerte à moins de 1 jour.');
    expect(tn('detail.certificateAlertBelow', 14)).toBe('Alerte à moins de 14 jours.');
    expect(tn('app.unacknowledged', 1)).toBe('1 non acquittée');
    expect(tn('app.unacknowledged', 3)).toBe('3 non acquittées');
    expect(tn('bar.label', 2, { up: tn('bar.up', 1), down: tn('bar.down', 1) })).toBe(
      '2 dernières vérifications\u00a0: 1 réussie, 1 en échec',
    );
    expect(t('chart.resultsLabel', { checks: tn('chart.checks', 1), failures: 1 })).toBe(
      'Graphique de latence\u00a0: 1 vérification, 1 en échec',
    );
    expect(validateForm({ ...form, intervalSeconds: '0' }).intervalSeconds).toBe('Au moins 1 seconde.');
    expect(validateForm({ ...form, retries: '101' }).retries).toBe('100 échecs au plus.');
  });
});
