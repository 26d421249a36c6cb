// GraphQL documents of the Status pages screens (managing public pages and their incidents): a lazily loaded chunk.
import { gql } from '@urql/core';
import type * as Generated from './generated.ts';
import { STATUS_PAGE_INCIDENT_FRAGMENT } from './incident-fragment.ts';

export type StatusPageRow = Generated.StatusPageRowFragment;
export type StatusPageInput = Generated.CreateStatusPageInput;

const StatusPageRowFields = gql`
  fragment StatusPageRow on StatusPage { id slug title description logoUrl isDefault sections { name monitorIds } }
`;

export const StatusPagesQuery = gql<Generated.StatusPagesQuery, Generated.StatusPagesQueryVariables>`
  query StatusPages { statusPages { ...StatusPageRow } }
  ${StatusPageRowFields}
`;

export const StatusPageQuery = gql<Generated.StatusPageQuery, Generated.StatusPageQueryVariables>`
  query StatusPage($id: ID!) { statusPage(id: $id) { ...StatusPageRow incidents { ...StatusPageIncident } } }
  ${StatusPageRowFields}
  ${STATUS_PAGE_INCIDENT_FRAGMENT}
`;

export const CreateStatusPage = gql<Generated.CreateStatusPageMutation, Generated.CreateStatusPageMutationVariables>`
  mutation CreateStatusPage($input: CreateStatusPageInput!) { createStatusPage(input: $input) { ...StatusPageRow } }
  ${StatusPageRowFields}
`;

export const UpdateStatusPage = gql<Generated.UpdateStatusPageMutation, Generated.UpdateStatusPageMutationVariables>`
  mutation UpdateStatusPage($id: ID!, $input: UpdateStatusPageInput!) {
    updateStatusPage(id: $id, input: $input) { ...StatusPageRow }
  }
  ${StatusPageRowFields}
`;

export const DeleteStatusPage = gql<Generated.DeleteStatusPageMutation, Generated.DeleteStatusPageMutationVariables>`
  mutation DeleteStatusPage($id: ID!) { deleteStatusPage(id: $id) }
`;

export const PostIncident = gql<Generated.PostIncidentMutation, Generated.PostIncidentMutationVariables>`
  mutation PostIncident($pageId: ID!, $input: StatusPageIncidentInput!) {
    postStatusPageIncident(pageId: $pageId, input: $input) { ...StatusPageIncident }
  }
  ${STATUS_PAGE_INCIDENT_FRAGMENT}
`;

export const UpdateIncident = gql<Generated.UpdateIncidentMutation, Generated.UpdateIncidentMutationVariables>`
  mutation UpdateIncident($id: ID!, $input: StatusPageIncidentUpdateInput!) {
    updateStatusPageIncident(id: $id, input: $input) { ...StatusPageIncident }
  }
  ${STATUS_PAGE_INCIDENT_FRAGMENT}
`;
