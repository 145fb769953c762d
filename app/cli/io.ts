/** Where CLI commands write: stdout for results (JSON stays clean), stderr for progress and errors. */
export interface CliIo {
  out(s: string): void;
  err(s: string): void;
}

export const processIo: CliIo = {
  out: (s) => { process.stdout.write(s.endsWith('\n') ? s : `${s}\n`); },
  err: (s) => { process.stderr.write(s.endsWith('\n') ? s : `${s}\n`); },
};

/** `--name value` or `--name=value`. */
export function flag(args: string[], name: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === `--${name}`) return args[i + 1];
    if (args[i].startsWith(`--${name}=`)) return args[i].slice(name.length + 3);
  }
  return undefined;
}

export const has = (args: string[], name: string): boolean => args.includes(`--${name}`);
