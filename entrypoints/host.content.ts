// The one content script. It is registered at run time, only for the host apps the user enabled
// and allowed (lib/hosts/registry.ts), and decorates their pages with a site profile.
import { decorate } from '@/lib/hosts/content';

export default defineContentScript({
  registration: 'runtime',
  matches: [],
  // From the start, so records are badged as the page's rows are parsed.
  runAt: 'document_start',
  // WXT would also announce each copy to the page by postMessage; the DOM event is enough.
  noScriptStartedPostMessage: true,
  main(ctx) {
    void decorate(ctx);
  },
});
