// Writes the database's configuration as a configuration file. Secrets are never written: each becomes a
// ${VARIABLE} to set in the environment that applies the file. Rows without a key are given one (derived from
// their name) in the same transaction, so that applying the exported file changes them rather than copying them.
import { stringify } from 'yaml';
import { isSecretHeader } from '../monitors/index.ts';
import {
  getMonitors,
  listChannels,
  listConfigKeys,
  listMaintenances,
  listChannelIdsOfMonitors,
  listStatusPages,
  lockConfigApply,
  setConfigKey,
  type ConfigKind,
  type Db,
} from '../db/index.ts';

export interface ExportedConfig {
  yaml: string;
  /** The environment variables the file's secrets refer to. */
  variables: string[];
}

const variableName = (...parts: string[]) =>
  parts
    .join('_')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase();

export async function exportConfig(db: Db): Promise<ExportedConfig> {
  return db.transaction(async (tx) => {
    await lockConfigApply(tx);
    const variables: string[] = [];
    const secret = (...parts: string[]) => {
      const name = variableName('VIGIE', ...parts);
      variables.push(name);
      return `\${${name}}`;
    };
    const keyed = async <T extends { id: number; name: string }>(kind: ConfigKind, rows: T[]) => {
      const owned = new Map([...(await listConfigKeys(tx, kind))].map(([key, id]) => [id, key]));
      const taken = new Set(owned.values());
      const result = new Map<number, string>();
      for (const row of rows) {
        let key = owned.get(row.id);
        if (!key) {
          const base =
            row.name
              .toLowerCase()
              .replace(/[^a-z0-9]+/g, '-')
              .replace(/^-+|-+$/g, '')
              .slice(0, 90) || kind;
          key = base;
          for (let n = 2; taken.has(key); n += 1) key = `${base}-${n}`;
          taken.add(key);
          await setConfigKey(tx, kind, row.id, key);
        }
        result.set(row.id, key);
      }
      return result;
    };

    const channels = await listChannels(tx);
    const channelKeys = await keyed('channel', channels);
    const { rows } = await tx.query<{ id: number }>('SELECT id FROM monitoring.moniteurs ORDER BY id');
    const monitorIds = rows.map((row) => row.id);
    const monitors = await getMonitors(tx, monitorIds);
    const monitorKeys = await keyed('monitor', monitors);
    const channelIdsOf = await listChannelIdsOfMonitors(tx, monitorIds);
    const windows = await listMaintenances(tx);
    const windowKeys = await keyed('maintenance', windows);
    const pages = await listStatusPages(tx);
    const pageKeys = await keyed(
      'statusPage',
      pages.map((page) => ({ ...page, name: page.slug })),
    );

    const file = {
      version: 1,
      channels: channels.map((channel) => {
        const key = channelKeys.get(channel.id)!;
        const secrets = Object.fromEntries(
          Object.entries(channel.secrets as Record<string, unknown>)
            .filter(([, value]) => value !== null)
            .map(([name]) => [name, secret(key, name)]),
        );
        return {
          key,
          name: channel.name,
          kind: channel.kind,
          settings: channel.settings,
          ...(Object.keys(secrets).length ? { secrets } : {}),
          isDefault: channel.isDefault,
          enabled: channel.enabled,
        };
      }),
      monitors: monitors.map((monitor) => {
        const key = monitorKeys.get(monitor.id)!;
        // A heartbeat's ping token is a secret the database makes: never written to a file.
        const { id, status, lastCheckedAt, createdAt, updatedAt, http, pingToken, dns, schedule, ...settings } =
          monitor;
        const headers = http?.headers
          ? Object.fromEntries(
              Object.entries(http.headers).map(([name, value]) => [
                name,
                isSecretHeader(name) ? secret(key, name) : value,
              ]),
            )
          : undefined;
        const linked = channelIdsOf.get(id)!.map((channelId) => channelKeys.get(channelId)!);
        // By key: ids differ from one database to another.
        const parent = settings.dependsOn === null ? null : (monitorKeys.get(settings.dependsOn) ?? null);
        return {
          key,
          ...settings,
          ...(dns ? { dns } : {}),
          ...(schedule ? { schedule } : {}),
          dependsOn: parent,
          ...(http ? { http: { ...http, headers } } : {}),
          ...(linked.length ? { channels: linked } : {}),
        };
      }),
      maintenance: windows.map((window) => ({
        key: windowKeys.get(window.id)!,
        name: window.name,
        ...(window.monitorIds.length ? { monitors: window.monitorIds.map((id) => monitorKeys.get(id)!) } : {}),
        ...(window.tags.length ? { tags: window.tags } : {}),
        ...(window.cron
          ? { cron: window.cron, durationMinutes: window.durationMinutes, timeZone: window.timeZone }
          : { startsAt: window.startsAt!.toISOString(), endsAt: window.endsAt!.toISOString() }),
      })),
      statusPages: pages.map((page) => ({
        key: pageKeys.get(page.id)!,
        slug: page.slug,
        title: page.title,
        description: page.description,
        logoUrl: page.logoUrl,
        isDefault: page.isDefault,
        sections: page.sections.map((section) => ({
          name: section.name,
          monitors: section.monitorIds.map((monitorId) => monitorKeys.get(monitorId)!),
        })),
      })),
    };
    const header = '# yaml-language-server: $schema=./schema/vigie-config.schema.json\n';
    return { yaml: header + stringify(file, { lineWidth: 0 }), variables };
  });
}
