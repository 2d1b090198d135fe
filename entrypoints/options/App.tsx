// Options: the QuickBooks connection, host apps, and the full log.
import { Header } from '@/components/Header';

export function App() {
  return (
    <main>
      <Header title="QuickBooks Companion settings" />
      <section style={{ padding: 16, maxWidth: 880 }}>
        <h2>Connection</h2>
        <p className="muted">Not connected to QuickBooks.</p>
      </section>
    </main>
  );
}
