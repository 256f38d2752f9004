import { accessSync, constants, mkdtempSync, rmSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

/** The environment variable that names the browser to use, ahead of every place searched (README, "Quick start"). */
export const CHROME_PATH = 'CHROME_PATH';

/** What to install when no browser is found: one line, the test's whole failure message. */
export const INSTALL_BROWSER =
  `no Chromium or Chrome found: install one (Debian: sudo apt-get install chromium; Ubuntu: sudo snap install chromium; macOS: brew install --cask google-chrome) or set ${CHROME_PATH} to its executable`;

/** Commands that start Chromium or Chrome on Linux, looked up on PATH: Debian's, Ubuntu's, Google's packages. */
const LINUX_COMMANDS = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];
/** Where installers put them off PATH: Google's .deb and .rpm, Ubuntu's snap. */
const LINUX_PATHS = ['/opt/google/chrome/chrome', '/snap/bin/chromium'];
/** macOS application bundles, system-wide or the user's own. */
const MAC_BUNDLES = ['Google Chrome.app/Contents/MacOS/Google Chrome', 'Chromium.app/Contents/MacOS/Chromium'];

export interface BrowserSearch {
  readonly env: NodeJS.ProcessEnv;
  readonly platform: NodeJS.Platform;
  readonly home: string;
  /** Whether an executable file is at `path`. */
  readonly exists: (path: string) => boolean;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

const THIS_MACHINE: BrowserSearch = { env: process.env, platform: process.platform, home: homedir(), exists: isExecutable };

/**
 * The executable of the browser playwright-core drives: `CHROME_PATH` when set, else the first Chromium or Chrome in
 * the usual places. Nothing downloads a browser. Throws one line saying what to install, or what is wrong with
 * `CHROME_PATH`.
 */
export function findBrowser({ env, platform, home, exists }: BrowserSearch = THIS_MACHINE): string {
  const named = env[CHROME_PATH]?.trim();
  if (named) {
    if (exists(named)) return named;
    throw new Error(`${CHROME_PATH} is ${named}, and no file is there: point it at a Chromium or Chrome executable, or unset it`);
  }
  const candidates =
    platform === 'darwin'
      ? MAC_BUNDLES.flatMap((bundle) => [join('/Applications', bundle), join(home, 'Applications', bundle)])
      : [...LINUX_COMMANDS.flatMap((command) => (env.PATH ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, command))), ...LINUX_PATHS];
  const found = candidates.find(exists);
  if (!found) throw new Error(INSTALL_BROWSER);
  return found;
}

const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Headless Chromium or Chrome with a fresh profile, removed on close; a browser that cannot start is an error that says so. */
export async function launchChromium(viewport = { width: 1280, height: 900 }): Promise<BrowserContext> {
  const executablePath = findBrowser();
  const userDataDir = mkdtempSync(join(tmpdir(), 'enforcer-chromium-'));
  try {
    const browser = await chromium.launchPersistentContext(userDataDir, { executablePath, headless: true, args: CHROMIUM_FLAGS, viewport });
    // Chromium may still be writing its profile as the context closes: remove it once the process is gone.
    browser.on('close', () => void rm(userDataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 }).catch(() => undefined));
    return browser;
  } catch (error) {
    rmSync(userDataDir, { recursive: true, force: true });
    throw new Error(`the browser at ${executablePath} could not start (set ${CHROME_PATH} to use another): ${(error as Error).message}`);
  }
}
