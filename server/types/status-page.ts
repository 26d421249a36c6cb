// Status pages: public pages listing chosen monitors in sections, with the incidents their operators post.

export type IncidentStatus = 'investigating' | 'identified' | 'monitoring' | 'resolved';

export interface StatusPageSection {
  name: string;
  /** In the order shown. */
  monitorIds: number[];
}

/** A status page's settings, as stored. */
export interface StatusPageSettings {
  /** Its address: /status/<slug>. */
  slug: string;
  title: string;
  description: string;
  logoUrl: string | null;
  /** The page served at /status; at most one is. */
  isDefault: boolean;
  sections: StatusPageSection[];
}

export interface StatusPage extends StatusPageSettings {
  id: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface IncidentMessage {
  id: number;
  /** The status the incident moved to with this message. */
  status: IncidentStatus;
  message: string;
  createdAt: Date;
}

export interface StatusPageIncident {
  id: number;
  pageId: number;
  title: string;
  status: IncidentStatus;
  createdAt: Date;
  updatedAt: Date;
  resolvedAt: Date | null;
  /** Oldest first. */
  messages: IncidentMessage[];
}
