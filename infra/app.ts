import { App } from 'aws-cdk-lib';
import { ConfigError } from '#shared/rules/errors';
import { loadDeployment } from './deployment.ts';

const app = new App();
try {
  const loaded = loadDeployment(app);
  // The stacks load only for a good configuration, so a bad one is answered at once.
  const { buildEnforcerApp } = await import('./enforcer-app.ts');
  buildEnforcerApp(app, loaded);
} catch (error) {
  // A bad configuration is the user's to fix: its message lists every problem, a stack trace would only bury it.
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
app.synth();
