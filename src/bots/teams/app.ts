import { type Activity, ActivityTypes, type CloudAdapter, type TurnContext } from 'botbuilder';
import type { FastifyInstance } from 'fastify';
import type { ChatEvent, OutMessage } from '../../core/chat/chat.ts';
import type { InboundStatus } from '../../core/inbox/inbox.table.ts';
import type { Logger } from '../../core/logger.ts';
import { createTeamsAdapter, type TeamsAdapterOptions } from './adapter.ts';
import { checkTeamsSettings, type TeamsSettings } from './config.ts';
import { ADAPTIVE_CARD_CONTENT_TYPE, renderMessage } from './render.ts';
import { malformedActivity, REFRESH_VERB, splitConversationId, toChatEvent } from './to-chat-event.ts';

export interface MountTeamsOptions extends TeamsAdapterOptions {
  config: TeamsSettings;
  /** Records the event in the inbox (unique on platform + activity id) and schedules processing. */
  accept: (event: ChatEvent) => Promise<{ duplicate: boolean; id: number }>;
  log: Logger;
  /**
   * Resolves with the recorded event's status once it is no longer `pending`, or with `pending`
   * when `timeoutMs` passed first. Without it a button press is answered with a short message.
   */
  awaitProcessed?: ((inboundEventId: number, timeoutMs: number) => Promise<InboundStatus>) | undefined;
  /**
   * The current version of a card the bot posted in `channel` (a reply chain's channel), for the
   * answer to a button press and for "Refresh card". Without it both get a short message.
   */
  latestCard?: ((channel: string, messageId: string) => Promise<OutMessage | undefined>) | undefined;
  /**
   * How long, from the request's arrival, a button press may wait for its result before it is
   * answered with a short message instead of the refreshed card (default 3.5 s).
   */
  actionWaitMs?: number | undefined;
  /** Whether a card verb names an action core knows; others are refused at once, unrecorded. */
  knownAction?: ((verb: string) => boolean) | undefined;
  /**
   * Takes over the private answer (a refusal, an error) that processing the recorded event queued,
   * so it is shown in the invoke response and never sent on its own; undefined when there is none
   * or it was already delivered.
   */
  claimInvokeAnswer?: ((inboundEventId: number) => Promise<OutMessage | undefined>) | undefined;
}

/**
 * Teams allows about 5 seconds to answer an invoke before the client reports an error and tries
 * again; authentication, recording and the card look-up share that, so the wait stops well before.
 */
export const DEFAULT_ACTION_WAIT_MS = 3500;

type InvokeBody = Record<string, unknown>;

/** Universal Actions answer: keep the card and show a short note; core updates the card in place. */
const ACKNOWLEDGED: InvokeBody = messageAnswer('Got it, working on it…');
/** The event was given up on after its retries (a redelivered press of an old, broken action). */
const FAILED: InvokeBody = messageAnswer("Sorry, that didn't work. Please try again.");
/** A message extension or dialog we do not offer (an old manifest, another app's command). */
const NO_DIALOG: InvokeBody = taskMessage("That isn't something the helpdesk can do here.");

/**
 * Mounts `POST /api/messages`: authenticates the Bot Framework request, records the activity as a
 * ChatEvent and answers once it is recorded; the slow work happens in the `process-event` job (a
 * button press waits a bounded time for it, to answer with the refreshed card).
 */
