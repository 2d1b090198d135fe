// Seals tokens with AES-GCM under a key that cannot be exported: the key lives in the
// extension's IndexedDB as a non-extractable CryptoKey, so code can use it but nothing, not
// even this extension, can read its bytes. A copy of the database alone reveals no token.
import { db, type Sealed } from '../db';
import { readSetting, SETTINGS, writeSetting } from '../db/settings';

let keyPromise: Promise<CryptoKey> | undefined;

async function loadKey(): Promise<CryptoKey> {
  const existing = await readSetting(SETTINGS.tokenKey);
  if (existing) return existing;
  const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
  // Two contexts may race to create the key: the first one stored wins, the other adopts it.
  return db.transaction('rw', db.settings, async () => {
    const again = await readSetting(SETTINGS.tokenKey);
    if (again) return again;
    await writeSetting(SETTINGS.tokenKey, key);
    return key;
  });
}

function key() {
  keyPromise ??= loadKey().catch((e) => {
    keyPromise = undefined;
    throw e;
  });
  return keyPromise;
}

export async function seal(secret: string): Promise<Sealed> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, await key(), new TextEncoder().encode(secret));
  return { iv, data };
}

export async function unseal(sealed: Sealed): Promise<string> {
  const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: sealed.iv }, await key(), sealed.data);
  return new TextDecoder().decode(plain);
}
