import { describe, expect, it } from 'vitest';
import { ConcatBlob } from './concat-blob';

describe('ConcatBlob', () => {
  it('reads back what Node’s Blob reads back, for the parts postal-mime gives it', async () => {
    const bytes = new Uint8Array([0, 1, 2, 250, 251, 255]);
    const parts = [
      bytes.subarray(1, 4),
      '\n',
      'héllo ✓',
      bytes.buffer,
      new DataView(bytes.buffer, 2, 3),
      '',
      new Uint8Array(0),
    ];
    const ours = new ConcatBlob(parts, { type: 'application/octet-stream' });
    const node = new Blob(parts, { type: 'application/octet-stream' });
    expect(new Uint8Array(await ours.arrayBuffer())).toEqual(
      new Uint8Array(await node.arrayBuffer()),
    );
    expect(ours.size).toBe(node.size);
    expect(ours.type).toBe(node.type);
    expect(await ours.text()).toBe(await node.text());
    expect(await ours.slice(2, 9).text()).toBe(await node.slice(2, 9).text());
    expect(Object.prototype.toString.call(ours)).toBe('[object Blob]');
  });

  it('copies its parts when made, and gives each reader its own buffer', async () => {
    const part = new Uint8Array([1, 2, 3]);
    const blob = new ConcatBlob([part, new ConcatBlob(['a'])]);
    part[0] = 9;
    const first = new Uint8Array(await blob.arrayBuffer());
    first[1] = 7;
    expect(new Uint8Array(await blob.arrayBuffer())).toEqual(new Uint8Array([1, 2, 3, 97]));
  });

  it('refuses what a Blob cannot hold', () => {
    expect(() => new ConcatBlob([42 as unknown as string])).toThrow(TypeError);
  });
});
