// Messages about the QuickBooks connection: connect (Intuit's consent page) and disconnect.
import { connect, disconnect } from '@/lib/auth/connection';
import type { Handlers } from '@/lib/messages';
import { syncCompany } from '@/lib/sync';

export const connectionHandlers: Pick<Handlers, 'connection.connect' | 'connection.disconnect'> = {
  'connection.connect': async () => {
    const view = await connect();
    // The first load (or, after a reconnect, the changes missed) starts at once.
    void syncCompany(view.realmId);
    return view;
  },
  'connection.disconnect': ({ realmId }) => disconnect(realmId),
};
