import { describe, expect, it } from 'vitest';
import { sendInBatches } from './send-in-batches.js';
import type { OutgoingMessage } from './types.js';

/** Builds a producer that records the values of each send. */
function recordingProducer() {
  const sends: string[][] = [];
  const producer = {
    send: (_topic: string, messages: readonly OutgoingMessage[]) => {
      sends.push(messages.map((message) => String(message.value)));
      return Promise.resolve([]);
    },
  };
  return { producer, sends };
}

const asMessage = (value: number): OutgoingMessage => ({ key: null, value: String(value) });

describe('sendInBatches', () => {
  it('splits items into sends of batchSize', async () => {
    const { producer, sends } = recordingProducer();
    const sent = await sendInBatches(producer, 't', [1, 2, 3, 4, 5], asMessage, 2);
    expect(sent).toBe(5);
    expect(sends).toEqual([['1', '2'], ['3', '4'], ['5']]);
  });

  it('sends nothing for no items', async () => {
    const { producer, sends } = recordingProducer();
    expect(await sendInBatches(producer, 't', [], asMessage, 2)).toBe(0);
    expect(sends).toEqual([]);
  });

  it('rejects a batch size below one', async () => {
    const { producer } = recordingProducer();
    await expect(sendInBatches(producer, 't', [1], asMessage, 0)).rejects.toThrow(RangeError);
  });
});
