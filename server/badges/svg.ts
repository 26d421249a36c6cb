// Shields-style "flat" badges (label on grey, message on a colour), drawn without a library: the text widths come
// from a table of Verdana 11px advances, the font shields.io measures with, so the badges match theirs in size.

/** Advance widths of Verdana at 11px for printable ASCII (from 0x20), in pixels. */
const VERDANA_11: readonly number[] = [
  3.87,
  4.33,
  5.05,
  9.0,
  7.0,
  11.84,
  7.99,
  2.95,
  4.99,
  4.99,
  7.0,
  9.0,
  4.0,
  4.99,
  4.0,
  4.99, // space to /
  7.0,
  7.0,
  7.0,
  7.0,
  7.0,
  7.0,
  7.0,
  7.0,
  7.0,
  7.0,
  4.99,
  4.99,
  9.0,
  9.0,
  9.0,
  6.0, // 0 to ?
  11.0,
  7.52,
  7.54,
  7.68,
  8.48,
  6.96,
  6.32,
  8.53,
  8.27,
  4.62,
  4.99,
  7.62,
  6.12,
  9.27,
  8.23,
  8.66, // @ to O
  6.63,
  8.66,
  7.65,
  7.52,
  6.78,
  8.05,
  7.52,
  10.88,
  7.54,
  6.77,
  7.54,
  4.99,
  4.99,
  4.99,
  9.0,
  7.0, // P to _
  7.0,
  6.61,
  6.85,
  5.73,
  6.85,
  6.55,
  3.87,
  6.85,
  6.96,
  3.02,
  3.79,
  6.51,
  3.02,
  10.7,
  6.96,
  6.68, // ` to o
  6.85,
  6.85,
  4.69,
  5.73,
  4.33,
  6.96,
  6.51,
  9.0,
  6.51,
  6.51,
  5.78,
  6.98,
  4.99,
  6.98,
  9.0, // p to ~
];
/** Anything else (accents, other scripts): a wide letter's width, so the text fits rather than overflows. */
const OTHER_WIDTH = 8.0;

/** Named colours of shields.io. */
export const BADGE_COLOURS = {
  brightgreen: '#4c1',
  green: '#97ca00',
  yellow: '#dfb317',
  orange: '#fe7d37',
  red: '#e05d44',
  blue: '#007ec6',
  lightgrey: '#9f9f9f',
} as const;

export type BadgeColour = keyof typeof BADGE_COLOURS;

export interface Badge {
  label: string;
  message: string;
  colour: BadgeColour;
}

const MAX_TEXT = 60;

export function textWidth(text: string): number {
  let width = 0;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    width += code >= 0x20 && code <= 0x7e ? VERDANA_11[code - 0x20]! : OTHER_WIDTH;
  }
  return width;
}

/** Characters XML 1.0 can hold (no C0 controls but tab and line breaks, no lone surrogates, no U+FFFE/FFFF). */
function xmlCharacter(char: string): boolean {
  const code = char.codePointAt(0)!;
  if (code < 0x20) return code === 0x09 || code === 0x0a || code === 0x0d;
  return code !== 0x7f && !(code >= 0xd800 && code <= 0xdfff) && code !== 0xfffe && code !== 0xffff;
}

/** Text as SVG character data and attribute values: every markup character escaped, what XML cannot hold dropped. */
export function escapeXml(text: string): string {
  return [...text]
    .filter(xmlCharacter)
    .join('')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Long names are cut (with an ellipsis) so that a badge stays a badge. */
function shorten(text: string): string {
  const chars = [...text.replace(/\s+/g, ' ').trim()];
  return chars.length <= MAX_TEXT ? chars.join('') : `${chars.slice(0, MAX_TEXT - 1).join('')}…`;
}

/** One 20 px high badge; texts are drawn at 10x scale (as shields does) for sub-pixel placement. */
export function renderBadge(badge: Badge): string {
  const label = shorten(badge.label);
  const message = shorten(badge.message);
  const labelText = Math.round(textWidth(label) * 10);
  const messageText = Math.round(textWidth(message) * 10);
  const labelWidth = Math.round(labelText / 10) + 10;
  const messageWidth = Math.round(messageText / 10) + 10;
  const width = labelWidth + messageWidth;
  const colour = BADGE_COLOURS[badge.colour];
  const title = escapeXml(`${label}: ${message}`);
  const text = (value: string, centre: number, length: number) =>
    `<text aria-hidden="true" x="${centre}" y="150" fill="#010101" fill-opacity=".3" transform="scale(.1)" textLength="${length}">${escapeXml(value)}</text>` +
    `<text x="${centre}" y="140" transform="scale(.1)" fill="#fff" textLength="${length}">${escapeXml(value)}</text>`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="20" role="img" aria-label="${title}">` +
    `<title>${title}</title>` +
    `<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>` +
    `<clipPath id="r"><rect width="${width}" height="20" rx="3" fill="#fff"/></clipPath>` +
    `<g clip-path="url(#r)"><rect width="${labelWidth}" height="20" fill="#555"/>` +
    `<rect x="${labelWidth}" width="${messageWidth}" height="20" fill="${colour}"/>` +
    `<rect width="${width}" height="20" fill="url(#s)"/></g>` +
    `<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" text-rendering="geometricPrecision" font-size="110">` +
    text(label, labelWidth * 5, labelText) +
    text(message, labelWidth * 10 + messageWidth * 5, messageText) +
    `</g></svg>`
  );
}
