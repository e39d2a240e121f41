/** Every command of the workers feature, for the registry's one spread line. */
import type { CommandSpec } from '../commands/registry.ts';
import { statsCommands } from '../stats/stats.commands.ts';
import { slaCommands } from './sla.commands.ts';

export const workerCommands: CommandSpec[] = [...slaCommands, ...statsCommands];
