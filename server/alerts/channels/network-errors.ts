// Names for the socket errors both HTTP and SMTP deliveries meet, and which of them a retry cannot fix.

// TLS certificate problems need a person to fix them; retrying within minutes does not help.
const CERTIFICATE_ERRORS =
  /^(CERT_|ERR_TLS_CERT|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_(VERIFY|GET_ISSUER))/;

const NETWORK_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  EPIPE: 'connection closed while sending',
};

/**
 * A TLS failure that is a matter of settings (a rejected certificate, TLS spoken to a plain-text port), described
 * for the user; null for anything else. Such failures are not retryable.
 */
export function describeTlsSetupError(code: string | undefined, message = ''): string | null {
  if (code === undefined) return null;
  if (CERTIFICATE_ERRORS.test(code)) return `TLS certificate rejected (${code})`;
  // Node reports it as EPROTO with OpenSSL's text from sockets, ERR_SSL_WRONG_VERSION_NUMBER elsewhere.
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || (code === 'EPROTO' && /wrong version number/i.test(message))) {
    return 'the server does not speak TLS on this port';
  }
  return null;
}

/** A short description of a socket error code, or null when it is not one of the common ones. */
export function describeNetworkError(code: string | undefined): string | null {
  return (code && NETWORK_ERRORS[code]) || null;
}
