// The side panel: matching host records with QuickBooks vendors and customers.
import { Header } from '@/components/Header';

export function App() {
  return (
    <main>
      <Header title="QuickBooks Companion" />
      <section style={{ padding: 14 }}>
        <p className="muted">Open a host app page to match its records with QuickBooks.</p>
      </section>
    </main>
  );
}
