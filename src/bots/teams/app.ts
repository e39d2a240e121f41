import { type Activity, ActivityTypes, type CloudAdapter, type TurnContext } from 'botbuilder';
import type { FastifyInstance } from 'fastify';
import type { ChatEvent, OutMessage } from '../../core/chat/chat.ts';
import type { Logger } from '../../core/logger.ts';
import { createTeamsAdapter, type TeamsAdapterOptions } from './adapter.ts';
import { checkTeamsSettings, type TeamsSettings } from './config.ts';
import { renderMessage } from './render.ts';
import { REFRESH_VERB, toChatEvent } from './to-chat-event.ts';

export interface MountTeamsOptions extends TeamsAdapterOptions {
  config: TeamsSettings;
  /** Records the event in the inbox (unique on platform + activity id) and schedules processing. */
  accept: (event: ChatEvent) => Promise<{ duplicate: boolean; id: string }>;
  log: Logger;
  /**
   * The current version of a card the bot posted, for "Refresh card". Optional: without it a
   * refresh keeps the card as it is (updates reach everyone through updateActivity anyway).
   */
  latestCard?: ((conversationId: string, messageId: string) => Promise<OutMessage | undefined>) | undefined;
}

type InvokeBody = Record<string, unknown>;

/** Universal Actions answer: keep the card and show a short note; core updates the card in place. */
const ACKNOWLEDGED: InvokeBody = {
  statusCode: 200,
  type: 'application/vnd.microsoft.activity.message',
  value: 'Got it, working on it…',
};

/**
 * Mounts `POST /api/messages`: authenticates the Bot Framework request, records the activity as a
 * ChatEvent and answers at once; the slow work happens in the `process-event` job.
 */
export function mountTeams(app: FastifyInstance, options: MountTeamsOptions): void {
  const log = options.log.child({ platform: 'teams' });
  checkTeamsSettings(options.config, log);
  const adapter = createTeamsAdapter(options.config, options);
  const auth = (adapter as unknown as { botFrameworkAuthentication: Authenticator })
    .botFrameworkAuthentication;

  app.post('/api/messages', async (request, reply) => {
    const activity = request.body as Partial<Activity> | undefined;
    if (!activity || typeof activity !== 'object' || typeof activity.type !== 'string') {
      return reply.code(400).send({ error: 'expected a Bot Framework activity' });
    }
    const header = request.headers.authorization ?? '';
    let authenticated: unknown;
    try {
      authenticated = await auth.authenticateRequest(activity, header);
    } catch (error) {
      // Every failure to authenticate is a 401, including the SDK's raw jsonwebtoken errors.
      log.warn({ err: (error as Error).message, activityType: activity.type }, 'teams request rejected');
      return reply.code(401).send({ error: 'unauthorized' });
    }
    const result = await processAuthenticated(adapter, authenticated, activity, (context) =>
      handleTurn(context, options, log),
    );
    return reply.code(result?.status ?? 200).send(result?.body ?? '');
  });
}

interface Authenticator {
  authenticateRequest(activity: Partial<Activity>, authHeader: string): Promise<unknown>;
}

/** CloudAdapter.processActivity accepts an already-authenticated request (it is protected in the types). */
function processAuthenticated(
  adapter: CloudAdapter,
  authenticated: unknown,
  activity: Partial<Activity>,
  logic: (context: TurnContext) => Promise<void>,
): Promise<{ status: number; body?: unknown } | undefined> {
  const run = (adapter as unknown as { processActivity: (...args: unknown[]) => Promise<unknown> })
    .processActivity;
  return run.call(adapter, authenticated, activity, logic) as Promise<
    { status: number; body?: unknown } | undefined
  >;
}

async function handleTurn(context: TurnContext, options: MountTeamsOptions, log: Logger): Promise<void> {
  const activity = context.activity;
  const isInvoke = activity.type === ActivityTypes.Invoke;
  if (isInvoke && activity.name === 'adaptiveCard/action' && actionVerb(activity) === REFRESH_VERB) {
    return invokeResponse(context, await refreshedCard(activity, options));
  }
  const event = toChatEvent(activity);
  if (event.kind === 'unsupported') {
    log.debug(
      { activityType: activity.type, name: activity.name, reason: event.reason },
      'teams activity ignored',
    );
    if (isInvoke) await invokeResponse(context, activity.name === 'adaptiveCard/action' ? ACKNOWLEDGED : {});
    return;
  }
  const { duplicate, id } = await options.accept(event);
  log.debug(
    { kind: event.kind, eventId: event.eventId, inboundEventId: id, duplicate },
    'teams activity accepted',
  );
  if (!isInvoke) return;
  // A message action closes its dialog with an empty answer; the ticket confirmation follows in chat.
  await invokeResponse(context, activity.name === 'adaptiveCard/action' ? ACKNOWLEDGED : {});
}

async function refreshedCard(activity: Activity, options: MountTeamsOptions): Promise<InvokeBody> {
  const messageId = activity.replyToId;
  const latest = messageId ? await options.latestCard?.(activity.conversation.id, messageId) : undefined;
  const card = latest ? renderMessage(latest).attachments?.[0]?.content : undefined;
  if (!card) return ACKNOWLEDGED;
  return { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: card };
}

function actionVerb(activity: Activity): string | undefined {
  const verb = (activity.value as { action?: { verb?: unknown } } | undefined)?.action?.verb;
  return typeof verb === 'string' ? verb : undefined;
}

async function invokeResponse(context: TurnContext, body: InvokeBody): Promise<void> {
  await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 200, body } });
}