export function mountTeams(app: FastifyInstance, options: MountTeamsOptions): void {
  const log = options.log.child({ platform: 'teams' });
  checkTeamsSettings(options.config, log);
  const adapter = createTeamsAdapter(options.config, options);
  const auth = (adapter as unknown as { botFrameworkAuthentication: Authenticator })
    .botFrameworkAuthentication;

  app.post('/api/messages', async (request, reply) => {
    const deadline = Date.now() + (options.actionWaitMs ?? DEFAULT_ACTION_WAIT_MS);
    const malformed = malformedActivity(request.body);
    if (malformed) {
      log.warn({ reason: malformed }, 'teams request refused: malformed activity');
      return reply.code(400).send({ error: 'malformed_activity' });
    }
    const activity = request.body as Partial<Activity>;
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
      handleTurn(context, options, log, deadline),
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

async function handleTurn(
  context: TurnContext,
  options: MountTeamsOptions,
  log: Logger,
  deadline: number,
): Promise<void> {
  const activity = context.activity;
  const isInvoke = activity.type === ActivityTypes.Invoke;
  const isCardAction = isInvoke && activity.name === 'adaptiveCard/action';
  const verb = isCardAction ? actionVerb(activity) : undefined;
  if (isCardAction && verb === REFRESH_VERB) {
    return invokeResponse(context, (await cardAnswer(activity, options, log)) ?? ACKNOWLEDGED);
  }
  // Refused from the payload alone: nothing is recorded, and the presser sees why at once.
  if (isCardAction && (!verb || (options.knownAction && !options.knownAction(verb)))) {
    log.debug({ verb }, 'teams card action with an unknown verb refused');
    return invokeResponse(context, unknownVerb(verb));
  }
  const event = toChatEvent(activity);
  if (event.kind === 'unsupported') {
    log.debug(
      { activityType: activity.type, name: activity.name, reason: event.reason },
      'teams activity ignored',
    );
    if (isInvoke) await invokeResponse(context, unsupportedInvoke(activity));
    return;
  }
  // An Action.Submit fallback naming a verb we never rendered (an old card): ignored, unrecorded;
  // there is no response to show a refusal in.
  if (!isInvoke && event.kind === 'action' && options.knownAction && !options.knownAction(event.actionId)) {
    log.debug({ verb: event.actionId }, 'teams Action.Submit with an unknown verb ignored');
    return;
  }
  const { duplicate, id } = await options.accept(event);
  log.debug(
    { kind: event.kind, eventId: event.eventId, inboundEventId: id, duplicate },
    'teams activity accepted',
  );
  if (!isInvoke) return;
  if (!isCardAction) {
    // A message action: its dialog closes on an empty answer and the confirmation follows in chat;
    // a refusal is shown in the dialog instead.
    const refusal = await resultOf(id, options, log, deadline);
    return invokeResponse(context, refusal ? taskMessage(refusal.text) : {});
  }
  await invokeResponse(context, await actionAnswer(activity, id, options, log, deadline));
}

/** Waits (bounded) for a recorded invoke to be processed and claims its private answer, if any. */
async function resultOf(
  inboundEventId: number,
  options: MountTeamsOptions,
  log: Logger,
  deadline: number,
): Promise<OutMessage | undefined> {
  if (!options.awaitProcessed || !options.claimInvokeAnswer) return undefined;
  try {
    const status = await options.awaitProcessed(inboundEventId, Math.max(0, deadline - Date.now()));
    if (status !== 'done') return undefined;
    return await options.claimInvokeAnswer(inboundEventId);
  } catch (error) {
    log.warn({ err: (error as Error).message, inboundEventId }, 'could not answer a teams invoke');
    return undefined;
  }
}

/**
 * The answer to a button press, given after it was recorded: the refreshed card once core has run
 * the action (for the presser: Teams replaces the card only for them), else a short message. The
 * card update core queued in the outbox stays and is sent anyway: it is what everyone else sees,
 * and sending the same card again is harmless.
 */
async function actionAnswer(
  activity: Activity,
  inboundEventId: number,
  options: MountTeamsOptions,
  log: Logger,
  deadline: number,
): Promise<InvokeBody> {
  if (!options.awaitProcessed) return ACKNOWLEDGED;
  let status: InboundStatus;
  try {
    status = await options.awaitProcessed(inboundEventId, Math.max(0, deadline - Date.now()));
  } catch (error) {
    log.warn({ err: (error as Error).message, inboundEventId }, 'could not wait for a teams action');
    return ACKNOWLEDGED;
  }
  if (status === 'failed') return FAILED;
  if (status === 'pending') {
    log.debug({ inboundEventId }, 'teams action still running; answered with a message');
    return ACKNOWLEDGED;
  }
  // A refusal or error for the presser is the answer itself, never a separate 1:1 message.
  const answer = await claimed(inboundEventId, options, log);
  if (answer) return messageAnswer(answer.text);
  return (await cardAnswer(activity, options, log)) ?? ACKNOWLEDGED;
}

/** The latest card for the message the invoke came from, rendered as an invoke answer. */
async function cardAnswer(
  activity: Activity,
  options: MountTeamsOptions,
  log: Logger,
): Promise<InvokeBody | undefined> {
  const messageId = activity.replyToId;
  if (!messageId || !options.latestCard) return undefined;
  const { channel } = splitConversationId(activity.conversation.id);
  let latest: OutMessage | undefined;
  try {
    latest = await options.latestCard(channel, messageId);
  } catch (error) {
    log.warn({ err: (error as Error).message, messageId }, 'could not look up the latest teams card');
    return undefined;
  }
  const card = latest ? renderMessage(latest).attachments?.[0]?.content : undefined;
  if (!card) return undefined;
  return { statusCode: 200, type: ADAPTIVE_CARD_CONTENT_TYPE, value: card };
}

async function claimed(
  inboundEventId: number,
  options: MountTeamsOptions,
  log: Logger,
): Promise<OutMessage | undefined> {
  if (!options.claimInvokeAnswer) return undefined;
  try {
    return await options.claimInvokeAnswer(inboundEventId);
  } catch (error) {
    log.warn({ err: (error as Error).message, inboundEventId }, 'could not claim a teams action answer');
    return undefined;
  }
}

/** Universal Actions' error answer: Teams shows the message where the card is. */
function unknownVerb(verb: string | undefined): InvokeBody {
  return {
    statusCode: 400,
    type: 'application/vnd.microsoft.error',
    value: {
      code: 'BadRequest',
      message: verb
        ? `That button (${verb}) is not something I know how to do.`
        : 'That button has no action to run.',
    },
  };
}

/** The answer to an invoke we do not handle, in the shape its caller expects. */
function unsupportedInvoke(activity: Activity): InvokeBody {
  switch (activity.name) {
    case 'composeExtension/submitAction':
    case 'composeExtension/fetchTask':
    case 'task/fetch':
    case 'task/submit':
      return NO_DIALOG;
    case 'composeExtension/query':
      return { composeExtension: { type: 'result', attachmentLayout: 'list', attachments: [] } };
    default:
      return {};
  }
}

/** A message shown in the dialog (task module) the user is in. */
function taskMessage(text: string): InvokeBody {
  return { task: { type: 'message', value: text } };
}

function messageAnswer(text: string): InvokeBody {
  return { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: text };
}

function actionVerb(activity: Activity): string | undefined {
  const verb = (activity.value as { action?: { verb?: unknown } } | undefined)?.action?.verb;
  return typeof verb === 'string' ? verb : undefined;
}

async function invokeResponse(context: TurnContext, body: InvokeBody): Promise<void> {
  await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 200, body } });
}
