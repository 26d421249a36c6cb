// monitoring.utilisateurs, sessions, cles_api and parametres <-> users, sessions and API keys.
import type { ApiKey, Role, User } from '../../types/index.ts';
import type { Queryable } from '../types.ts';

interface UserRow {
  id: number;
  email: string;
  nom: string;
  role: Role;
  mot_de_passe: string;
  cree_a: Date;
  modifie_a: Date;
}

const toUser = (row: UserRow): User => ({
  id: row.id,
  email: row.email,
  name: row.nom,
  role: row.role,
  createdAt: row.cree_a,
  updatedAt: row.modifie_a,
});

interface ApiKeyRow {
  id: number;
  utilisateur_id: number;
  nom: string;
  role: Role;
  cree_a: Date;
  derniere_utilisation_a: Date | null;
  revoquee_a: Date | null;
}

const toApiKey = (row: ApiKeyRow): ApiKey => ({
  id: row.id,
  userId: row.utilisateur_id,
  name: row.nom,
  role: row.role,
  createdAt: row.cree_a,
  lastUsedAt: row.derniere_utilisation_a,
  revokedAt: row.revoquee_a,
});

const API_KEY_COLUMNS = 'id, utilisateur_id, nom, role, cree_a, derniere_utilisation_a, revoquee_a';

export async function countUsers(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM monitoring.utilisateurs');
  return rows[0]!.n;
}

export interface UserRecord {
  email: string;
  name: string;
  role: Role;
  passwordHash: string;
}

/** Null when the email is taken (case-insensitively). */
export async function insertUser(db: Queryable, user: UserRecord): Promise<User | null> {
  const { rows } = await db.query<UserRow>(
    `INSERT INTO monitoring.utilisateurs (email, nom, role, mot_de_passe) VALUES ($1, $2, $3, $4)
     ON CONFLICT ((lower(email))) DO NOTHING RETURNING *`,
    [user.email, user.name, user.role, user.passwordHash],
  );
  return rows[0] ? toUser(rows[0]) : null;
}

/** Creates the first user only while there is none; null otherwise. Serialised by a table lock. */
export async function insertFirstUser(tx: Queryable, user: UserRecord): Promise<User | null> {
  await tx.query('LOCK TABLE monitoring.utilisateurs IN EXCLUSIVE MODE');
  if ((await countUsers(tx)) > 0) return null;
  return insertUser(tx, user);
}

export async function findUserWithPassword(
  db: Queryable,
  email: string,
): Promise<{ user: User; passwordHash: string } | null> {
  const { rows } = await db.query<UserRow>('SELECT * FROM monitoring.utilisateurs WHERE lower(email) = lower($1)', [
    email,
  ]);
  return rows[0] ? { user: toUser(rows[0]), passwordHash: rows[0].mot_de_passe } : null;
}

export async function passwordHashOf(db: Queryable, userId: number): Promise<string | null> {
  const { rows } = await db.query<{ mot_de_passe: string }>(
    'SELECT mot_de_passe FROM monitoring.utilisateurs WHERE id = $1',
    [userId],
  );
  return rows[0]?.mot_de_passe ?? null;
}

export async function getUser(db: Queryable, id: number): Promise<User | null> {
  const { rows } = await db.query<UserRow>('SELECT * FROM monitoring.utilisateurs WHERE id = $1', [id]);
  return rows[0] ? toUser(rows[0]) : null;
}

export async function listUsers(db: Queryable): Promise<User[]> {
  const { rows } = await db.query<UserRow>('SELECT * FROM monitoring.utilisateurs ORDER BY id');
  return rows.map(toUser);
}

export interface UserChanges {
  name?: string;
  role?: Role;
  passwordHash?: string;
}

export async function updateUser(db: Queryable, id: number, changes: UserChanges): Promise<User | null> {
  const { rows } = await db.query<UserRow>(
    `UPDATE monitoring.utilisateurs
        SET nom = coalesce($2, nom), role = coalesce($3, role), mot_de_passe = coalesce($4, mot_de_passe), modifie_a = now()
      WHERE id = $1 RETURNING *`,
    [id, changes.name ?? null, changes.role ?? null, changes.passwordHash ?? null],
  );
  return rows[0] ? toUser(rows[0]) : null;
}

export async function deleteUser(db: Queryable, id: number): Promise<boolean> {
  const { rowCount } = await db.query('DELETE FROM monitoring.utilisateurs WHERE id = $1', [id]);
  return rowCount > 0;
}

