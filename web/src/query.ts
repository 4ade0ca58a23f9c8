// Query strings for the API and for `#/search?…` hashes.

export type QueryParams = Record<string, string | number | boolean | null | undefined>;

/**
 * `{kana:'ヤマ', kanji:'', limit:50}` → `?kana=%E3%83%A4%E3%83%9E&limit=50`.
 * Values are trimmed; empty strings, null, undefined and `false` are omitted (the API treats a
 * present-but-empty parameter as a condition); `true` becomes `1`. Keys keep their given order.
 * Returns '' when nothing is left, so it can be appended to a path unconditionally.
 */
export function buildQuery(params: QueryParams): string {
  const parts: string[] = [];
  for (const [key, raw] of Object.entries(params)) {
    if (raw === null || raw === undefined || raw === false) continue;
    const value = raw === true ? '1' : String(raw).trim();
    if (value === '') continue;
    parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(value)}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

/** `?a=1&b=%E3%83%A4` or `a=1&b=…` → `{a:'1', b:'ヤ'}`; a later duplicate key wins. */
export function parseQuery(qs: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(qs.startsWith('?') ? qs.slice(1) : qs)) out[k] = v;
  return out;
}
