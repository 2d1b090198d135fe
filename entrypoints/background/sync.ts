// Messages about syncing: "Sync now" from the popup.
import type { Handlers } from '@/lib/messages';
import { syncAll, syncCompany } from '@/lib/sync';

export const syncHandlers: Pick<Handlers, 'sync.now'> = {
  'sync.now': async ({ realmId }) => {
    void (realmId ? syncCompany(realmId) : syncAll());
    return { started: true };
  },
};