/** Counts the admins, locking their rows until the transaction ends: two admins demoting or deleting each other at once are serialised, and the second sees the first's change. */
export async function lockAdmins(tx: Queryable): Promise<number> {
  const { rows } = await tx.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM (SELECT 1 FROM monitoring.utilisateurs WHERE role = 'admin' FOR UPDATE) AS admins`,
  );
  return rows[0]!.n;
}

export async function insertSession(
  db: Queryable,
  session: { id: string; userId: number; expiresAt: Date },
): Promise<void> {
  await db.query('INSERT INTO monitoring.sessions (id, utilisateur_id, expire_a) VALUES ($1, $2, $3)', [
    session.id,
    session.userId,
    session.expiresAt,
  ]);
}

/** The user of a live session (not revoked, not expired) and when it expires, or null. */
export async function findLiveSession(
  db: Queryable,
  sessionId: string,
): Promise<{ user: User; expiresAt: Date } | null> {
  const { rows } = await db.query<UserRow & { session_expire_a: Date }>(
    `SELECT u.*, s.expire_a AS session_expire_a FROM monitoring.sessions s JOIN monitoring.utilisateurs u ON u.id = s.utilisateur_id
      WHERE s.id = $1 AND s.revoquee_a IS NULL AND s.expire_a > now()`,
    [sessionId],
  );
  return rows[0] ? { user: toUser(rows[0]), expiresAt: rows[0].session_expire_a } : null;
}

export async function revokeSession(db: Queryable, sessionId: string): Promise<void> {
  await db.query('UPDATE monitoring.sessions SET revoquee_a = now() WHERE id = $1 AND revoquee_a IS NULL', [sessionId]);
}

/** Revokes every live session of a user but `keep` (the one changing its password); returns the revoked ids. */
export async function revokeSessionsOfUser(
  db: Queryable,
  userId: number,
  keep: string | null = null,
): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `UPDATE monitoring.sessions SET revoquee_a = now()
      WHERE utilisateur_id = $1 AND revoquee_a IS NULL AND ($2::uuid IS NULL OR id <> $2::uuid) RETURNING id`,
    [userId, keep],
  );
  return rows.map((row) => row.id);
}

/** Expired and revoked sessions are kept a day for the record, then removed. */
export async function deleteStaleSessions(db: Queryable): Promise<number> {
  const { rowCount } = await db.query(
    `DELETE FROM monitoring.sessions WHERE expire_a < now() - interval '1 day' OR revoquee_a < now() - interval '1 day'`,
  );
  return rowCount;
}

export async function insertApiKey(
  db: Queryable,
  key: { userId: number; name: string; role: Role; digest: string },
): Promise<ApiKey> {
  const { rows } = await db.query<ApiKeyRow>(
    `INSERT INTO monitoring.cles_api (utilisateur_id, nom, role, empreinte) VALUES ($1, $2, $3, $4) RETURNING ${API_KEY_COLUMNS}`,
    [key.userId, key.name, key.role, key.digest],
  );
  return toApiKey(rows[0]!);
}

/** A live key with its digest and its owner. */
export async function findApiKey(
  db: Queryable,
  id: number,
): Promise<{ key: ApiKey; digest: string; owner: User } | null> {
  const { rows } = await db.query<ApiKeyRow & { empreinte: string; proprietaire: UserRow }>(
    `SELECT k.id, k.utilisateur_id, k.nom, k.role, k.cree_a, k.derniere_utilisation_a, k.revoquee_a, k.empreinte,
            row_to_json(u) AS proprietaire
       FROM monitoring.cles_api k JOIN monitoring.utilisateurs u ON u.id = k.utilisateur_id
      WHERE k.id = $1 AND k.revoquee_a IS NULL`,
    [id],
  );
  const row = rows[0];
  if (!row) return null;
  const owner = {
    ...row.proprietaire,
    cree_a: new Date(row.proprietaire.cree_a),
    modifie_a: new Date(row.proprietaire.modifie_a),
  };
  return { key: toApiKey(row), digest: row.empreinte, owner: toUser(owner) };
}

/** Records a use, at most once a minute per key (a busy integration would otherwise write on every request). */
export async function touchApiKey(db: Queryable, id: number): Promise<void> {
  await db.query(
    `UPDATE monitoring.cles_api SET derniere_utilisation_a = now()
      WHERE id = $1 AND (derniere_utilisation_a IS NULL OR derniere_utilisation_a < now() - interval '1 minute')`,
    [id],
  );
}

/** The keys of one user, or of everyone (userId null), newest first. */
export async function listApiKeys(db: Queryable, userId: number | null): Promise<ApiKey[]> {
  const { rows } = await db.query<ApiKeyRow>(
    `SELECT ${API_KEY_COLUMNS} FROM monitoring.cles_api WHERE $1::int IS NULL OR utilisateur_id = $1 ORDER BY id DESC`,
    [userId],
  );
  return rows.map(toApiKey);
}

export async function getApiKey(db: Queryable, id: number): Promise<ApiKey | null> {
  const { rows } = await db.query<ApiKeyRow>(`SELECT ${API_KEY_COLUMNS} FROM monitoring.cles_api WHERE id = $1`, [id]);
  return rows[0] ? toApiKey(rows[0]) : null;
}

export async function revokeApiKey(db: Queryable, id: number): Promise<ApiKey | null> {
  const { rows } = await db.query<ApiKeyRow>(
    `UPDATE monitoring.cles_api SET revoquee_a = coalesce(revoquee_a, now()) WHERE id = $1 RETURNING ${API_KEY_COLUMNS}`,
    [id],
  );
  return rows[0] ? toApiKey(rows[0]) : null;
}

/** Revokes every live key of a user (their password changed); returns the revoked ids. */
export async function revokeApiKeysOfUser(db: Queryable, userId: number): Promise<number[]> {
  const { rows } = await db.query<{ id: number }>(
    'UPDATE monitoring.cles_api SET revoquee_a = now() WHERE utilisateur_id = $1 AND revoquee_a IS NULL RETURNING id',
    [userId],
  );
  return rows.map((row) => row.id);
}

/** A shared setting; `fallback` is stored first when absent, so every instance reads the same value. */
export async function readOrCreateSetting(db: Queryable, key: string, fallback: string): Promise<string> {
  await db.query('INSERT INTO monitoring.parametres (cle, valeur) VALUES ($1, $2) ON CONFLICT (cle) DO NOTHING', [
    key,
    fallback,
  ]);
  const { rows } = await db.query<{ valeur: string }>('SELECT valeur FROM monitoring.parametres WHERE cle = $1', [key]);
  return rows[0]!.valeur;
}

// A NOTIFY payload must stay under 8000 bytes: 100 session ids (39 bytes each in JSON) take about 4 kB.
const SESSION_IDS_PER_NOTIFY = 100;

/** Tells every instance (on `channel`) that access changed, so they close the affected live subscriptions; many sessions go in several notifications. */
export async function notifyAccessRevoked(
  db: Queryable,
  channel: string,
  change: { userId?: number; sessionIds?: string[]; apiKeyId?: number },
): Promise<void> {
  const { sessionIds = [], ...rest } = change;
  const payloads = [
    JSON.stringify(sessionIds.length ? { ...rest, sessionIds: sessionIds.slice(0, SESSION_IDS_PER_NOTIFY) } : rest),
  ];
  for (let start = SESSION_IDS_PER_NOTIFY; start < sessionIds.length; start += SESSION_IDS_PER_NOTIFY) {
    payloads.push(JSON.stringify({ sessionIds: sessionIds.slice(start, start + SESSION_IDS_PER_NOTIFY) }));
  }
  await db.query('SELECT pg_notify($1, payload) FROM unnest($2::text[]) AS payload', [channel, payloads]);
}

/**
 * Which of these sessions and API keys still hold (not revoked, not expired, their user not deleted), with the
 * role they act with now: live channels opened with them are checked against it.
 */
export async function readLiveAccess(
  db: Queryable,
  sessionIds: string[],
  apiKeyIds: number[],
): Promise<{ sessions: Map<string, Role>; apiKeys: Map<number, { keyRole: Role; ownerRole: Role }> }> {
  const [sessions, apiKeys] = await Promise.all([
    sessionIds.length
      ? db.query<{ id: string; role: Role }>(
          `SELECT s.id::text AS id, u.role FROM monitoring.sessions s JOIN monitoring.utilisateurs u ON u.id = s.utilisateur_id
            WHERE s.id = ANY($1::uuid[]) AND s.revoquee_a IS NULL AND s.expire_a > now()`,
          [sessionIds],
        )
      : { rows: [] },
    apiKeyIds.length
      ? db.query<{ id: number; role: Role; owner_role: Role }>(
          `SELECT k.id, k.role, u.role AS owner_role FROM monitoring.cles_api k JOIN monitoring.utilisateurs u ON u.id = k.utilisateur_id
            WHERE k.id = ANY($1::int[]) AND k.revoquee_a IS NULL`,
          [apiKeyIds],
        )
      : { rows: [] },
  ]);
  return {
    sessions: new Map(sessions.rows.map((row) => [row.id, row.role])),
    apiKeys: new Map(apiKeys.rows.map((row) => [row.id, { keyRole: row.role, ownerRole: row.owner_role }])),
  };
}
