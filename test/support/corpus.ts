import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface CorpusCase {
  readonly file: string;
  readonly path: string;
  /** The `# expect:` line's text. */
  readonly expected: string;
  /** Everything after the `# expect:` line. */
  readonly body: string;
}

/** The files of one corpus folder, each opening with `# expect: <outcome>`. */
export function readCorpus(dir: string, extension: string): CorpusCase[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith(extension))
    .sort()
    .map((file) => {
      const path = join(dir, file);
      const text = readFileSync(path, 'utf8');
      const expected = /^# expect: (.+)$/m.exec(text)?.[1] ?? '';
      return { file, path, expected, body: text.slice(text.indexOf('\n') + 1) };
    });
}
