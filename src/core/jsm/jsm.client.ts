/**
 * The few Jira Service Management Cloud REST calls the connector makes (Basic auth with the
 * account's e-mail and API token). Every answer is a value: the caller decides what retries.
 */
import type { JsmSettings } from '../config.ts';

export type JsmResponse =
  | { ok: true; status: number; body: unknown }
  | { ok: false; retry: boolean; status: number | null; error: string; retryAfterMs?: number };

export async function jsmCall(
  settings: JsmSettings,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<JsmResponse> {
  const auth = Buffer.from(`${settings.email}:${settings.apiToken}`).toString('base64');
  try {
    const response = await fetch(`${settings.url}${path}`, {
      method,
      signal: AbortSignal.timeout(settings.timeoutMs),
      headers: {
        authorization: `Basic ${auth}`,
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = text;
    }
    if (response.ok) return { ok: true, status: response.status, body: parsed };
    const retryAfter = response.headers.get('retry-after');
    const retry = response.status === 429 || response.status >= 500;
    return {
      ok: false,
      retry,
      status: response.status,
      error: `JSM answered ${response.status} to ${method} ${path}: ${errorText(parsed)}`,
      ...(retryAfter && /^\d+$/.test(retryAfter) ? { retryAfterMs: Number(retryAfter) * 1000 } : {}),
    };
  } catch (error) {
    const name = (error as Error).name;
    return {
      ok: false,
      retry: true,
      status: null,
      error:
        name === 'TimeoutError'
          ? `JSM did not answer within ${settings.timeoutMs} ms`
          : `JSM is unreachable: ${(error as Error).message}`,
    };
  }
}

function errorText(body: unknown): string {
  if (body && typeof body === 'object' && 'errorMessage' in body) return String(body.errorMessage);
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return (text ?? '').slice(0, 200);
}
