// Text that people or checked targets control (a monitor's name and target, a check's error) stays text in every
// notification: no HTML element or attribute in an email, no link or mention in Slack or Discord markup.
import { describe, expect, it } from 'vitest';
import { discordPayload } from '../../../server/alerts/channels/discord.ts';
import { messageHtml } from '../../../server/alerts/channels/message.ts';
import { ntfyPayload } from '../../../server/alerts/channels/ntfy.ts';
import { slackPayload } from '../../../server/alerts/channels/slack.ts';
import { webhookPayload } from '../../../server/alerts/channels/webhook.ts';
import { telegramPayload } from '../../../server/alerts/channels/telegram.ts';
import { matrixContent } from '../../../server/alerts/channels/matrix.ts';
import { googleChatPayload } from '../../../server/alerts/channels/google-chat.ts';
import { mattermostPayload } from '../../../server/alerts/channels/mattermost.ts';
import { teamsPayload } from '../../../server/alerts/channels/teams.ts';
import { notification } from './fixtures.ts';

const HOSTILE = {
  name: '<img src=x onerror=alert(1)> <https://evil.example|Open in Vigie> <!channel> [Open in Vigie](https://evil.example) <@&1234>',
  target: "https://x.example/\"><svg onload=alert(1)>?a=1&b='2'",
  cause: 'redirect to an invalid URL: http://[</td><script>alert(1)</script><a href="https://evil.example">click</a>',
};

const hostile = () =>
  notification({ monitor: { id: 7, name: HOSTILE.name, target: HOSTILE.target }, cause: HOSTILE.cause });

describe('hostile text in notifications', () => {
  it('is escaped in the HTML email: the only elements and attributes are the template’s', () => {
    const html = messageHtml(hostile());
    const tags = [...html.matchAll(/<\/?([a-z0-9!]+)/gi)].map((match) => match[0].toLowerCase());
    const rows = ['<tr', '<th', '</th', '<td', '</td', '</tr'];
    expect(tags).toEqual([
      '<!doctype',
      '<html',
      '<body',
      '<h2',
      '</h2',
      '<table',
      ...rows,
      ...rows,
      ...rows,
      ...rows,
      '</table',
      '<p',
      '<a',
      '</a',
      '</p',
      '</body',
      '</html',
    ]);
    expect(html.match(/href="/g)).toHaveLength(1);
    expect(html).toContain('<a href="http://vigie.example.com/monitors/7">Open in Vigie</a>');
    expect(html).toContain('&#60;img src=x onerror=alert(1)&#62;');
    expect(html).toContain('https://x.example/&#34;&#62;&#60;svg onload=alert(1)&#62;?a=1&#38;b=&#39;2&#39;');
    expect(html).toContain('http://[&#60;/td&#62;&#60;script&#62;alert(1)&#60;/script&#62;');
  });

  it('escapes the dashboard link’s quotes in the HTML email', () => {
    const html = messageHtml(notification({ dashboardUrl: 'http://vigie.example.com/" onmouseover="alert(1)' }));
    expect(html).toContain('<a href="http://vigie.example.com/&#34; onmouseover=&#34;alert(1)">');
  });

  it('builds no Slack link or mention from user text: the dashboard link is the only <...>', () => {
    const payload = slackPayload(hostile());
    const section = payload.blocks[0]!.text.text;
    expect(section.match(/<[^>]*>/g)).toEqual(['<http://vigie.example.com/monitors/7|Open in Vigie>']);
    expect(payload.text).not.toMatch(/[<>]/);
    expect(section).toContain('&lt;https://evil.example|Open in Vigie&gt; &lt;!channel&gt;');
  });

  it('keeps a Slack link to the dashboard from being cut short or relabelled by its URL', () => {
    const payload = slackPayload(notification({ dashboardUrl: 'http://vigie.example.com/x|Click me>' }));
    expect(payload.blocks[0]!.text.text).toContain('<http://vigie.example.com/x%7CClick me&gt;|Open in Vigie>');
  });

  it('builds no Discord link, mention or markup from user text', () => {
    const payload = discordPayload(hostile());
    const texts = [payload.content, payload.embeds[0]!.title, payload.embeds[0]!.description];
    for (const text of texts) {
      // every [, ], <, >, *, _, `, | and ~ of user text is backslash-escaped
      expect(text).not.toMatch(/(?<!\\)[[\]<>`|]/);
    }
    expect(payload.embeds[0]!.description).toContain('\\[Open in Vigie\\](https://evil.example) \\<@&1234\\>');
    expect(payload.allowed_mentions).toEqual({ parse: [] });
    expect(payload.embeds[0]!.url).toBe('http://vigie.example.com/monitors/7');
  });

  it('sends ntfy plain text (no markdown) and opens only an http(s) dashboard link', () => {
    const payload = ntfyPayload({ server: 'https://ntfy.example', topic: 'ops', priority: null }, hostile());
    expect(payload).not.toHaveProperty('markdown');
    expect(payload.message).toContain(`Monitor: ${HOSTILE.name}`);
    expect(payload.click).toBe('http://vigie.example.com/monitors/7');
    expect(
      ntfyPayload(
        { server: 'https://ntfy.example', topic: 'ops', priority: null },
        notification({ dashboardUrl: 'javascript:alert(1)' }),
      ),
    ).not.toHaveProperty('click');
  });

  it('puts the text as JSON string values in webhooks, unchanged', () => {
    const payload = JSON.parse(JSON.stringify(webhookPayload(hostile())));
    expect(payload.monitor).toMatchObject({ name: HOSTILE.name, target: HOSTILE.target });
    expect(payload.alert.cause).toBe(HOSTILE.cause);
  });

  it('makes no element or link from user text in the HTML of Telegram, Matrix and Google Chat', () => {
    const tagsOf = (html: string) => [...html.matchAll(/<\/?([a-z]+)/gi)].map((match) => match[0].toLowerCase());
    const telegram = telegramPayload({ apiUrl: 'https://api.telegram.org', chatId: '1' }, hostile()).text;
    const matrix = matrixContent(hostile()).formatted_body;
    const chat = (googleChatPayload(hostile()).cardsV2[0]!.card.sections[0]!.widgets[0] as any).textParagraph.text;
    for (const html of [telegram, matrix, chat]) {
      expect(new Set(tagsOf(html))).toEqual(
        new Set(['<b', '</b', ...(html === chat ? ['<br'] : ['<a', '</a']), ...(html === matrix ? ['<br'] : [])]),
      );
      expect(html.match(/href="/g) ?? []).toHaveLength(html === chat ? 0 : 1);
      expect(html).toContain('&#60;img src=x onerror=alert(1)&#62;');
    }
  });

  it('makes no Mattermost link, markup or mention from user text', () => {
    const text = mattermostPayload(hostile()).text;
    expect(text.match(/(?<!\\)\]\(/g)).toEqual(['](']);
    expect(text).toContain('\\[Open in Vigie\\](https://evil.example)');
    expect(text).not.toMatch(/(?<!\\)<!channel/);
    expect(text).toContain('\\<@\u2060&1234\\>');
  });

  it('puts user text in Teams TextRuns only, which show markdown as written', () => {
    const card = teamsPayload(hostile()).attachments[0]!.content;
    expect(new Set(card.body.map((block) => block.type))).toEqual(new Set(['RichTextBlock']));
    expect(card.body.flatMap((block) => block.inlines.map((inline) => inline.type))).not.toContain('TextBlock');
    expect(card.actions).toEqual([
      { type: 'Action.OpenUrl', title: 'Open in Vigie', url: 'http://vigie.example.com/monitors/7' },
    ]);
  });
});
