import fc from 'fast-check';
import MessagingResponse from 'twilio/lib/twiml/MessagingResponse.js';
import { describe, expect, it } from 'vitest';
import { messagingTwiml, twimlReply } from '#shared/runtime/twiml.js';

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

/** What twilio's MessagingResponse (xmlbuilder) writes for these messages, or 'throws'. */
function twilioTwiml(texts: readonly string[]): string {
  try {
    const response = new MessagingResponse();
    for (const text of texts) response.message(text);
    return response.toString();
  } catch {
    return 'throws';
  }
}

function ourTwiml(texts: readonly string[]): string {
  try {
    return messagingTwiml(texts);
  } catch {
    return 'throws';
  }
}

describe('messagingTwiml', () => {
  it('answers with an empty <Response/> when there is nothing to say, as MessagingResponse does', () => {
    // Act
    const twiml = messagingTwiml([]);

    // Assess
    expect(twiml).toBe(`${XML_DECLARATION}<Response/>`);
    expect(twiml).toBe(twilioTwiml([]));
  });

  it('writes one <Message> per text, in order', () => {
    // Act
    const twiml = messagingTwiml(['first', 'second', 'third']);

    // Assess
    expect(twiml).toBe(
      `${XML_DECLARATION}<Response><Message>first</Message><Message>second</Message><Message>third</Message></Response>`,
    );
  });

  it('escapes &, < and > (and CR), and leaves quotes as they are: element text needs no quote escapes', () => {
    // Prepare
    const text = `Tom & "Jerry" <3 it's > 2\r\nok`;

    // Act
    const twiml = messagingTwiml([text]);

    // Assess
    expect(twiml).toBe(
      `${XML_DECLARATION}<Response><Message>Tom &amp; "Jerry" &lt;3 it's &gt; 2&#xD;\nok</Message></Response>`,
    );
    expect(twiml).toBe(twilioTwiml([text]));
  });

  it('does not double-escape text that already looks like an entity', () => {
    expect(messagingTwiml(['&amp; &lt;'])).toBe(
      `${XML_DECLARATION}<Response><Message>&amp;amp; &amp;lt;</Message></Response>`,
    );
  });

  it('refuses characters XML cannot carry, as MessagingResponse does', () => {
    expect(() => messagingTwiml(['bell \u0007'])).toThrow();
    expect(() => messagingTwiml(['lone \uD800 surrogate'])).toThrow();
    expect(twilioTwiml(['bell \u0007'])).toBe('throws');
  });

  it.each([
    [[]],
    [['']],
    [['', 'after an empty one']],
    [['Nice work today, Ada! Ben checked in too.']],
    [['a', 'b', 'c']],
    [['<script>alert("x")</script> & more']],
    [[']]> <![CDATA[ x ]]>']],
    [['é ☃ 😀 — “curly” ‘quotes’']],
    [['  spaces kept  \n\ttabs and newlines\n']],
  ])('writes what MessagingResponse writes for %j', (texts) => {
    expect(messagingTwiml(texts)).toBe(twilioTwiml(texts));
  });

  it('writes what MessagingResponse writes for any texts, or refuses what it refuses', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.string({ unit: 'binary', maxLength: 200 }),
            fc.string({ unit: 'grapheme', maxLength: 200 }),
            fc.string({
              unit: fc.constantFrom('&', '<', '>', '"', "'", '\r', '\n', ' ', 'a', ';'),
              maxLength: 40,
            }),
          ),
          { maxLength: 4 },
        ),
        (texts) => ourTwiml(texts) === twilioTwiml(texts),
      ),
      { numRuns: 300 },
    );
  });
});

describe('twimlReply', () => {
  it('joins short replies into one message and sends long ones separately, as text/xml', () => {
    // Prepare
    const short = ['Got it.', 'See you tomorrow.'];
    const long = ['x'.repeat(100), 'y'.repeat(100)];

    // Act
    const joined = twimlReply(short);
    const separate = twimlReply(long);
    const empty = twimlReply();

    // Assess
    expect(joined).toEqual({
      statusCode: 200,
      headers: { 'content-type': 'text/xml' },
      body: twilioTwiml(['Got it. See you tomorrow.']),
    });
    expect(separate.body).toBe(twilioTwiml(long));
    expect(empty.body).toBe(`${XML_DECLARATION}<Response/>`);
  });
});
