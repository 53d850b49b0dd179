declare module "async-exit-hook" {
  type Hook = ((done: () => void) => void) | (() => void);
  interface AsyncExitHook {
    (hook: Hook): void;
    unhookEvent(event: string): void;
    hookEvent(event: string, code?: number, filter?: (...args: unknown[]) => boolean): void;
  }
  const asyncExitHook: AsyncExitHook;
  export default asyncExitHook;
}
