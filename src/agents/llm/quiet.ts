/**
 * @langchain/core prints "New LangChain packages are available…" with console.warn whenever a
 * provider's tool call carries arguments that are not JSON (an invalid answer we already record).
 * It is advice for LangChain's own developers, not for a helpdesk user's console: drop just that one.
 */
const NOTICE = 'New LangChain packages are available';
let installed = false;

export function quietLangChainNotices(): void {
  if (installed) return;
  installed = true;
  const warn = console.warn.bind(console);
  console.warn = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && args[0].startsWith(NOTICE)) return;
    warn(...args);
  };
}
