// The bucket of a latency, written independently of monitoring.seau_latence (sql/005_rollups.sql), which computes it
// in the database: the tests check the SQL function and the server's bucketBounds against it.
export function bucketOf(ms: number): number {
  if (ms < 32) return ms;
  const power = 31 - Math.clz32(ms);
  return 32 + (power - 5) * 16 + ((ms >>> (power - 4)) & 15);
}
