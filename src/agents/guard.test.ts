import { describe, expect, it } from 'vitest';
import { isIban, luhn, MAX_TOKEN_LENGTH, redact } from './guard.ts';

const cases: Array<[string, string, string]> = [
  // [what, input, a fragment that must disappear]
  ['an e-mail address', 'please reply to jane.doe+it@contoso.co.uk thanks', 'jane.doe+it@contoso.co.uk'],
  ['an international phone number', 'call me on +44 20 7946 0958 after lunch', '7946 0958'],
  ['a US phone number with brackets', 'my desk phone is (555) 123-4567', '123-4567'],
  ['a phone number with dashes', 'reach me at 555-867-5309', '867-5309'],
  ['a German mobile number', 'Handy: 0151 23456789', '23456789'],
  ['a Visa card number with spaces', 'charged on card 4111 1111 1111 1111 twice', '4111 1111 1111 1111'],
  ['a Mastercard number with dashes', 'card 5555-5555-5555-4444 declined', '5555-5555-5555-4444'],
  ['an Amex number', 'use 378282246310005 for the licence', '378282246310005'],
  ['an IBAN', 'refund to DE89 3704 0044 0532 0130 00 please', 'DE89 3704 0044 0532 0130 00'],
  ['a compact IBAN', 'iban GB82WEST12345698765432', 'GB82WEST12345698765432'],
  ['an IPv4 address', 'cannot ping 192.168.10.24 from my desk', '192.168.10.24'],
  ['an IPv6 address', 'my address is fe80::1ff:fe23:4567:890a', 'fe80::1ff:fe23:4567:890a'],
  ['a password sentence', 'my password is Hunter2!xyz but it fails', 'Hunter2!xyz'],
  ['a password with a colon', 'user jdoe pwd: S3cr3t#2024', 'S3cr3t#2024'],
  ['a quoted password', 'new password = "Winter 2024"', 'Winter'],
  ['a German password', 'mein Passwort ist Sommer2024!', 'Sommer2024!'],
  ['a one-time code', 'the verification code is 483 920', '483 920'],
  ['an OTP', 'OTP: 771245 did not work', '771245'],
  ['an OpenAI key', 'our key sk-proj-abcDEF1234567890ghijKLMN leaked', 'sk-proj-abcDEF1234567890ghijKLMN'],
  ['a Slack bot token', 'token xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOp', 'xoxb-1234567890'],
  ['a GitHub token', 'ghp_1234567890abcdefghijABCDEFGHIJ123456 expired', 'ghp_1234567890abcdefghij'],
  ['an AWS key id', 'AKIAIOSFODNN7EXAMPLE in the script', 'AKIAIOSFODNN7EXAMPLE'],
  [
    'a JWT',
    'header eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
    'eyJhbGciOiJIUzI1NiJ9',
  ],
  ['a bearer token', 'Authorization: Bearer abc123def456ghi789jkl012', 'abc123def456ghi789jkl012'],
  [
    'a high-entropy secret',
    'client secret 8fK2pQz9LmX4vB7nR1tY6wE3sD0aG5hJ for the app',
    '8fK2pQz9LmX4vB7nR1tY6wE3sD0aG5hJ',
  ],
  ['an api_key assignment', 'api_key=9a8b7c6d5e4f3g2h1', '9a8b7c6d5e4f3g2h1'],
  // Issue 14, item 7.
  ['a "pw:" password', 'vpn login pw: hunter2 does not work', 'hunter2'],
  ['a password after a bare space', 'my password hunter2 stopped working', 'hunter2'],
  ['a quoted multi-word password', 'my password is "correct horse battery staple"', 'battery staple'],
  ['a curly-quoted multi-word password', 'Passwort ist \u201cblaues Pferd 7\u201d', 'Pferd 7'],
  ['a card security code', 'card declined, cvv 123', '123'],
  ['a CVC with a colon', 'CVC: 4821 for the purchase', '4821'],
];

