// Messages about syncing: "Sync now" from the popup, and pushes a page asks for.
import type { Handlers } from '@/lib/messages';
import { pushAll, pushCompany, syncAll, syncCompany } from '@/lib/sync';

export const syncHandlers: Pick<Handlers, 'sync.now' | 'outbox.push'> = {
  'sync.now': async ({ realmId }) => {
    void (realmId ? syncCompany(realmId).then(() => pushCompany(realmId)) : syncAll());
    return { started: true };
  },
  'outbox.push': async ({ realmId }) => {
    void (realmId ? pushCompany(realmId) : pushAll());
    return { started: true };
  },
};
