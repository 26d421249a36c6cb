// GraphiQL from the installed @graphql-yoga/render-graphiql: its page carries its script, styles, icon and editor
// workers inline, so the browser fetches nothing from another origin (no CDN). The package (about 9 MB) is loaded
// on first use only, so a server with GraphiQL off never reads it.
import type { GraphiQLOptions } from 'graphql-yoga';

let rendered: { key: string; html: Promise<string> } | null = null;

export function renderLocalGraphiQL(options: GraphiQLOptions): Promise<string> {
  const key = JSON.stringify(options);
  if (rendered?.key !== key) {
    rendered = { key, html: import('@graphql-yoga/render-graphiql').then((module) => module.renderGraphiQL(options)) };
  }
  return rendered.html;
}
