import { App } from 'aws-cdk-lib';
import { ConfigError } from '#shared/errors';
import { buildEnforcerApp } from './enforcer-app.ts';

const app = new App();
try {
  buildEnforcerApp(app);
} catch (error) {
  // A bad configuration is the user's to fix: its message lists every problem, a stack trace would only bury it.
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
app.synth();
