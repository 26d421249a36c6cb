// Alerts, their deliveries, and maintenance windows.
import type { Alert, AlertService, Delivery, DeliveryStatus } from '../alerts/index.ts';
import {
  parseMaintenanceInput,
  type MaintenanceService,
  type MaintenanceWindow,
  singleMonitorId,
} from '../maintenance/index.ts';
import { restDeliveryError } from './channel-routes.ts';
import { HttpError } from './http-error.ts';
import { parseId, parseLimit } from './params.ts';
import type { Router } from './router.ts';
import { renameFields } from './shapes.ts';

export function alerteShape(alert: Alert) {
  return {
    id: alert.id,
    moniteur_id: alert.monitorId,
    type: alert.kind,
    cause: alert.cause,
    statut_id: alert.resultId,
    emplacements: alert.locations,
    cree_a: alert.createdAt.toISOString(),
    acquittee_a: alert.acknowledgedAt?.toISOString() ?? null,
  };
}

const DELIVERY_STATUS: Record<DeliveryStatus, string> = {
  PENDING: 'en_attente',
  DELIVERED: 'livree',
  FAILED: 'echouee',
  SUPPRESSED: 'supprimee',
};

export function livraisonShape(delivery: Delivery) {
  return {
    id: delivery.id,
    alerte_id: delivery.alertId,
    canal_id: delivery.channelId,
    statut: DELIVERY_STATUS[delivery.status],
    tentatives: delivery.attempts,
    prochaine_tentative_a: delivery.status === 'PENDING' ? delivery.nextAttemptAt.toISOString() : null,
    derniere_erreur: restDeliveryError(delivery.lastError),
    raison_suppression: delivery.suppressedReason,
    livree_a: delivery.deliveredAt?.toISOString() ?? null,
    cree_a: delivery.createdAt.toISOString(),
  };
}

function maintenanceShape(window: MaintenanceWindow) {
  return {
    id: window.id,
    nom: window.name,
    // Kept for older clients: the one monitor when the window names exactly one and no tag, else null.
    moniteur_id: singleMonitorId(window),
    moniteurs: window.monitorIds,
    etiquettes: window.tags,
    debut: window.startsAt?.toISOString() ?? null,
    fin: window.endsAt?.toISOString() ?? null,
    cron: window.cron,
    duree_minutes: window.durationMinutes,
    fuseau_horaire: window.timeZone,
    cree_a: window.createdAt.toISOString(),
  };
}

const MAINTENANCE_FIELDS: Record<string, string> = {
  nom: 'name',
  moniteur_id: 'monitorId',
  moniteurs: 'monitorIds',
  etiquettes: 'tags',
  debut: 'startsAt',
  fin: 'endsAt',
  cron: 'cron',
  duree_minutes: 'durationMinutes',
  fuseau_horaire: 'timeZone',
};

export const MAINTENANCE_FIELDS_FR = Object.fromEntries(Object.entries(MAINTENANCE_FIELDS).map(([fr, en]) => [en, fr]));

function parseStatus(raw: string | null): DeliveryStatus | null {
  if (raw === null) return null;
  const status = (Object.keys(DELIVERY_STATUS) as DeliveryStatus[]).find((key) => DELIVERY_STATUS[key] === raw);
  if (!status)
    throw new HttpError(400, `statut: expected one of ${Object.values(DELIVERY_STATUS).join(', ')}, got "${raw}"`);
  return status;
}

export function registerAlertRoutes(router: Router, alerts: AlertService, maintenance: MaintenanceService): void {
  router
    .on('GET', '/api/alertes', 'viewer', async ({ query }) => {
      const monitor = query.get('moniteur');
      const found = await alerts.matching({
        monitorIds: monitor === null ? null : [parseId(monitor)],
        limit: parseLimit(query.get('limit')),
      });
      return { body: { alertes: found.map(alerteShape) } };
    })
    .on('POST', '/api/alertes/:id/acquitter', 'editor', async ({ params }) => ({
      body: { alerte: alerteShape(await alerts.acknowledge(parseId(params.id))) },
    }))
    .on('GET', '/api/alertes/:id/livraisons', 'viewer', async ({ params }) => {
      const deliveries = await alerts.deliveriesMatching({ alertIds: [parseId(params.id)], limit: 500 });
      return { body: { livraisons: deliveries.map(livraisonShape) } };
    })
    .on('GET', '/api/livraisons', 'viewer', async ({ query }) => {
      const channel = query.get('canal');
      const deliveries = await alerts.deliveriesMatching({
        status: parseStatus(query.get('statut')),
        channelIds: channel === null ? null : [parseId(channel, 'canal')],
        limit: parseLimit(query.get('limit')),
      });
      return { body: { livraisons: deliveries.map(livraisonShape) } };
    })
    .on('POST', '/api/livraisons/:id/relancer', 'editor', async ({ params }) => ({
      body: { livraison: livraisonShape(await alerts.retryDelivery(parseId(params.id))) },
    }))
    .on('GET', '/api/maintenances', 'viewer', async () => ({
      body: { maintenances: (await maintenance.list()).map(maintenanceShape) },
    }))
    .on('POST', '/api/maintenances', 'editor', async ({ body }) => {
      const renamed = renameFields(
        await body(),
        MAINTENANCE_FIELDS,
        'expected a JSON object describing a maintenance window',
      );
      return {
        status: 201,
        body: { maintenance: maintenanceShape(await maintenance.create(parseMaintenanceInput(renamed))) },
      };
    })
    .on('PATCH', '/api/maintenances/:id', 'editor', async ({ params, body }) => {
      const id = parseId(params.id);
      const changes = renameFields(await body(), MAINTENANCE_FIELDS, 'expected a JSON object of the fields to change');
      return { body: { maintenance: maintenanceShape(await maintenance.change(id, changes)) } };
    })
    .on('DELETE', '/api/maintenances/:id', 'editor', async ({ params }) => {
      await maintenance.remove(parseId(params.id));
      return { status: 204 };
    });
}
