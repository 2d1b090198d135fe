// The one content script. It is registered at run time, only for host apps the user enabled,
// and reads their pages with a site profile (lib/hosts).
export default defineContentScript({
  registration: 'runtime',
  matches: [],
  main() {},
});
