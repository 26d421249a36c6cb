// The badge renderer: sizes from the text, uptime never rounded up to 100 %, no markup or control characters out.
import { describe, expect, it } from 'vitest';
import { escapeXml, formatUptime, renderBadge, textWidth } from '../../server/badges/index.ts';

describe('badge SVG', () => {
  it('is as wide as its two texts plus their padding', () => {
    expect(textWidth('up')).toBeCloseTo(6.96 + 6.85, 2);
    const svg = renderBadge({ label: 'api', message: 'up', colour: 'brightgreen' });
    const [, labelWidth, messageWidth] =
      /<rect width="(\d+)" height="20" fill="#555"\/><rect x="\1" width="(\d+)" height="20" fill="#4c1"\/>/
        .exec(svg)!
        .map(Number);
    expect(Math.abs(labelWidth! - (textWidth('api') + 10))).toBeLessThanOrEqual(1);
    expect(Math.abs(messageWidth! - (textWidth('up') + 10))).toBeLessThanOrEqual(1);
    expect(svg).toContain(`width="${labelWidth! + messageWidth!}" height="20"`);
    // Text outside ASCII still counts, so it fits.
    expect(textWidth('été')).toBeGreaterThan(textWidth('ete'));
  });

  it('cuts long texts with an ellipsis and folds white space', () => {
    const svg = renderBadge({ label: `a\n\tb ${'x'.repeat(100)}`, message: 'up', colour: 'red' });
    expect(svg).toContain(`<title>a b ${'x'.repeat(55)}…: up</title>`);
  });

  it('escapes markup and drops characters XML cannot hold', () => {
    expect(escapeXml(`<a href="x">'&'</a>\u0000\u001b\ud800`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;',
    );
  });

  it('shows uptime as precisely as useful, never 100 % unless it is', () => {
    expect(formatUptime(100)).toBe('100%');
    expect(formatUptime(99.9999)).toBe('99.999%');
    expect(formatUptime(99.95)).toBe('99.95%');
    expect(formatUptime(75)).toBe('75%');
    expect(formatUptime(12.345)).toBe('12.34%');
    expect(formatUptime(0.5)).toBe('0.5%');
    expect(formatUptime(0)).toBe('0%');
  });
});
