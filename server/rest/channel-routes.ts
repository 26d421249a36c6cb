// Notification channels under /api/canaux, and which channels hear about a monitor. Secrets are write-only.
import {
  DELIVERY_ERROR_FIELDS,
  parseChannelChanges,
  parseChannelInput,
  publicSettings,
  type Channel,
  type ChannelService,
} from '../alerts/index.ts';
import type { MonitorService } from '../monitors/index.ts';
import { HttpError } from './http-error.ts';
import { parseId } from './params.ts';
import type { Router } from './router.ts';
import { renameFields, restFieldName } from './shapes.ts';

const CHANNEL_FIELDS: Record<string, string> = {
  nom: 'name',
  type: 'kind',
  parametres: 'settings',
  secrets: 'secrets',
  par_defaut: 'isDefault',
  actif: 'enabled',
};

export const CHANNEL_FIELDS_FR = Object.fromEntries(Object.entries(CHANNEL_FIELDS).map(([fr, en]) => [en, fr]));

/** A delivery error (test send, delivery log) naming the settings as REST does: "parametres.ignoreTlsErrors". */
export function restDeliveryError(text: string | null): string | null {
  if (text === null) return null;
  return DELIVERY_ERROR_FIELDS.reduce(
    (words, field) =>
      words.replace(new RegExp(`\\b${field.replace('.', '\\.')}\\b`, 'g'), restFieldName(field, CHANNEL_FIELDS_FR)),
    text,
  );
}

export function canalShape(channel: Channel) {
  return {
    id: channel.id,
    nom: channel.name,
    type: channel.kind,
    parametres: publicSettings(channel),
    par_defaut: channel.isDefault,
    actif: channel.enabled,
    cree_a: channel.createdAt.toISOString(),
    modifie_a: channel.updatedAt.toISOString(),
  };
}

function channelIdsFromRest(body: unknown): number[] {
  const ids = (body as { canaux?: unknown } | null)?.canaux;
  if (!Array.isArray(ids) || !ids.every((id) => Number.isInteger(id) && id > 0)) {
    throw new HttpError(400, 'canaux: expected a list of channel ids, e.g. {"canaux": [1, 2]}');
  }
  return ids as number[];
}

const channelFields = (body: unknown) =>
  renameFields(body, CHANNEL_FIELDS, 'expected a JSON object describing a channel');

export function registerChannelRoutes(router: Router, channels: ChannelService, monitors: MonitorService): void {
  router
    .on('GET', '/api/canaux', 'viewer', async () => ({ body: { canaux: (await channels.list()).map(canalShape) } }))
    .on('POST', '/api/canaux', 'admin', async ({ body }) => ({
      status: 201,
      body: { canal: canalShape(await channels.create(parseChannelInput(channelFields(await body())))) },
    }))
    .on('GET', '/api/canaux/:id', 'viewer', async ({ params }) => ({
      body: { canal: canalShape(await channels.get(parseId(params.id))) },
    }))
    .on('PATCH', '/api/canaux/:id', 'admin', async ({ params, body }) => {
      const id = parseId(params.id);
      return {
        body: { canal: canalShape(await channels.patch(id, parseChannelChanges(channelFields(await body())))) },
      };
    })
    .on('DELETE', '/api/canaux/:id', 'admin', async ({ params }) => {
      await channels.remove(parseId(params.id));
      return { status: 204 };
    })
    .on('POST', '/api/canaux/:id/test', 'admin', async ({ params }) => {
      const result = await channels.sendTest(parseId(params.id));
      return { body: { envoye: result.ok, erreur: restDeliveryError(result.error) } };
    })
    .on('GET', '/api/moniteurs/:id/canaux', 'viewer', async ({ params }) => {
      const monitor = await monitors.get(parseId(params.id));
      return { body: { canaux: await channels.channelsOfMonitor(monitor.id) } };
    })
    .on('PUT', '/api/moniteurs/:id/canaux', 'editor', async ({ params, body }) => {
      const monitor = await monitors.get(parseId(params.id));
      return { body: { canaux: await channels.setChannelsOfMonitor(monitor.id, channelIdsFromRest(await body())) } };
    });
}
