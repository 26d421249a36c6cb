// The catalogues: French has every English message (none empty, same parameters), every message the code asks
// for exists, and every message is used; the language follows the browser; t/tn fill parameters and plurals.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { en } from '../../../client/src/i18n/en.ts';
import { fr } from '../../../client/src/i18n/fr.ts';
import { chooseLanguage, t, tn, useLanguage } from '../../../client/src/i18n/index.ts';

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
