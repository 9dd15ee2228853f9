/** With the u flag only unpaired halves match: a proper pair (an emoji) is one code point. */
const LONE_SURROGATE = /[\ud800-\udfff]/u;

/**
 * Text PostgreSQL can hold as sent: no U+0000 (varchar and jsonb cannot) and no lone UTF-16 surrogate (UTF-8 has
 * no encoding for one; the driver would silently store U+FFFD instead). Sending either as a parameter fails.
 */
export function canStoreText(s: string): boolean {
  return !s.includes('\u0000') && !LONE_SURROGATE.test(s);
}
