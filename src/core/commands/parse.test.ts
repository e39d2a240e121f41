import { describe, expect, it } from 'vitest';
import { parseCommand, textAfter } from './parse.ts';

describe('parseCommand', () => {
  it('strips the helpdesk prefix on every platform', () => {
    expect(parseCommand('/helpdesk claim #4')?.name).toBe('claim');
    expect(parseCommand('helpdesk claim #4')?.name).toBe('claim');
    expect(parseCommand('claim #4')?.args[0]).toEqual({ kind: 'ticket', number: 4, raw: '#4' });
  });

  it('understands Slack user mentions and channel links as arguments', () => {
    const parsed = parseCommand('assign #12 <@U123ABC|bob>');
    expect(parsed?.args[1]).toEqual({ kind: 'user', userId: 'U123ABC', name: 'bob', raw: '<@U123ABC|bob>' });
    const config = parseCommand('config triage-channel <#C42|it-triage>');
    expect(config?.args[1]).toMatchObject({ kind: 'channel', channel: 'C42', name: 'it-triage' });
  });

  it('reads a mention with a Teams id and a display name with spaces as one argument', () => {
    const parsed = parseCommand(
      'role <@29:1GcS4EyB_oSI8A88XmWBN7NJFyMqe3QGnJdgLfFGkJnVelzRGos0bPbpsfJjcbAD22bmKc4GMbrY2g4JDrCo7iA|Alex Agent> agent',
    );
    expect(parsed?.args).toEqual([
      {
        kind: 'user',
        userId: '29:1GcS4EyB_oSI8A88XmWBN7NJFyMqe3QGnJdgLfFGkJnVelzRGos0bPbpsfJjcbAD22bmKc4GMbrY2g4JDrCo7iA',
        name: 'Alex Agent',
        raw: '<@29:1GcS4EyB_oSI8A88XmWBN7NJFyMqe3QGnJdgLfFGkJnVelzRGos0bPbpsfJjcbAD22bmKc4GMbrY2g4JDrCo7iA|Alex Agent>',
      },
      { kind: 'word', value: 'agent', raw: 'agent' },
    ]);
    const assign = parseCommand('assign #4 <@29:abc|Maria José da Silva> please');
    expect(assign && textAfter(assign, 2)).toBe('please');
  });

  it('keeps free text after the arguments as typed, quotes included', () => {
    const parsed = parseCommand('note #7 the "printer" on floor 2 is back');
    expect(parsed && textAfter(parsed, 1)).toBe('the "printer" on floor 2 is back');
  });

  it('treats an empty command as help', () => {
    expect(parseCommand('  ')?.name).toBe('help');
  });
});
