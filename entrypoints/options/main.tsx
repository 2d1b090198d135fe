import { createRoot } from 'react-dom/client';
import '@/components/theme.css';
import { requestPush } from '@/lib/sync';
import { enqueue, outboxCounts } from '@/lib/sync/outbox';
import { App } from './App';

// The browser tests' way in (the e2e build only): enqueue writes as a workflow of this page would.
if (import.meta.env.MODE === 'e2e') Object.assign(globalThis, { qbcTest: { enqueue, requestPush, outboxCounts } });

createRoot(document.getElementById('root')!).render(<App />);
