import { main } from './cli.ts';

// The process entry of `npm start`; everything else is in cli.ts, which the tests call in-process.
const code = await main(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  cwd: process.cwd(),
  isTTY: process.stderr.isTTY === true,
});
process.exit(code);
