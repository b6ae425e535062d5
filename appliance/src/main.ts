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

const [name, ...rest] = process.argv.slice(2);
const load = name === undefined ? undefined : subcommands[name];
if (load === undefined) {
  console.error(name === undefined || name === "--help" || name === "-h" ? usage : `unknown subcommand "${name}"\n${usage}`);
  process.exit(name === "--help" || name === "-h" ? 0 : 2);
}
const module = await load();
process.exitCode = await module.main(rest);
