import { describe, expect, it } from 'vitest';
import { configSchema } from './config.ts';
import {
  describeStorage,
  editDistance,
  KNOWN_SETTINGS,
  maskUrl,
  unknownSettings,
  unknownSettingWarning,
} from './config-report.ts';

describe('unknown settings', () => {
  it('knows exactly the settings of the configuration schema', () => {
    expect([...KNOWN_SETTINGS]).toEqual(Object.keys(configSchema.shape).sort());
  });

  it('counts a swap of neighbouring letters as one edit', () => {
    expect(editDistance('LOG_LEVLE', 'LOG_LEVEL')).toBe(1);
    expect(editDistance('DATABSE_URL', 'DATABASE_URL')).toBe(1);
    expect(editDistance('HOME', 'HOST')).toBe(2);
    expect(editDistance('', 'PORT')).toBe(4);
  });

  it('names the closest setting for typos and for unknown variables with the project prefixes', () => {
    const env = {
      DATABSE_URL: 'postgres://x/y',
      LOG_LEVLE: 'debug',
      HELPDESK_ADMIN: 'a@b.c',
      SLACK_TOKEN: 'xoxb-1',
      PORT: '3000',
      LOG_LEVEL: 'info',
    };
    expect(unknownSettings(env).map(unknownSettingWarning)).toEqual([
      'DATABSE_URL is not a setting and is ignored; did you mean DATABASE_URL?',
      'HELPDESK_ADMIN is not a setting and is ignored; did you mean HELPDESK_ADMINS?',
      'LOG_LEVLE is not a setting and is ignored; did you mean LOG_LEVEL?',
      'SLACK_TOKEN is not a setting and is ignored (the closest is SLACK_APP_TOKEN)',
    ]);
    expect(unknownSettingWarning(unknownSettings({ AZURE_CLIENT_ID: 'x' })[0]!)).toMatch(
      /^AZURE_CLIENT_ID is not a setting and is ignored \(the closest is [A-Z_]+\)$/,
    );
  });

  it('leaves the ordinary environment and Kubernetes service links alone', () => {
    const env = {
      HOME: '/root',
      HOSTNAME: 'box',
      PATH: '/bin',
      PWD: '/',
      TERM: 'xterm',
      NODE_OPTIONS: '--max-old-space-size=512',
      npm_config_cache: '/x',
      VITEST_POOL_ID: '1',
      REDIS_PORT: 'tcp://10.0.0.1:6379',
      REDIS_SERVICE_HOST: '10.0.0.1',
      REDIS_PORT_6379_TCP_ADDR: '10.0.0.1',
    };
    expect(unknownSettings(env)).toEqual([]);
  });
});

describe('the storage line', () => {
  it('masks passwords, also in the query string', () => {
    expect(maskUrl('postgres://bob:secret@db.internal:5432/helpdesk')).toBe(
      'postgres://bob:****@db.internal:5432/helpdesk',
    );
    expect(maskUrl('rediss://:secret@cache:6380/0')).toBe('rediss://:****@cache:6380/0');
    expect(maskUrl('postgres://db/x?password=secret&sslmode=require')).toBe(
      'postgres://db/x?password=****&sslmode=require',
    );
    expect(maskUrl('not a url')).toBe('(not a URL)');
  });

  it('says which database and queue are in use', () => {
    expect(describeStorage({ DATA_DIR: '.data', DATABASE_URL: undefined, REDIS_URL: undefined })).toEqual({
      database: 'embedded PGlite at ./.data',
      queue: 'BullMQ on the same database',
    });
    expect(
      describeStorage({ DATA_DIR: '/var/lib/helpdesk', DATABASE_URL: undefined, REDIS_URL: undefined }),
    ).toMatchObject({ database: 'embedded PGlite at /var/lib/helpdesk' });
    expect(
      describeStorage({
        DATA_DIR: '.data',
        DATABASE_URL: 'postgres://app:pw@db/helpdesk',
        REDIS_URL: 'redis://:pw@cache/0',
      }),
    ).toEqual({ database: 'postgres://app:****@db/helpdesk', queue: 'BullMQ on redis://:****@cache/0' });
  });
});
