import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { BOT_EVENTS, EVENT_SCOPES, INTERACTION_SCOPES } from './app.ts';
import { WEB_API_SCOPES } from './notifier.ts';
import { SLACK_EVENTS_PATH } from './receiver.ts';
import { FILE_TICKET_SHORTCUT, SLASH_COMMAND } from './to-chat-event.ts';

const manifest = parse(
  readFileSync(new URL('../../../manifests/slack/manifest.yaml', import.meta.url), 'utf8'),
);
const notifierSource = readFileSync(new URL('./notifier.ts', import.meta.url), 'utf8');
const sorted = (values: Iterable<string>) => [...new Set(values)].sort();

describe('manifests/slack/manifest.yaml', () => {
  it('subscribes to exactly the events the Bolt listeners handle', () => {
    expect(sorted(manifest.settings.event_subscriptions.bot_events)).toEqual(sorted(BOT_EVENTS));
  });

  it('asks for exactly the bot scopes the code uses: events, Web API calls and the command', () => {
    const used = [
      ...BOT_EVENTS.flatMap((event) => EVENT_SCOPES[event]),
      ...Object.values(WEB_API_SCOPES).flat(),
      ...INTERACTION_SCOPES,
    ];
    expect(sorted(manifest.oauth_config.scopes.bot)).toEqual(sorted(used));
    expect(manifest.oauth_config.scopes.user).toBeUndefined();
  });

  it('hears when the app is uninstalled or its tokens are revoked, with no extra scope', () => {
    const events: readonly string[] = manifest.settings.event_subscriptions.bot_events;
    expect(events).toEqual(expect.arrayContaining(['app_uninstalled', 'tokens_revoked']));
    expect(EVENT_SCOPES.app_uninstalled).toEqual([]);
    expect(EVENT_SCOPES.tokens_revoked).toEqual([]);
  });

  it('reads private channels the bot is invited to, so 🎫 and intake channels work there too', () => {
    expect(manifest.settings.event_subscriptions.bot_events).toContain('message.groups');
    expect(manifest.oauth_config.scopes.bot).toContain('groups:history');
    expect(WEB_API_SCOPES['conversations.history']).toContain('groups:history');
    // Group DMs stay out: nothing the helpdesk offers happens there.
    expect(manifest.oauth_config.scopes.bot).not.toContain('mpim:history');
  });

  it('lists every Web API method the notifier calls, and only those', () => {
    const called = [...notifierSource.matchAll(/client\.(\w+)\.(\w+)\(/g)].map((m) => `${m[1]}.${m[2]}`);
    expect(sorted(called)).toEqual(sorted(Object.keys(WEB_API_SCOPES)));
  });

  it('declares the /helpdesk command with escaped mentions and the "File IT ticket" message shortcut', () => {
    expect(manifest.features.slash_commands).toHaveLength(1);
    expect(manifest.features.slash_commands[0]).toMatchObject({
      command: SLASH_COMMAND,
      should_escape: true,
    });
    expect(manifest.features.shortcuts).toEqual([
      expect.objectContaining({ name: 'File IT ticket', type: 'message', callback_id: FILE_TICKET_SHORTCUT }),
    ]);
  });

  it('sends events, the command and interactivity to the one /slack/events URL', () => {
    const urls = [
      manifest.settings.event_subscriptions.request_url,
      manifest.settings.interactivity.request_url,
      ...manifest.features.slash_commands.map((command: { url: string }) => command.url),
    ];
    for (const url of urls) expect(url).toBe(`https://YOUR_HOST${SLACK_EVENTS_PATH}`);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
  });

  it('ships for HTTP: Socket Mode is off (a development copy turns it on, see docs/slack.md)', () => {
    expect(manifest.settings.socket_mode_enabled).toBe(false);
  });

  it('enables App Home and a writable Messages tab, so people can DM the bot', () => {
    expect(manifest.features.app_home).toEqual({
      home_tab_enabled: true,
      messages_tab_enabled: true,
      messages_tab_read_only_enabled: false,
    });
  });
});
