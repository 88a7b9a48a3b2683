const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** Text as a URL-safe token: base64url of its UTF-8 bytes, unpadded. */
export function encodeBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A token from a link read back as text; a link is untrusted, so anything odd is a problem, not a throw. */
export function decodeBase64Url(token: string): { ok: true; text: string } | { ok: false; problem: 'is not valid base64url' | 'could not be decoded' } {
  if (!BASE64URL.test(token) || token.length % 4 === 1) return { ok: false, problem: 'is not valid base64url' };
  try {
    const binary = atob(token.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(token.length / 4) * 4, '='));
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))) };
  } catch {
    return { ok: false, problem: 'could not be decoded' };
  }
}
