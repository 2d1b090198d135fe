// The toolbar popup: is QuickBooks connected, and what happened lately.
import { useEffect, useState } from 'react';
import { browser } from 'wxt/browser';
import { Header } from '@/components/Header';
import { sendToWorker } from '@/lib/messages/runtime';

export function App() {
  const [worker, setWorker] = useState<'checking' | 'ready' | 'unavailable'>('checking');
  useEffect(() => {
    sendToWorker('ping', {}).then(
      () => setWorker('ready'),
      () => setWorker('unavailable'),
    );
  }, []);
  return (
    <main style={{ width: 360 }}>
      <Header title="QuickBooks Companion" />
      <section style={{ padding: 14 }}>
        <p className="status" data-testid="worker-status">
          <span className={`dot ${worker === 'ready' ? 'ok' : worker === 'unavailable' ? 'bad' : ''}`} />
          {worker === 'ready' ? 'Background sync is running' : worker === 'unavailable' ? 'Background sync is not answering' : 'Checking…'}
        </p>
        <p className="muted">Not connected to QuickBooks yet.</p>
        <button className="primary" onClick={() => browser.runtime.openOptionsPage()}>
          Connect to QuickBooks
        </button>
      </section>
    </main>
  );
}
