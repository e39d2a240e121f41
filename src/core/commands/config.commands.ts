import { configureAssignment } from '../assignment/assignment.commands.ts';
import type { ConversationRef } from '../chat/chat.ts';
import type { CoreDeps } from '../deps.ts';
import { configureLanguage } from '../i18n/language.commands.ts';
import { configureJsm } from '../jsm/jsm.commands.ts';
import { setRole } from '../people/people.service.ts';
import { aRole, ROLES, type Role } from '../people/people.table.ts';
import { deleteSetting, intakeChannelKey, setSetting, triageChannelKey } from '../settings/settings.ts';
import type { CommandContext, CommandSpec } from './command.ts';
import { personNamed, reply } from './command.ts';
import type { Arg } from './parse.ts';

/** `here` or a channel link, as a conversation the bot can post into later. */
export function channelArg(arg: Arg | undefined, ctx: CommandContext): ConversationRef | undefined {
  if (!arg) return undefined;
  if (arg.kind === 'word' && arg.value.toLowerCase() === 'here') {
    return { ...ctx.conversation, thread: undefined, isDirect: false };
  }
  if (arg.kind === 'channel') {
    return {
      platform: ctx.sender.platform,
      tenant: ctx.sender.tenant,
      channel: arg.channel,
      isDirect: false,
    };
  }
  if (arg.kind === 'word' && ctx.sender.platform === 'console') {
    return { platform: 'console', tenant: 'local', channel: arg.value.replace(/^#/, ''), isDirect: false };
  }
  return undefined;
}

/**
 * `here` typed in a direct chat: no channel setting can point at it (cards would go to one
 * person's chat). The answer says where to type it instead, or how to name the channel.
 */
function hereInDirectChat(arg: Arg | undefined, ctx: CommandContext, key: string) {
  if (arg?.kind !== 'word' || arg.value.toLowerCase() !== 'here' || !ctx.conversation.isDirect)
    return undefined;
  return reply(
    `\`here\` is this direct chat, which cannot be the ${key}. Type the command in that channel, or name it: \`config ${key} #channel\`.`,
  );
}

/** Channel-valued settings: `config <key> here|#channel`, stored per platform. */
const CHANNEL_KEYS: Record<string, { describe: string; key: (ref: ConversationRef) => string }> = {
  'triage-channel': {
    describe: 'where ticket cards are posted',
    key: (ref) => triageChannelKey(ref.platform),
  },
  'escalation-channel': {
    describe: 'where escalations are posted',
    key: (ref) => `escalation-channel:${ref.platform}`,
  },
};

export const configCommands: CommandSpec<CoreDeps>[] = [
  {
    name: 'role',
    usage: 'role @who agent|admin|requester',
    summary: 'set what someone may do',
    role: 'admin',
    async run(deps, tx, actor, args, ctx) {
      const who = args[0];
      const role = args[1]?.kind === 'word' ? args[1].value.toLowerCase() : '';
      if (who?.kind !== 'user' || !ROLES.includes(role as Role))
        return reply('Usage: `role @who agent|admin|requester`');
      const found = await personNamed(tx, deps, ctx, who);
      if (!found.ok) return reply(found.reason);
      const person = found.person;
      if (person.id === actor.id && role !== 'admin') return reply('You cannot remove your own admin role.');
      await setRole(tx, person.id, role as Role, actor.id);
      return reply(`${person.displayName} is now ${aRole(role as Role)}.`);
    },
  },
  {
    name: 'config',
    usage:
      'config triage-channel|escalation-channel|intake-channel|on-call <here|#channel|@who|off>, config jsm categories <list|off>, config assignment off|round-robin|load|skills, config language <en|de|fr|es|pt>',
    summary: 'configure channels and on-call',
    role: 'admin',
    async run(deps, tx, actor, args, ctx) {
      const key = args[0]?.kind === 'word' ? args[0].value.toLowerCase() : '';
      const channelKey = CHANNEL_KEYS[key];
      if (channelKey) {
        const direct = hereInDirectChat(args[1], ctx, key);
        if (direct) return direct;
        const ref = channelArg(args[1], ctx);
        if (!ref) return reply(`Usage: \`config ${key} here\` (or a channel link) — ${channelKey.describe}.`);
        await setSetting(tx, channelKey.key(ref), ref, actor.id);
        return reply(`The ${key} is now ${args[1]?.raw === 'here' ? 'this channel' : args[1]?.raw}.`);
      }
      if (key === 'intake-channel') {
        const off = args[1]?.kind === 'word' && args[1].value.toLowerCase() === 'off';
        const direct = hereInDirectChat(args[1], ctx, key);
        if (direct) return direct;
        const ref = off ? { ...ctx.conversation } : channelArg(args[1], ctx);
        if (!ref)
          return reply(
            'Usage: `config intake-channel here|off` — every top-level post there becomes a request.',
          );
        const settingKey = intakeChannelKey(ref.platform, ref.channel);
        if (off) await deleteSetting(tx, settingKey);
        else await setSetting(tx, settingKey, ref, actor.id);
        return reply(
          off
            ? 'This channel is no longer an intake channel.'
            : 'Every new post in that channel now becomes a help request.',
        );
      }
      if (key === 'jsm') return configureJsm(deps, tx, actor, args.slice(1));
      if (key === 'assignment') return configureAssignment(tx, actor, args.slice(1));
      if (key === 'language') return configureLanguage(tx, actor, args.slice(1), ctx);
      if (key === 'on-call') {
        const who = args[1];
        if (who?.kind !== 'user') return reply('Usage: `config on-call @who`');
        await setSetting(
          tx,
          `on-call:${ctx.sender.platform}`,
          { userId: who.userId, name: who.name ?? who.raw },
          actor.id,
        );
        return reply(`On-call is now ${who.raw}.`);
      }
      return reply(
        'Usage: `config triage-channel here`, `config escalation-channel here`, `config intake-channel here|off`, `config on-call @who`, `config jsm categories network,hardware|off`, `config assignment off|round-robin|load|skills`, `config language de`',
      );
    },
  },
];
