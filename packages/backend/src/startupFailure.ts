/** The config files a Backstage backend reads, as its config loader picks them from argv. */
export function configFilesFromArgv(argv: string[]): string[] {
  const files: string[] = [];
  argv.forEach((arg, index) => {
    if (arg === '--config' && argv[index + 1]) files.push(argv[index + 1]);
    else if (arg.startsWith('--config='))
      files.push(arg.slice('--config='.length));
  });
  return files.length > 0 ? files : ['app-config.yaml'];
}

/** One message for a failed start that names the problem and, for unreadable config, the files involved. */
export function describeStartupFailure(error: unknown, argv: string[]): string {
  const err = error instanceof Error ? error : new Error(String(error));
  // The YAML parser names the line but not the file; the loader does not add it either.
  const where =
    err.name === 'YAMLParseError'
      ? ` (in one of the config files: ${configFilesFromArgv(argv).join(', ')})`
      : '';
  return `Backend failed to start${where}: ${err.name}: ${err.message}`;
}
