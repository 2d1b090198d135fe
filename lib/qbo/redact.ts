// Keeps tokens and secrets out of logs: request and response bodies are redacted before they
// are stored or shown, and kept short.

const SECRET_KEY = /token|secret|password|authorization|^code$|ssn|taxidentifier|bankaccountnumber/i;
const SECRET_IN_TEXT = /((?:access_token|refresh_token|id_token|client_secret|code|token)=)[^&\s"]+/gi;
const BEARER = /(Bearer\s+)[A-Za-z0-9._~+/=-]+/g;
export const MAX_LOGGED_CHARS = 16_000;
/** Reads (query pages of a megabyte) keep a shorter excerpt: enough to see what came back. */
export const MAX_LOGGED_READ_CHARS = 3_000;

export function redactValue(value: unknown, depth = 0): unknown {
  if (depth > 20) return '[…]';
  if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY.test(k) && v !== null && typeof v !== 'object' ? '[redacted]' : redactValue(v, depth + 1);
    return out;
  }
  return value;
}

// Secret-named JSON string values, matched even when truncation cut the value short.
const SECRET_JSON_VALUE = /("[^"]*(?:token|secret|password|authorization|ssn|taxidentifier|bankaccountnumber)[^"]*"\s*:\s*)"(?:[^"\\]|\\.)*(?:"|$)/gi;

/**
 * A body as it may be logged: secrets redacted, then cut to MAX_LOGGED_CHARS. Small JSON bodies
 * are redacted key by key; large ones (query pages of a megabyte and more) are cut first and
 * redacted by pattern, so logging never costs more than the request itself.
 */
export function redactText(text: string | undefined, max = MAX_LOGGED_CHARS): string | undefined {
  if (text === undefined || text === '') return text;
  const more = text.length - max;
  if (more <= 0) {
    try {
      return JSON.stringify(redactValue(JSON.parse(text))).slice(0, max);
    } catch {
      /* not JSON: redact by pattern below */
    }
  }
  const head = (more > 0 ? text.slice(0, max) : text)
    .replace(SECRET_JSON_VALUE, '$1"[redacted]"')
    .replace(SECRET_IN_TEXT, '$1[redacted]')
    .replace(BEARER, '$1[redacted]');
  return more > 0 ? `${head}… (${more} more characters)` : head;
}

/** A URL as it may be logged: secret query parameters redacted. */
export function redactUrl(url: string): string {
  return url.replace(SECRET_IN_TEXT, '$1[redacted]');
}
