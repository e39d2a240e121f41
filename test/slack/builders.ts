/**
 * Slack payloads for scenario tests, shaped like the fixtures (and so like real traffic), with the
 * ids and timestamps a scenario needs. Clicks are built from what the bot actually rendered.
 */

import type { RecordedCall } from './fake-slack.ts';
import { ids } from './fixtures/index.ts';

let seq = 0;
/** A fresh Slack-style ts, increasing within a test run. */
export function nextTs(): string {
  seq += 1;
  return `${1_764_300_000 + seq}.${String(seq).padStart(6, '0')}`;
}

export interface MessageInput {
  user: string;
  channel: string;
  text: string;
  /** `group` is a private channel (the message.groups event). */
  channelType?: 'im' | 'channel' | 'group';
  ts?: string;
  threadTs?: string;
  eventId?: string;
}

export function messageEvent(input: MessageInput): Record<string, any> {
  const ts = input.ts ?? nextTs();
  return {
    token: 'legacy-verification-token',
    team_id: ids.team,
    api_app_id: 'A0HELPDSK',
    event: {
      client_msg_id: `cm-${ts}`,
      type: 'message',
      text: input.text,
      user: input.user,
      ts,
      team: ids.team,
      channel: input.channel,
      event_ts: ts,
      channel_type: input.channelType ?? (input.channel.startsWith('D') ? 'im' : 'channel'),
      ...(input.threadTs ? { thread_ts: input.threadTs, parent_user_id: ids.bot } : {}),
    },
    type: 'event_callback',
    event_id: input.eventId ?? `Ev${ts.replace('.', '')}`,
    event_time: Math.floor(Number(ts)),
    authorizations: [
      {
        enterprise_id: null,
        team_id: ids.team,
        user_id: ids.bot,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
  };
}

export function reactionEvent(input: {
  user: string;
  channel: string;
  ts: string;
  itemUser: string;
  reaction?: string;
}) {
  const eventTs = nextTs();
  return {
    token: 'legacy-verification-token',
    team_id: ids.team,
    api_app_id: 'A0HELPDSK',
    event: {
      type: 'reaction_added',
      user: input.user,
      item: { type: 'message', channel: input.channel, ts: input.ts },
      reaction: input.reaction ?? 'ticket',
      item_user: input.itemUser,
      event_ts: eventTs,
    },
    type: 'event_callback',
    event_id: `EvR${eventTs.replace('.', '')}`,
    event_time: Math.floor(Number(eventTs)),
    authorizations: [{ team_id: ids.team, user_id: ids.bot, is_bot: true }],
  };
}

/** A `/helpdesk` invocation as Slack posts it (x-www-form-urlencoded). */
export function slashCommand(input: {
  user: string;
  channel: string;
  text: string;
  responseUrl: string;
  channelName?: string;
}) {
  const trigger = `trig-${nextTs()}`;
  return {
    form: new URLSearchParams({
      token: 'legacy-verification-token',
      team_id: ids.team,
      team_domain: 'acme-it',
      channel_id: input.channel,
      channel_name: input.channelName ?? (input.channel.startsWith('D') ? 'directmessage' : 'it-triage'),
      user_id: input.user,
      user_name: input.user.toLowerCase(),
      command: '/helpdesk',
      text: input.text,
      api_app_id: 'A0HELPDSK',
      response_url: input.responseUrl,
      trigger_id: trigger,
    }).toString(),
    triggerId: trigger,
  };
}

interface RenderedElement {
  type: string;
  action_id: string;
  value?: string;
  options?: Array<{ text: unknown; value: string }>;
}

/** The interactive elements of a posted or updated message, as the bot rendered them. */
export function renderedElements(call: RecordedCall): RenderedElement[] {
  const blocks: Array<{ type: string; elements?: RenderedElement[] }> = call.args.blocks ?? [];
  return blocks.filter((block) => block.type === 'actions').flatMap((block) => block.elements ?? []);
}

/**
 * A click on a rendered element, as Slack reports it: the same action_id and value; a users_select
 * with `selectedUser`, a static_select with the option whose value ends with `choose`.
 */
export function clickOn(
  call: RecordedCall,
  actionId: string,
  input: {
    user: string;
    messageTs: string;
    selectedUser?: string;
    choose?: string;
    /** Of several buttons with one action id (the CSAT scale), the one whose value ends with this. */
    valueEndsWith?: string;
    responseUrl: string;
    threadTs?: string;
  },
) {
  const element = renderedElements(call).find(
    (e) =>
      e.action_id.split(/[|#]/)[0] === actionId &&
      (input.choose === undefined || e.type === 'static_select') &&
      (input.valueEndsWith === undefined || (e.value ?? '').endsWith(input.valueEndsWith)),
  );
  if (!element)
    throw new Error(
      `no ${actionId} on ${call.method} (${renderedElements(call)
        .map((e) => e.action_id)
        .join(', ')})`,
    );
  const action: Record<string, unknown> = {
    action_id: element.action_id,
    block_id: 'ticket-actions',
    type: element.type,
    action_ts: nextTs(),
  };
  if (element.type === 'button') action.value = element.value;
  if (element.type === 'users_select') action.selected_user = input.selectedUser;
  if (element.type === 'static_select')
    action.selected_option = element.options?.find((o) => o.value.endsWith(input.choose ?? ''));
  const channel: string = call.args.channel;
  return {
    type: 'block_actions',
    user: {
      id: input.user,
      username: input.user.toLowerCase(),
      name: input.user.toLowerCase(),
      team_id: ids.team,
    },
    api_app_id: 'A0HELPDSK',
    token: 'legacy-verification-token',
    container: { type: 'message', message_ts: input.messageTs, channel_id: channel, is_ephemeral: false },
    trigger_id: `trig-${nextTs()}`,
    team: { id: ids.team, domain: 'acme-it' },
    channel: { id: channel, name: channel.startsWith('D') ? 'directmessage' : 'it-triage' },
    message: {
      type: 'message',
      text: call.args.text,
      ts: input.messageTs,
      bot_id: ids.botId,
      ...(input.threadTs ? { thread_ts: input.threadTs } : {}),
    },
    state: { values: {} },
    response_url: input.responseUrl,
    actions: [action],
  };
}

/** Submitting a modal the bot opened (the `view` from its views.open call) with typed values. */
export function submitView(user: string, view: Record<string, any>, values: Record<string, string>) {
  const state: Record<string, Record<string, unknown>> = {};
  for (const block of view.blocks as Array<{
    block_id: string;
    element: { type: string; action_id: string; options?: Array<{ value: string }> };
  }>) {
    const value = values[block.element.action_id];
    if (value === undefined) continue;
    state[block.block_id] = {
      [block.element.action_id]:
        block.element.type === 'static_select'
          ? { type: 'static_select', selected_option: { text: { type: 'plain_text', text: value }, value } }
          : { type: 'plain_text_input', value },
    };
  }
  return {
    type: 'view_submission',
    team: { id: ids.team, domain: 'acme-it' },
    user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: ids.team },
    api_app_id: 'A0HELPDSK',
    token: 'legacy-verification-token',
    trigger_id: `trig-${nextTs()}`,
    view: {
      ...view,
      id: `V${nextTs().replace('.', '')}`,
      team_id: ids.team,
      state: { values: state },
      hash: nextTs(),
    },
    response_urls: [],
  };
}
