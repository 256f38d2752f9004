import { describe, expect, it } from 'vitest';
import { type BrowserSearch, CHROME_PATH, findBrowser, INSTALL_BROWSER } from '../../local-run/chromium.ts';

/** A machine with executables at exactly `files`; the real browser test (report-browser) launches what this finds. */
const machine = (files: string[], overrides: Partial<BrowserSearch> = {}): BrowserSearch => ({
  env: { PATH: '/usr/local/bin:/usr/bin:/bin' },
  platform: 'linux',
  home: '/home/dev',
  exists: (path) => files.includes(path),
  ...overrides,
});

describe('findBrowser', () => {
  it.each([
    ["Debian's chromium", '/usr/bin/chromium'],
    ["Ubuntu's chromium-browser", '/usr/bin/chromium-browser'],
    ['Google Chrome on PATH', '/usr/bin/google-chrome'],
    ['Google Chrome stable on PATH', '/usr/bin/google-chrome-stable'],
    ["Google Chrome's own install folder", '/opt/google/chrome/chrome'],
    ["Ubuntu's snap", '/snap/bin/chromium'],
  ])('finds %s on Linux', (_, path) => {
    expect(findBrowser(machine([path]))).toBe(path);
  });

  it('finds a command in whichever PATH folder holds it', () => {
    expect(findBrowser(machine(['/home/dev/bin/chromium'], { env: { PATH: '/usr/bin:/home/dev/bin' } }))).toBe('/home/dev/bin/chromium');
  });

  it("prefers Debian's chromium to Google Chrome when both are there", () => {
    expect(findBrowser(machine(['/opt/google/chrome/chrome', '/usr/bin/google-chrome', '/usr/bin/chromium']))).toBe('/usr/bin/chromium');
  });

  it.each([
    ['Google Chrome', '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'],
    ['Chromium', '/Applications/Chromium.app/Contents/MacOS/Chromium'],
    ["Google Chrome in the user's own Applications", '/Users/dev/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'],
  ])('finds %s on macOS', (_, path) => {
    expect(findBrowser(machine([path], { platform: 'darwin', home: '/Users/dev' }))).toBe(path);
  });

  it('does not look for macOS bundles on Linux, nor Linux commands on macOS', () => {
    expect(() => findBrowser(machine(['/Applications/Google Chrome.app/Contents/MacOS/Google Chrome']))).toThrow(INSTALL_BROWSER);
    expect(() => findBrowser(machine(['/usr/bin/chromium'], { platform: 'darwin' }))).toThrow(INSTALL_BROWSER);
  });

  it(`takes ${CHROME_PATH} ahead of every place it searches`, () => {
    expect(findBrowser(machine(['/usr/bin/chromium', '/srv/chrome/chrome'], { env: { PATH: '/usr/bin', [CHROME_PATH]: '/srv/chrome/chrome' } }))).toBe('/srv/chrome/chrome');
  });

  it(`refuses a ${CHROME_PATH} with no file behind it, rather than fall back to another browser`, () => {
    const search = machine(['/usr/bin/chromium'], { env: { PATH: '/usr/bin', [CHROME_PATH]: '/srv/missing/chrome' } });

    expect(() => findBrowser(search)).toThrow(`${CHROME_PATH} is /srv/missing/chrome, and no file is there`);
  });

  it('with no browser at all, fails with one line that says what to install on Debian, Ubuntu and macOS', () => {
    expect(() => findBrowser(machine([]))).toThrow(INSTALL_BROWSER);
    expect(INSTALL_BROWSER).not.toContain('\n');
    expect(INSTALL_BROWSER).toMatch(/apt-get install chromium.*snap install chromium.*brew install --cask google-chrome.*CHROME_PATH/);
  });
});
