// GraphQL documents of the Status pages screens (managing public pages and their incidents): a lazily loaded chunk.
import { gql } from '@urql/core';
import type { IncidentStatus, StatusPageIncident } from './types.ts';

export interface StatusPageRow {
  id: string;
  slug: string;
  title: string;
  description: string;
  logoUrl: string | null;
  isDefault: boolean;
  sections: Array<{ name: string; monitorIds: string[] }>;
}

export interface StatusPageInput {
  slug: string;
  title: string;
  description: string;
  logoUrl: string | null;
  isDefault: boolean;
  sections: Array<{ name: string; monitorIds: string[] }>;
}

const PAGE_FIELDS = 'id slug title description logoUrl isDefault sections { name monitorIds }';
const INCIDENT_FIELDS = 'id title status createdAt updatedAt resolvedAt messages { id status message createdAt }';

export const StatusPagesQuery = gql<{ statusPages: StatusPageRow[] }, Record<string, never>>(
  `query StatusPages { statusPages { ${PAGE_FIELDS} } }`,
);

export const StatusPageQuery = gql<{ statusPage: StatusPageRow & { incidents: StatusPageIncident[] } }, { id: string }>(
  `query StatusPage($id: ID!) { statusPage(id: $id) { ${PAGE_FIELDS} incidents { ${INCIDENT_FIELDS} } } }`,
);

export const CreateStatusPage = gql<{ createStatusPage: StatusPageRow }, { input: StatusPageInput }>(
  `mutation CreateStatusPage($input: CreateStatusPageInput!) { createStatusPage(input: $input) { ${PAGE_FIELDS} } }`,
);

export const UpdateStatusPage = gql<{ updateStatusPage: StatusPageRow }, { id: string; input: StatusPageInput }>(
  `mutation UpdateStatusPage($id: ID!, $input: UpdateStatusPageInput!) { updateStatusPage(id: $id, input: $input) { ${PAGE_FIELDS} } }`,
);

export const DeleteStatusPage = gql<{ deleteStatusPage: string }, { id: string }>(
  `mutation DeleteStatusPage($id: ID!) { deleteStatusPage(id: $id) }`,
);

export const PostIncident = gql<
  { postStatusPageIncident: StatusPageIncident },
  { pageId: string; input: { title: string; status: IncidentStatus; message: string } }
>(
  `mutation PostIncident($pageId: ID!, $input: StatusPageIncidentInput!) {
    postStatusPageIncident(pageId: $pageId, input: $input) { ${INCIDENT_FIELDS} } }`,
);

export const UpdateIncident = gql<
  { updateStatusPageIncident: StatusPageIncident },
  { id: string; input: { status: IncidentStatus; message: string } }
>(
  `mutation UpdateIncident($id: ID!, $input: StatusPageIncidentUpdateInput!) {
    updateStatusPageIncident(id: $id, input: $input) { ${INCIDENT_FIELDS} } }`,
);
