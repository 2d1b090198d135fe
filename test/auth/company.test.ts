// Which company the popup and host apps are shown against when several are connected.
import { describe, expect, it } from 'vitest';
import { activeCompany } from '../../lib/auth/connection';
import type { Connection } from '../../lib/db';

describe('the active company', () => {
  const c = (realmId: string, status: Connection['status'], connectedAt: number) => ({ realmId, status, connectedAt });
  it('is the newest connected one, else the newest that needs reconnecting, else the newest', () => {
    expect(activeCompany([c('1', 'connected', 1), c('2', 'needs-reconnect', 3), c('3', 'connected', 2)])?.realmId).toBe('3');
    expect(activeCompany([c('1', 'disconnected', 3), c('2', 'needs-reconnect', 1), c('3', 'needs-reconnect', 2)])?.realmId).toBe('3');
    expect(activeCompany([c('1', 'disconnected', 1), c('2', 'disconnected', 2)])?.realmId).toBe('2');
    expect(activeCompany([])).toBeUndefined();
  });
});
