// Run by metadata-monitors.test.ts inside an empty network namespace (`unshare -rn`, loopback only): monitor checks
// of a name that a DNS server on loopback resolves to 169.254.169.254. Prints one JSON line of outcomes.
// A connect attempt could not leave the namespace and would fail with ENETUNREACH (cause "unreachable"); the
// policy's refusal happens inside the name lookup, before any connect, and gives cause "blocked_address".
import { createAddressPolicies, runCheck, type CheckKind } from '../../../server/checks/index.ts';
import { startDnsServer } from '../../helpers/dns.ts';

const allowed = process.argv[2] ? process.argv[2].split(',') : [];
const dns = await startDnsServer({ 'metadata.vigie.test': ['169.254.169.254'] });
const { monitors } = createAddressPolicies({ deniedNetworks: [], allowedNetworks: allowed }, dns.resolve);
const targets: Partial<Record<CheckKind, string>> = {
  http: 'http://metadata.vigie.test/latest/meta-data/',
  tcp: 'metadata.vigie.test:80',
  icmp: 'metadata.vigie.test',
};
const outcomes: Record<string, { cause: string | null; error: string | null }> = {};
for (const [kind, target] of Object.entries(targets) as Array<[CheckKind, string]>) {
  const outcome = await runCheck({ kind, target, timeoutMs: 3000, addressPolicy: monitors });
  outcomes[kind] = { cause: outcome.cause, error: outcome.error };
}
// A literal address never goes through the lookup: it is refused before the socket is made.
const literal = await runCheck({
  kind: 'http',
  target: 'http://169.254.169.254/',
  timeoutMs: 3000,
  addressPolicy: monitors,
});
outcomes.literal = { cause: literal.cause, error: literal.error };
process.stdout.write(`${JSON.stringify({ outcomes, dnsQueries: dns.queries })}\n`);
await dns.close();
