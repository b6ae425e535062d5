/**
 * tree-app: the visitor-facing appliance. One binary, three subcommands:
 *   serve   the web app, scheduler and sandbox
 *   check   the upload-time verdict for one program, as JSON
 *   run     one program in the sandbox, result as JSON on the last line
 */
const subcommands: Record<string, () => Promise<{ main(args: string[]): Promise<number> }>> = {
  serve: () => import("./cli/serve.ts"),
  check: () => import("./cli/check.ts"),
  run: () => import("./cli/run.ts"),
};

const usage = `usage: tree-app <serve|check|run> [options]
  serve [--port P] [--data-dir DIR] [--gpio-socket PATH] [--config FILE]
  check FILE
  run FILE --led-count N [--time-limit S] [--frames OUT.jsonl] [--skip-check]`;

const [subcommand, ...rest] = process.argv.slice(2);
const wantsHelp = subcommand === "--help" || subcommand === "-h";
const load = subcommand === undefined ? undefined : subcommands[subcommand];
if (load === undefined) {
  console.error(subcommand === undefined || wantsHelp ? usage : `unknown subcommand "${subcommand}"\n${usage}`);
  process.exit(wantsHelp ? 0 : 2);
}
const loaded = await load();
process.exitCode = await loaded.main(rest);

export {};
