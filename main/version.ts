/** Casebook's version, recorded with every import run. Keep in step with package.json. */
export const APP_VERSION = '0.1.0';
