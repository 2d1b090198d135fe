// Messages about the QuickBooks connection: connect (Intuit's consent page) and disconnect.
import { connect, disconnect } from '@/lib/auth/connection';
import type { Handlers } from '@/lib/messages';
import { pushCompany, syncCompany } from '@/lib/sync';

export const connectionHandlers: Pick<Handlers, 'connection.connect' | 'connection.disconnect'> = {
  'connection.connect': async () => {
    const view = await connect();
    // The first load (or, after a reconnect, the changes missed) starts at once; writes that
    // waited for the reconnect go after it.
    void syncCompany(view.realmId).then(() => pushCompany(view.realmId));
    return view;
  },
  'connection.disconnect': ({ realmId }) => disconnect(realmId),
};