describe('guard: what it removes', () => {
  for (const [what, input, secret] of cases) {
    it(`removes ${what}`, () => {
      const out = redact(input);
      expect(out.text).not.toContain(secret);
      expect(out.found.length).toBeGreaterThan(0);
    });
  }

  it('names what it removed and keeps the sentence readable', () => {
    const out = redact('I am bob@example.com, call +1 415 555 0134, my password is pa55word');
    expect(out.text).toBe('I am [email], call [phone], my password is [password]');
    expect(out.found).toEqual(['email', 'password', 'phone']);
  });
});

const untouched: Array<[string, string]> = [
  ['ticket numbers', 'follow up on #1234 and ticket 5678 please'],
  ['Windows error codes', 'setup fails with 0x80070005 and 0xC004F074'],
  ['an installer exit code', 'msi error code 1603 on install'],
  ['version numbers', 'running Windows 10.0.19045.3693 and Office 16.0.17126.20132'],
  ['a short version', 'upgrade from 4.2.1 to version 4.2.1.0'],
  ['ISO dates', 'since 2026-11-26 the printer jams'],
  ['European dates', 'leave from 24.12.2026 until 02.01.2027'],
  ['times', 'meeting at 10:30 and 14:45:00 failed'],
  ['a KB number', 'after KB5034441 the update failed'],
  ['a GUID correlation id', 'correlation id 3f2504e0-4f89-11d3-9a0c-0305e82c3301'],
  ['a plain sentence about passwords', 'I forgot my password and need a reset'],
  ['a password reset question', 'how do I change my password?'],
  ['a password followed by an ordinary word', 'password expired yesterday, need a password reset'],
  ['a CVV question without a code', 'where is the cvv on the card?'],
  ['a room and floor', 'printer on floor 3 room 214 is out of toner'],
  ['an asset tag', 'laptop asset LT-004512 screen cracked'],
  ['a long ordinary word', 'internationalization settings in Outlook'],
  ['a file path', 'cannot open C:\\Users\\Public\\Documents\\report2024.xlsx'],
  ['a URL', 'see https://intranet.example/wiki/vpn-setup-for-mac'],
  ['a 16-digit number that fails Luhn', 'order 1234 5678 9012 3456 arrived'],
  ['a purchase order number', 'po 4500123456 received'],
];

describe('guard: what it keeps', () => {
  for (const [what, input] of untouched) {
    it(`keeps ${what}`, () => {
      expect(redact(input).text).toBe(input);
    });
  }
});

describe('guard: password shapes (issue 14, item 7)', () => {
  it('keeps the word and masks the whole quoted password', () => {
    expect(redact('my password is "correct horse battery staple" ok').text).toBe(
      'my password is [password] ok',
    );
    expect(redact('pw: hunter2').text).toBe('pw: [password]');
    expect(redact('password hunter2').text).toBe('password [password]');
    expect(redact('cvv 123').text).toBe('cvv [cvv]');
  });
});

describe('checksums', () => {
  it('accepts valid card numbers and rejects near misses', () => {
    expect(luhn('4111111111111111')).toBe(true);
    expect(luhn('4111111111111112')).toBe(false);
    expect(luhn('0000000000000000')).toBe(false);
  });

  it('validates IBANs by mod 97', () => {
    expect(isIban('DE89 3704 0044 0532 0130 00')).toBe(true);
    expect(isIban('DE89 3704 0044 0532 0130 01')).toBe(false);
  });
});

describe('hostile input', () => {
  it('masks an unbroken run longer than MAX_TOKEN_LENGTH whole and keeps the words around it', () => {
    const blob = 'Q'.repeat(MAX_TOKEN_LENGTH + 1);
    expect(redact(`my screen shows ${blob} then crashes`)).toEqual({
      text: 'my screen shows [secret] then crashes',
      found: ['token'],
    });
    const word = 'x'.repeat(MAX_TOKEN_LENGTH);
    expect(redact(`ok ${word}`).text).toBe(`ok ${word}`);
  });
});
