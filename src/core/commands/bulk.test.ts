import { describe, expect, it } from 'vitest';
import { leadingTickets } from './bulk.ts';
import { parseCommand } from './parse.ts';

const listOf = (text: string) => leadingTickets(parseCommand(text)?.args ?? []);

describe('the tickets a bulk command starts with', () => {
  it('reads single tickets, ranges with or without the second #, and stops at the first other argument', () => {
    expect(listOf('close #3 #4 #9')).toEqual({ numbers: [3, 4, 9], used: 3 });
    expect(listOf('assign #10-#14 @bob')).toEqual({ numbers: [10, 11, 12, 13, 14], used: 1 });
    expect(listOf('priority #3 7-8 P2')).toEqual({ numbers: [3, 7, 8], used: 2 });
    expect(listOf('resolve #5 #6 rebooted #7')).toEqual({ numbers: [5, 6], used: 2 });
  });

  it('counts a ticket named twice once', () => {
    expect(listOf('close #3 #2-#4 #3')).toEqual({ numbers: [3, 2, 4], used: 3 });
  });

  it('refuses a backwards range and more than 50 tickets, saying why', () => {
    expect(listOf('close #14-#10')).toEqual({
      problem: '#14-#10 goes backwards; write the lower number first.',
    });
    expect(listOf('close #1-#51')).toEqual({
      problem: '#1-#51 is more than 50 tickets; one command changes at most 50.',
    });
    expect(listOf('close #1-#30 #31-#60')).toEqual({
      problem: 'That is 60 tickets; one command changes at most 50.',
    });
    expect(listOf('close #1-#50')).toMatchObject({ used: 1 });
  });
});
