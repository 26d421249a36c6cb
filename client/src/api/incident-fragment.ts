// An incident or announcement on a status page, as both the public page (plain fetch, no GraphQL client) and the
// Status pages screens read it: plain text, which either interpolates into its documents.
export const STATUS_PAGE_INCIDENT_FRAGMENT = /* GraphQL */ `
  fragment StatusPageIncident on StatusPageIncident {
    id title status createdAt updatedAt resolvedAt messages { id status message createdAt }
  }
`;
